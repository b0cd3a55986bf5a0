"""Published totals against computed ones: the verdicts, checked against the sources.

The published figures are restated here with their sources (not read from
`published_totals.PUBLISHED`); no verdict is typed: each follows from a search this test
builds over the documented conventions:
- reading 'exact': the computed count equals the printed integer; 'rounded': rounded to
  the last printed digit it is the printed figure; 'truncated': with the further digits
  dropped it is, and rounding would not give it (checked here in units of the last
  printed digit, independently of `snippets/lib/quotes.py`);
- verdict 'matches' when the count the figure's label names (parameters, multiply-adds,
  or FLOPs at two per multiply-add) reproduces it, 'differs by accounting' when another
  documented way of counting does (batch-norm statistics, a bias per convolution, the
  weights without batch norm's scale and shift, another stride placement), 'wrong' when
  none does.
Where an accounting adds pieces, the count is rebuilt from other published figures (the
Keras summaries' non-trainable counts, which are the batch-norm statistics) or from the
closed forms of `test_arch_layers.py`. Exact integer comparisons.
"""
import pytest

from oracles.published_layers import alexnet_2012, block, bottleneck, resnet_rows

TORCHVISION, KERAS = "torchvision docs", "Keras model.summary()"
MATCHES, ACCOUNTING, WRONG = "matches", "differs by accounting", "wrong"

# (network, source starts with, printed figure, place value of its last digit): the verdicts are derived
EXPECTED = [
    ("AlexNet (torchvision)", TORCHVISION, 61_100_840, 1),
    ("AlexNet (torchvision)", TORCHVISION, 0.714e9, 1e6),  # "GFLOPS"
    ("VGG-16", TORCHVISION, 138_357_544, 1),
    ("VGG-16", TORCHVISION, 15.47e9, 1e7),
    ("ResNet-18", TORCHVISION, 11_689_512, 1),
    ("ResNet-18", TORCHVISION, 1.814e9, 1e6),
    ("ResNet-50", TORCHVISION, 25_557_032, 1),
    ("ResNet-50", TORCHVISION, 4.089e9, 1e6),
    ("MobileNet V2", TORCHVISION, 3_504_872, 1),
    ("MobileNet V2", TORCHVISION, 0.301e9, 1e6),
    ("VGG-16", KERAS, 138_357_544, 1),
    ("ResNet-50", KERAS, 25_636_712, 1),
    ("MobileNet V1", KERAS, 4_253_864, 1),
    ("MobileNet V2", KERAS, 3_538_984, 1),
    ("LeNet-5", "LeCun et al. 1998", 60_000, 1),  # section II.B
    ("LeNet-5", "LeCun et al. 1998", 340_908, 1),
    ("AlexNet (2012)", "Krizhevsky et al. 2012", 60e6, 1e6),  # abstract
    ("VGG-16", "Simonyan and Zisserman 2014", 138e6, 1e6),  # Table 2
    ("ResNet-18", "He et al. 2015", 1.8e9, 1e8),  # Table 1, "FLOPs"
    ("ResNet-50", "He et al. 2015", 3.8e9, 1e8),
    ("MobileNet V1", "Howard et al. 2017", 569e6, 1e6),  # Tables 6 and 8
    ("MobileNet V1", "Howard et al. 2017", 4.2e6, 1e5),
    ("MobileNet V2", "Sandler et al. 2018", 300e6, 1e6),  # Table 4
    # tensorflow/models, research/slim/nets/mobilenet/README.md: mobilenet_v2_1.0_224, "3.47" (M)
    ("MobileNet V2", "TF-slim MobileNetV2 README", 3.47e6, 1e4),
    ("MobileNet V2", "Sandler et al. 2018", 3.4e6, 1e5),  # Table 4: "3.4M"
]
KERAS_RESNET50_NON_TRAINABLE = 53_120  # Keras ResNet50 summary: Non-trainable params (BN moving mean, variance)
KERAS_MOBILENET_V2_NON_TRAINABLE = 34_112  # Keras MobileNetV2 summary: Non-trainable params


def agrees(count, printed, place, how):
    """Compared in units of the last printed digit (a float like 4.089e9 is not exact)."""
    digits = round(printed / place)
    rounded, cut = round(count / place) == digits, count // place == digits
    return {"exact": count == printed, "rounded": rounded, "truncated": cut and not rounded}[how]


