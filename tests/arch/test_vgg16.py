"""Where VGG-16's parameters and multiply-adds sit, against configuration D written out.

Oracle: the per-layer parameters and multiply-adds of configuration D (Simonyan and
Zisserman 2014, Table 1) built in closed form by `oracles.published_layers.vgg16_rows`, without
`snippets/lib/accounting.py`. Shares are quotients of those integers: compared with a
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


@pytest.mark.covers("arch_vgg16", "busiest_conv_macs", "stage_opening_macs", "stage_opening_count",
                    "last_stage_macs", "last_stage_count", "first_conv_macs")
def test_the_convolutions_cost_is_not_flat(values):
    """Configuration D: a stage's first convolution doubles only its input's channels (half
    the cost); stage 5 keeps 512 channels on a halved map (a quarter); conv1_1 reads 3."""
    rows, _, _ = layers()
    assert values["stage_opening_macs"] == 112 * 112 * 64 * 128 * 9 == rows["conv2_1"][1]
    assert values["stage_opening_macs"] * 2 == values["busiest_conv_macs"]
    openings = [n for n in CONV if rows[n][1] == values["stage_opening_macs"]]
    assert openings == ["conv2_1", "conv3_1", "conv4_1"] and values["stage_opening_count"] == len(openings)
    assert values["last_stage_macs"] == 14 * 14 * 512 * 512 * 9 == rows["conv5_1"][1] == rows["conv5_3"][1]
    assert values["last_stage_macs"] * 4 == values["busiest_conv_macs"]
    assert values["last_stage_count"] == 3
    assert values["first_conv_macs"] == 224 * 224 * 3 * 64 * 9 == rows["conv1_1"][1]


@pytest.mark.covers("arch_vgg16", "conv1_2_params", "busiest_conv_macs", "fc6_params", "fc6_macs")
def test_the_smallest_case_two_layers_by_hand(values):
    """The page's opening: conv1_2 (64 filters of 3×3×64 on 224×224, padded) and fc6
    (7·7·512 inputs, 4096 outputs), each counted by hand from Table 1, configuration D."""
    rows = layers()[0]
    assert values["conv1_2_params"] == 64 * 3 * 3 * 64 + 64 == rows["conv1_2"][0]
    assert values["busiest_conv_macs"] == 224 * 224 * 64 * 64 * 9 == rows["conv1_2"][1]
    assert values["fc6_macs"] == 7 * 7 * 512 * 4096 == rows["fc6"][1]
    # what the page says of them: the convolution has few parameters and much work, fc6 the reverse
    assert values["conv1_2_params"] < values["fc6_params"] and values["busiest_conv_macs"] > values["fc6_macs"]
