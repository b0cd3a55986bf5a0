"""Computed totals against the figures torchvision, Keras and the papers publish.

For every published total, tries the ways of counting that publishers document (with
batch-norm statistics, with a bias on every convolution, FLOPs instead of multiply-adds,
another stride placement) and lets code decide: the plain count matches, another
accounting matches (and which), or nothing does.
"""
import itertools
import math
from functools import cache

from snippets.lib import architectures, fmt
from snippets.lib.architectures import NAMES
from snippets.lib.published_totals import PUBLISHED, published
from snippets.lib.accounting import totals, walk
from snippets.lib.formulas import flops
from snippets.lib.quotes import READINGS

# Sandler et al. 2018 (MobileNetV2), Table 4: "3.4M" parameters for MobileNetV2 (1.0).
MOBILENET_V2_PAPER = published("paper.mobilenet_v2.params", 3_400_000, "Sandler et al. 2018, Table 4: 3.4M parameters", "parameters", 10**5)
MODELS = {  # the publisher's name of a model -> the spec that builds it
    "alexnet": "alexnet_torchvision", "vgg16": "vgg16", "resnet18": "resnet18", "resnet50": "resnet50",
    "mobilenet_v1": "mobilenet_v1", "mobilenet_v2": "mobilenet_v2", "lenet5": "lenet5",
    "VGG16": "vgg16", "ResNet50": "resnet50", "MobileNet": "mobilenet_v1", "MobileNetV2": "mobilenet_v2",
}
PAPER_MODELS = {"alexnet": "alexnet_2012"}  # the paper describes the original network, not torchvision's
VARIANTS = {"resnet50": ("with the stride on the first 1×1 (the original model)", lambda: architectures.resnet50("1x1"))}
SHOWN = ("params", "macs", "total", "connections")  # Keras's trainable and non-trainable parts add up to its total


def compared():
    """(key, published entry) of every whole-network figure, the paper's 3.4M included."""
    entries = {**PUBLISHED, "paper.mobilenet_v2.params": MOBILENET_V2_PAPER}
    return [(key, entry) for key, entry in entries.items() if len(key.split(".")) == 3 and key.split(".")[2] in SHOWN]


def network_of(key):
    publisher, model, _ = key.split(".")
    return PAPER_MODELS.get(model, MODELS[model]) if publisher == "paper" else MODELS[model]


@cache
def parts(network):
    """The pieces that accountings add or leave out, counted from the walked layers."""
    rows = walk(architectures.NETWORKS[network](), architectures.INPUT[network])
    norms = [r for r in rows if r.kind == "BatchNorm"]
    total = totals(rows)
    return {
        "params": total.params,
        "statistics": sum(r.non_trainable for r in norms),  # running mean and variance
        "scale_shift": sum(r.params for r in norms),
        "conv_biases": sum(r.out_shape[0] for r in rows if r.kind in ("Conv", "DepthwiseConv") and not r.spec.bias),
        "macs": total.macs,
        "biased_units": sum(math.prod(r.out_shape) for r in rows if getattr(r.spec, "bias", False)),
    }


# Every documented choice a parameter count can make, for the grid search of a round
# figure: batch norm's scale and shift (torchvision and Keras count them as parameters),
# its running statistics (Keras's "Non-trainable params"), a bias on every convolution
# (Keras's Conv2D default) or, for a network built with biases, the biases left out (the
# weights alone), and the classifier: 1,000 classes, 1,001 (TF-slim's checkpoints add a
# background class) or left out (a "feature extractor" count). A network only gets the
# choices it has pieces for.
GRID_READINGS = ("rounded", "truncated")