def bottleneck_stride_first(c_in, width, size, stride):
    """ResNet-50 bottleneck of the original model: the stride on the first 1×1 convolution."""
    out = 4 * width
    return block([(c_in, width, 1, size), (width, width, 3, size), (width, out, 1, size)], size, out,
                 (c_in, out, 1, size) if stride > 1 or c_in != out else None)


NETWORK_KEYS = {"AlexNet (torchvision)": "alexnet_torchvision", "AlexNet (2012)": "alexnet_2012", "VGG-16": "vgg16",
                "ResNet-18": "resnet18", "ResNet-50": "resnet50", "MobileNet V1": "mobilenet_v1",
                "MobileNet V2": "mobilenet_v2", "LeNet-5": "lenet5"}
# Batch-norm running statistics (Keras's "Non-trainable params"; as many as the BN scales
# and shifts) and the bias a Keras Conv2D would add, of the networks whose figures need them.
STATISTICS = {"resnet50": KERAS_RESNET50_NON_TRAINABLE, "mobilenet_v1": 21_888,  # Keras MobileNet summary
              "mobilenet_v2": KERAS_MOBILENET_V2_NON_TRAINABLE}
CONV_BIASES = {"resnet50": 64 + sum(n * 6 * w + 4 * w for w, n in [(64, 3), (128, 4), (256, 6), (512, 3)])}


def conventions(network, printed, layers):
    """[(convention, count)] this test builds for a published figure: the count its label
    names first, then the documented alternatives (FLOPs at two per multiply-add, another
    stride placement, BN statistics, a bias per convolution, the weights without BN scale
    and shift). The plain counts come from arch_layers, which its own test checks layer by
    layer against the papers' tables."""
    key = NETWORK_KEYS[network]
    if "connections" in printed:
        return [("connections", layers["lenet5_connections"])]
    if any(word in printed for word in ("FLOP", "Mult-Adds", "multiply-adds")):
        macs = layers[f"{key}_macs"]
        found = [("multiply-adds", macs), ("FLOPs", 2 * macs)]
        if "FLOP" in printed:
            found.reverse()
        if key == "resnet50":
            found.append(("stride on the first 1×1", sum(r[3] for r in resnet_rows(
                [3, 4, 6, 3], bottleneck_stride_first, lambda c: 4 * c).values())))
        return found
    params, stats, biases = layers[f"{key}_params"], STATISTICS.get(key), CONV_BIASES.get(key)
    found = [("parameters", params)]
    if stats:
        found += [("+ BN statistics", params + stats), ("weights only", params - stats)]
    if biases:
        found += [("+ conv biases", params + biases)]
    if stats and biases:
        found += [("+ conv biases + BN statistics", params + biases + stats)]
    return found


def search(found, printed, place):
    """(index of the first convention that prints as the figure, its reading), or None."""
    readings = ("exact",) if place == 1 else ("rounded", "truncated")
    return next(((i, how) for i, (_, count) in enumerate(found) for how in readings
                 if agrees(count, printed, place, how)), None)


@pytest.mark.covers("arch_published", "comparison", "published_count", "matching_count", "accounting_count", "wrong_count",
                    "exact_count")
def test_every_verdict_follows_from_a_search_over_conventions(values, snippet_runs):
    layers = snippet_runs.values("arch_layers") | {"lenet5_connections": values["lenet5_connections"]}
    table = values["comparison"]
    assert values["published_count"] == len(table) == len(EXPECTED)
    verdicts, readings = [], []
    for row, (network, source, printed, place, *_) in zip(table, EXPECTED):
        assert row["network"] == network and row["source"].startswith(source), row
        found = conventions(network, row["printed"], layers)
        hit = search(found, printed, place)
        verdict = WRONG if hit is None else MATCHES if hit[0] == 0 else ACCOUNTING
        assert row["verdict"] == verdict, (row, found)
        if hit is not None:
            assert row["reading"] == hit[1] and row["computed"] == found[hit[0]][1], (row, found)
        verdicts.append(verdict)
        readings.append(None if hit is None else hit[1])
    for key, verdict in [("matching_count", MATCHES), ("accounting_count", ACCOUNTING), ("wrong_count", WRONG)]:
        assert values[key] == verdicts.count(verdict), key
    assert values["exact_count"] == readings.count("exact")


