"""Real networks' fields against index enumeration, brute force and published counts."""
import pytest
from oracles.indices import dependencies, interval

from snippets.lib import architectures, brute_force_fields, receptive

FEATURES = {key: receptive.features(architectures.NETWORKS[key]()) for key in
            ("alexnet_2012", "vgg16", "resnet50", "mobilenet_v1")}
# Brute-force input sizes: large enough for the central fields to touch no padding.
BRUTE_SIZE = {"alexnet_2012": 451, "vgg16": 416, "resnet50": 704, "mobilenet_v1": 608}


def enumerated(network):
    """(size, jump, padding) of a network along one axis by index enumeration."""
    first, second = interval(dependencies(network, 0)), interval(dependencies(network, 1))
    return first[1] - first[0] + 1, second[0] - first[0], -first[0]


@pytest.mark.covers("rf_networks", "alexnet_2012", "vgg16", "resnet50", "mobilenet_v1")
def test_every_table_row_matches_index_enumeration(values):
    for key, network in FEATURES.items():
        for row in values[key]:
            prefix = _top_level_prefix(network, row["layer"])
            assert enumerated(prefix) == (row["field"], row["jump"], row["effective padding"]), (key, row)


def _top_level_prefix(network, name):
    """The top-level layers up to the row `name` (a block's row is its closing ReLU)."""
    names = [layer.name for layer in network]
    return network[:(names.index(name) if name in names else names.index(f"{name}.relu")) + 1]


@pytest.mark.covers("rf_networks", "summary", "alexnet_2012_field", "vgg16_field", "resnet50_field",
                    "mobilenet_v1_field")
def test_last_fields_match_the_brute_force(values):
    for row, (key, network) in zip(values["summary"], FEATURES.items()):
        brute = brute_force_fields.measured(network, BRUTE_SIZE[key])
        assert row["field"] == values[f"{key}_field"] == brute.size[0]
        assert row["jump"] == brute.jump[0] and row["effective padding"] == brute.padding[0]
        assert row["input"] == architectures.INPUT[key][1]
        assert row["field / input side"] == pytest.approx(brute.size[0] / row["input"], abs=0.005)  # 2 decimals
    assert [r["network"] for r in values["summary"]] == ["AlexNet (2012)", "VGG-16", "ResNet-50", "MobileNet V1"]
    assert [r["last feature map"] for r in values["summary"]] == ["pool5", "pool5", "layer4.2", "conv_pw_13_relu"]


@pytest.mark.covers("rf_networks", "alexnet_2012_depth", "vgg16_depth", "resnet50_depth", "mobilenet_v1_depth")
def test_depths_are_the_published_layer_counts(values):
    assert values["alexnet_2012_depth"] == 5 + 3  # Krizhevsky et al. 2012: five conv layers, three max poolings
    assert values["vgg16_depth"] == 13 + 5  # Simonyan & Zisserman 2014, config D: 13 conv layers, 5 max poolings
    assert values["resnet50_depth"] == 49 + 1  # He et al. 2015, Table 1: 49 conv layers + fc = 50; one max pool
    assert values["mobilenet_v1_depth"] == 28 - 1  # Howard et al. 2017, Table 1: 28 layers counting the fc


def test_the_figure_marks_each_networks_own_input_side():
    """One dashed line per input size, named by its networks: AlexNet (2012) takes 227
    pixels (the size that gives its 55×55 first layer, cs231n), the others 224."""
    from snippets.lib import style
    from snippets.rf.networks import NETWORKS, compute, figure_growth

    v = compute()
    with style.use("light"):
        fig = figure_growth(v)
    labels = [t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()]
    assert labels[-2:] == ["input of AlexNet (2012): 227 px", "input of VGG-16, ResNet-50, MobileNet V1: 224 px"]
    assert len(NETWORKS) == 4
