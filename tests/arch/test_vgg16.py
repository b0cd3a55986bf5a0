"""Where VGG-16's parameters and multiply-adds sit, against configuration D written out.

Oracle: the per-layer parameters and multiply-adds of configuration D (Simonyan and
Zisserman 2014, Table 1) built in closed form by `test_arch_layers.vgg16_rows`, without
`snippets/lib/counting.py`. Shares are quotients of those integers: compared with a
relative tolerance of 1e-12 (float division only).
"""
import pytest

from oracles.published_layers import vgg16_rows


def layers():
    """{name: (params, macs)} of the 16 weight layers, and the totals."""
    rows = {name: (r[1], r[3]) for name, r in vgg16_rows().items() if r[1]}
    return rows, sum(p for p, _ in rows.values()), sum(m for _, m in rows.values())


def share(names, column):
    rows, *total = layers()
    return sum(rows[n][column] for n in names) / total[column]


CONV = [f"conv{s}_{i}" for s, n in enumerate([2, 2, 3, 3, 3], 1) for i in range(1, n + 1)]
DENSE = ["fc6", "fc7", "fc8"]


@pytest.mark.covers("arch_vgg16", "conv_layers", "dense_layers", "dense_params_share", "conv_params_share",
                    "conv_macs_share", "dense_macs_share")
def test_dense_layers_hold_the_weights_and_convolutions_do_the_work(values):
    assert list(layers()[0]) == CONV + DENSE  # 16 weight layers: hence the name
    assert (values["conv_layers"], values["dense_layers"]) == (len(CONV), len(DENSE))
    for key, names, column in [("dense_params_share", DENSE, 0), ("conv_params_share", CONV, 0),
                               ("conv_macs_share", CONV, 1), ("dense_macs_share", DENSE, 1)]:
        assert values[key] == pytest.approx(share(names, column), rel=1e-12), key
    assert values["dense_params_share"] > 0.85 and values["conv_macs_share"] > 0.99  # what the page claims


@pytest.mark.covers("arch_vgg16", "fc6_params", "fc6_params_share", "fc6_macs_share", "busiest_conv_macs",
                    "busiest_conv_count")
def test_fc6_and_the_busiest_convolutions(values):
    rows, _, _ = layers()
    assert values["fc6_params"] == 7 * 7 * 512 * 4096 + 4096 == rows["fc6"][0]
    assert values["fc6_params_share"] == pytest.approx(share(["fc6"], 0), rel=1e-12)
    assert values["fc6_macs_share"] == pytest.approx(share(["fc6"], 1), rel=1e-12)
    # Halving the map and doubling the channels keeps H·W·C_in·C_out: the second and later
    # convolutions of stages 1-4 all cost 224²·64·64·9.
    assert values["busiest_conv_macs"] == 224 * 224 * 64 * 64 * 9 == max(m for _, m in rows.values())
    busiest = [name for name, (_, macs) in rows.items() if macs == values["busiest_conv_macs"]]
    assert busiest == ["conv1_2", "conv2_2", "conv3_2", "conv3_3", "conv4_2", "conv4_3"]
    assert values["busiest_conv_count"] == len(busiest)