@pytest.mark.covers("arch_published", "comparison")
def test_torchvision_gflops_are_multiply_adds_not_flops(values):
    for row in values["comparison"]:
        if row["printed"].endswith("GFLOPS"):
            printed = float(row["printed"].split()[0]) * 1e9
            place = 10 ** (9 - len(row["printed"].split()[0].split(".")[1]))
            assert agrees(row["computed"], printed, place, "rounded")
            assert not agrees(2 * row["computed"], printed, place, "rounded")  # FLOPs would be twice as many


@pytest.mark.covers("arch_published", "resnet50_conv_biases", "resnet50_statistics", "resnet50_keras_extra", "comparison")
def test_keras_resnet50_minus_torchvision_is_biases_and_statistics(values):
    assert values["resnet50_keras_extra"] == 25_636_712 - 25_557_032  # Keras Total params - torchvision num_params
    assert values["resnet50_statistics"] == KERAS_RESNET50_NON_TRAINABLE
    # One bias per output channel of each convolution: stem 64, then per bottleneck w, w, 4w (+ 4w projection).
    widths = [(64, 3), (128, 4), (256, 6), (512, 3)]
    biases = 64 + sum(n * 6 * w + 4 * w for w, n in widths)
    assert values["resnet50_conv_biases"] == biases == values["resnet50_keras_extra"] - values["resnet50_statistics"]
    (row,) = [r for r in values["comparison"] if r["network"] == "ResNet-50" and r["source"].startswith(KERAS)]
    assert row["computed"] == 25_557_032 + biases + KERAS_RESNET50_NON_TRAINABLE


@pytest.mark.covers("arch_published", "resnet50_flops", "resnet50_stride_1x1_macs")
def test_resnet50_multiply_adds_by_stride_placement(values):
    torchvision = sum(r[3] for r in resnet_rows([3, 4, 6, 3], bottleneck, lambda c: 4 * c).values())
    original = sum(r[3] for r in resnet_rows([3, 4, 6, 3], bottleneck_stride_first, lambda c: 4 * c).values())
    assert values["resnet50_flops"] == 2 * torchvision  # two floating point operations per multiply-add
    assert values["resnet50_stride_1x1_macs"] == original < torchvision
    assert agrees(original, 3.8e9, 1e8, "truncated")  # He et al. 2015, Table 1


TORCHVISION_MOBILENET_V2 = 3_504_872  # torchvision docs, MobileNet_V2: num_params
# Sandler et al. 2018, Table 2: the last 1×1 convolution has 1280 channels, then the
# classifier; every convolution is followed by batch norm (section 6.1), so a bias per
# convolution is one per batch-norm channel: half the Keras non-trainable count.
MOBILENET_V2_FEATURES = 1280


def grid(plain, factors, classifier_inputs, classes=1000):
    """[(options, count)]: every combination of the documented choices, built here. Each
    factor is (name, [(option, change)]); the classifier of `classes` outputs is counted in
    `plain`, and may have one class more (TF-slim's background class) or be left out."""
    head = classifier_inputs * classes + classes
    factors = factors + [("classifier", [("1,000 classes", 0), ("1,001 classes", classifier_inputs + 1),
                                         ("left out", -head)])]
    combos = [([], plain)]
    for name, options in factors:
        combos = [(picked + [(name, option)], count + change) for picked, count in combos for option, change in options]
    return [(dict(picked), count) for picked, count in combos]


def derived(found, printed, place):
    """(rows as the snippet should print them, the reproducing accountings, what they all
    share in words, the standing of the figure): the verdict follows from the search."""
    rows, hits = [], []
    for picked, count in found:
        for how in ("rounded", "truncated"):
            ok = agrees(count, printed, place, how)
            rows.append((tuple(picked.items()), count, how, ok))
            hits += [(picked, how)] if ok else []
    words = [f"{k} {hits[0][0][k]}" for k in hits[0][0] if len({p[k] for p, _ in hits}) == 1] if hits else []
    if hits and len({how for _, how in hits}) == 1:
        words.append(f"the count {hits[0][1]}")
    standing = (f"consistent with {len(hits)} of the {len(rows)} accountings tried, which does not prove how its "
                f"authors counted" if hits else f"reproduced by none of the {len(rows)} accountings tried")
    return rows, hits, ", ".join(words) or "nothing", standing


def as_rows(table):
    keys = [k for k in table[0] if k not in ("count", "reading", "prints as the figure")]
    return [(tuple((k, r[k]) for k in keys), r["count"], r["reading"], r["prints as the figure"]) for r in table]