def choices(network):
    """[(what is chosen, [(option, change to the parameter count)])]: the first option is
    the plain count's."""
    rows = walk(architectures.NETWORKS[network](), architectures.INPUT[network])
    p, head = parts(network), next(r for r in reversed(rows) if r.kind == "Dense")
    inputs = head.params // head.out_shape[0] - 1  # features the classifier reads
    biased = [r for r in rows if r.kind in ("Conv", "DepthwiseConv", "Dense") and getattr(r.spec, "bias", False)]
    biases = sum(r.out_shape[0] for r in biased)  # one per output channel or unit, the classifier's included
    found = []
    if p["scale_shift"]:
        found.append(("BN scale and shift", [("counted", 0), ("left out", -p["scale_shift"])]))
    if p["statistics"]:
        found.append(("BN statistics", [("left out", 0), ("counted", p["statistics"])]))
    if p["conv_biases"]:
        found.append(("convolution biases", [("none", 0), ("one per output channel", p["conv_biases"])]))
    if p["conv_biases"] == 0 and biases:  # a network built with biases: the weights alone
        found.append(("biases", [("counted", 0), ("left out", -biases)]))
    found.append(("classifier", [("1,000 classes", 0), ("1,001 classes", inputs + 1), ("left out", -head.params)]))
    return found


def grid(network):
    """[({what: option}, count)] of every combination of the documented choices."""
    factors = choices(network)
    plain = parts(network)["params"]
    return [({what: option for (what, _), (option, _) in zip(factors, picked)}, plain + sum(d for _, d in picked))
            for picked in itertools.product(*(options for _, options in factors))]


def grid_search(network, entry):
    """Every accounting of the grid, rounded and truncated to the figure's last digit:
    the table of what was tried, and the accountings that print as the figure."""
    table, hits = [], []
    for picked, count in grid(network):
        for how in GRID_READINGS:
            ok = READINGS[how](entry, count)
            table.append({**picked, "count": count, "reading": how, "prints as the figure": ok})
            if ok:
                hits.append((picked, how))
    return table, hits


def shared(hits):
    """In words, what every reproducing accounting has in common: its options and its
    reading ('nothing' when they share nothing)."""
    if not hits:
        return "nothing"
    words = [f"{what} {hits[0][0][what]}" for what in hits[0][0] if len({p[what] for p, _ in hits}) == 1]
    readings = {how for _, how in hits}
    words += [f"the count {readings.pop()}"] if len(readings) == 1 else []
    return ", ".join(words) or "nothing"


def standing(hits, tried):
    """What a search says of a round figure: which accountings reproduce it is evidence
    that it is consistent with them, never proof of how its authors counted."""
    if not hits:
        return f"reproduced by none of the {tried} accountings tried"
    return f"consistent with {len(hits)} of the {tried} accountings tried, which does not prove how its authors counted"


def accountings(network, quantity, label):
    """[(how it counts, count)]: what the figure's label says first, then the documented
    alternatives. A figure labelled FLOPs should be two per multiply-add."""
    p = parts(network)
    if quantity == "connections":  # LeCun et al.: one per multiply-add, one per biased unit
        return [(f"multiply-adds + biased units ({fmt.text(p['biased_units'])})", p["macs"] + p["biased_units"])]
    if quantity == "macs":
        found = [("multiply-adds", p["macs"]), ("FLOPs, 2 per multiply-add", flops(p["macs"]))]
        if "FLOP" in label:
            found.reverse()
        if network in VARIANTS:
            how, build = VARIANTS[network]
            found.append((f"multiply-adds {how}", totals(walk(build(), architectures.INPUT[network])).macs))
        return found
    stats, biases = fmt.text(p["statistics"]), fmt.text(p["conv_biases"])
    candidates = [
        ("parameters", p["params"]),
        (f"parameters + BN statistics ({stats})", p["params"] + p["statistics"]),  # Keras's "Total params"
        (f"parameters + a bias per convolution ({biases})", p["params"] + p["conv_biases"]),  # Keras Conv2D
        (f"parameters + a bias per convolution ({biases}) + BN statistics ({stats})",
         p["params"] + p["conv_biases"] + p["statistics"]),
    ]
    if p["scale_shift"]:  # the weights alone, as TF-slim's README counts MobileNetV2
        candidates.append((f"weights only: parameters − BN scale and shift ({fmt.text(p['scale_shift'])})",
                           p["params"] - p["scale_shift"]))
    return candidates[:1] + [c for c in candidates[1:] if c[1] != p["params"]]  # drop the pieces a network lacks


def reading(count, entry):
    """How the printed figure relates to `count`: 'exact', 'rounded' (to the last printed
    digit) or 'truncated' (the further digits dropped); None if it does not."""
    candidates = ("exact",) if entry.resolution == 1 else ("rounded", "truncated")
    return next((r for r in candidates if READINGS[r](entry, count)), None)


def verdict(key, entry):
    """(network, how it is counted, count, reading, verdict) of one published figure:
    'matches' by the plain count, 'differs by accounting' by another, else 'wrong'."""
    network = network_of(key)
    options = accountings(network, key.split(".")[2], printed(key, entry))
    for index, (how, count) in enumerate(options):
        read = reading(count, entry)
        if read:
            return network, how, count, read, "matches" if index == 0 else "differs by accounting"
    return network, *options[0], "none", "wrong"


def printed(key, entry):
    """The figure as its source prints it."""
    return entry.printed


def source(key, entry):
    publisher, _, quantity = key.split(".")
    if publisher == "torchvision":
        return "torchvision docs: " + ("GFLOPS" if quantity == "macs" else "num_params")
    if publisher == "keras":
        return "Keras model.summary(): Total params"
    return entry.source.split(":")[0]


def compute():
    table = []
    for key, entry in compared():
        network, how, count, read, decided = verdict(key, entry)
        table.append({"network": NAMES[network], "source": source(key, entry), "printed": printed(key, entry),
                      "computed": count, "reading": read, "verdict": decided, "counted as": how})
    resnet, mobilenet, lenet = parts("resnet50"), parts("mobilenet_v2"), parts("lenet5")
    stride_1x1 = accountings("resnet50", "macs", "")[2][1]
    return {
        "comparison": table,
        "published_count": len(table),
        "matching_count": sum(r["verdict"] == "matches" for r in table),
        "accounting_count": sum(r["verdict"] == "differs by accounting" for r in table),
        "wrong_count": sum(r["verdict"] == "wrong" for r in table),
        "exact_count": sum(r["reading"] == "exact" for r in table),
        "resnet50_conv_biases": resnet["conv_biases"],
        "resnet50_statistics": resnet["statistics"],
        "resnet50_keras_extra": resnet["conv_biases"] + resnet["statistics"],
        "resnet50_flops": flops(resnet["macs"]),
        "resnet50_stride_1x1_macs": stride_1x1,
        "mobilenet_v2_tfslim_millions": PUBLISHED["tfslim.mobilenet_v2.params"].value / 1e6,
        "mobilenet_v2_paper_millions": MOBILENET_V2_PAPER.value / 1e6,
        "mobilenet_v2_millions": round(mobilenet["params"] / MOBILENET_V2_PAPER.resolution)  # printed alike
        * MOBILENET_V2_PAPER.resolution / 1e6,
        "mobilenet_v2_scale_shift": mobilenet["scale_shift"],
        "mobilenet_v2_without_scale_shift": mobilenet["params"] - mobilenet["scale_shift"],
        "lenet5_connections": lenet["macs"] + lenet["biased_units"],
        "alexnet_conv_difference": parts("alexnet_torchvision")["params"] - parts("alexnet_2012")["params"],
        **round_figure("mobilenet_v2", "mobilenet_v2", MOBILENET_V2_PAPER),
        **round_figure("alexnet", "alexnet_2012", PUBLISHED["paper.alexnet.params"]),
    }


def round_figure(prefix, network, entry):
    """The grid search of one round published parameter count, and what it allows one to say."""
    table, hits = grid_search(network, entry)
    return {
        f"{prefix}_grid": table,
        f"{prefix}_grid_tried": len(table),
        f"{prefix}_grid_reproducing": len(hits),
        f"{prefix}_grid_shared": shared(hits),
        f"{prefix}_grid_standing": standing(hits, len(table)),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