@pytest.mark.covers("arch_published", "mobilenet_v2_scale_shift", "mobilenet_v2_without_scale_shift",
                    "mobilenet_v2_paper_millions", "mobilenet_v2_millions", "comparison", "mobilenet_v2_tfslim_millions",
                    "mobilenet_v2_grid", "mobilenet_v2_grid_tried", "mobilenet_v2_grid_reproducing",
                    "mobilenet_v2_grid_shared", "mobilenet_v2_grid_standing")
def test_mobilenet_v2_papers_figure_against_every_documented_accounting(values):
    statistics = KERAS_MOBILENET_V2_NON_TRAINABLE  # running mean and variance: as many as the BN scales and shifts
    factors = [("BN scale and shift", [("counted", 0), ("left out", -statistics)]),
               ("BN statistics", [("left out", 0), ("counted", statistics)]),
               ("convolution biases", [("none", 0), ("one per output channel", statistics // 2)])]
    found = grid(TORCHVISION_MOBILENET_V2, factors, MOBILENET_V2_FEATURES)
    rows, hits, shared, standing = derived(found, 3.4e6, 1e5)  # Sandler et al. 2018, Table 4: "3.4M"
    assert as_rows(values["mobilenet_v2_grid"]) == rows
    assert values["mobilenet_v2_grid_tried"] == len(rows)
    assert values["mobilenet_v2_grid_reproducing"] == len(hits) > 0
    assert values["mobilenet_v2_grid_shared"] == shared
    assert values["mobilenet_v2_grid_standing"] == standing
    # The comparison table's row: the first documented alternative that prints as "3.4M" is
    # among the grid's reproducing accountings, and so is not the plain count.
    (row,) = [r for r in values["comparison"] if r["printed"].startswith("3.4M")]
    assert any(count == row["computed"] and how == row["reading"] for (picked, how), (_, count) in
               ((h, next(f for f in found if f[0] == h[0])) for h in hits))
    assert row["verdict"] == (MATCHES if agrees(TORCHVISION_MOBILENET_V2, 3.4e6, 1e5, "rounded") else ACCOUNTING)
    weights_only = TORCHVISION_MOBILENET_V2 - statistics
    assert values["mobilenet_v2_scale_shift"] == statistics
    assert values["mobilenet_v2_without_scale_shift"] == weights_only
    # TF-slim's README (tensorflow/models, research/slim/nets/mobilenet): mobilenet_v2_1.0_224, "3.47" M
    assert values["mobilenet_v2_tfslim_millions"] * 1e6 == pytest.approx(3.47e6, abs=0.5)
    assert agrees(weights_only, 3.47e6, 1e4, "rounded") and not agrees(TORCHVISION_MOBILENET_V2, 3.47e6, 1e4, "rounded")
    assert values["mobilenet_v2_paper_millions"] * 1e6 == pytest.approx(3.4e6, abs=0.5)
    # torchvision's count printed like the paper's figure, to one decimal of millions
    assert values["mobilenet_v2_millions"] * 1e6 == pytest.approx(round(TORCHVISION_MOBILENET_V2 / 1e5) * 1e5, abs=0.5)


@pytest.mark.covers("arch_published", "alexnet_grid", "alexnet_grid_tried", "alexnet_grid_reproducing",
                    "alexnet_grid_shared", "alexnet_grid_standing")
def test_alexnet_papers_60_million_against_every_documented_accounting(values):
    rows_2012 = alexnet_2012()
    plain = sum(row[1] for row in rows_2012.values())
    # Krizhevsky et al. 2012, section 3.5: one bias per kernel of each layer
    biases = 96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000
    found = grid(plain, [("biases", [("counted", 0), ("left out", -biases)])], 4096)
    rows, hits, shared, standing = derived(found, 60e6, 1e6)  # abstract: "60 million parameters"
    assert as_rows(values["alexnet_grid"]) == rows
    assert values["alexnet_grid_tried"] == len(rows)
    assert values["alexnet_grid_reproducing"] == len(hits)
    assert values["alexnet_grid_shared"] == shared
    assert values["alexnet_grid_standing"] == standing


@pytest.mark.covers("arch_published", "lenet5_connections", "alexnet_conv_difference")
def test_lenet_connections_and_the_two_alexnets(values):
    assert values["lenet5_connections"] == 340_908  # LeCun et al. 1998, section II.B
    paper_alexnet = sum(row[1] for row in alexnet_2012().values())
    assert values["alexnet_conv_difference"] == 61_100_840 - paper_alexnet  # torchvision num_params - paper
