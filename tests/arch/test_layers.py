"""Per-layer tables of eight networks, against the papers, the frameworks and brute force.

Every row of every table is compared with an expectation built here without
`snippets/lib/accounting.py`:
- LeNet-5: the per-layer trainable parameters and connections that LeCun et al. (1998,
  section II.B) list; multiply-adds are connections minus one per biased unit.
- AlexNet (2012): the kernels of Krizhevsky et al. (2012, section 3.5) run as reference
  convolutions on inputs of ones padded with ones: each output sums one per product, so
  the sum is the conventional multiply-add count; shapes are what the layers return.
- torchvision's AlexNet, VGG-16 (configuration D of Simonyan and Zisserman 2014, Table 1),
  the ResNets (He et al. 2015, Table 1, torchvision's layout) and the MobileNets (Howard
  et al. 2017, Table 1; Sandler et al. 2018, Table 2): closed forms per block written
  out below from those tables, e.g. a basic block is 3·3·C_in·C + 3·3·C·C weights, two
  batch norms of 2·C, and a 1×1 projection when the shape changes.
- totals: torchvision's documented num_params (exact) and GFLOPS (multiply-adds, rounded
  to the printed digit: tolerance half of it), the Keras summary for MobileNet, and the
  papers' totals for LeNet-5 and AlexNet.
All per-row comparisons are exact integers.
"""

import numpy as np
import pytest

from oracles.published_layers import (alexnet_2012, alexnet_rows, basic, bn, bottleneck, conv_cost, dense, inverted_residual, LENET, resnet_rows, separable, stem, vgg16_rows)


def rows_by_name(values, key):
    return {row["layer"]: row for row in values[key]}


def check_rows(values, key, expected, with_fixed):
    """Every row of the table equals its expectation (name -> (output, params, fixed, macs))."""
    table = rows_by_name(values, key)
    assert list(table) == list(expected), key
    for name, (output, params, fixed, macs) in expected.items():
        row = table[name]
        got = (tuple(row["output"]), row["parameters"], row.get("non-trainable", 0), row["multiply-adds"])
        assert got == (tuple(output), params, fixed, macs), (key, name)
        assert ("non-trainable" in row) == with_fixed


# --- LeNet-5 -------------------------------------------------------------------------------


@pytest.mark.covers("arch_layers", "lenet5", "lenet5_params", "lenet5_macs")
def test_lenet5_is_the_papers(values):
    expected = {name: (shape, params, 0, connections - int(np.prod(shape)))  # one connection per unit is its bias
                for name, (shape, params, connections) in LENET.items()}
    expected["output"] = ((10,), 0, 84 * 10, 84 * 10)  # 10 RBF units on 84 inputs, parameters set by hand
    check_rows(values, "lenet5", expected, with_fixed=True)
    assert values["lenet5_params"] == 60_000  # "60,000 trainable parameters"
    assert values["lenet5_macs"] == sum(e[3] for e in expected.values())


# --- AlexNet ---------------------------------------------------------------------------------


@pytest.mark.covers("arch_layers", "alexnet_2012", "alexnet_2012_params", "alexnet_2012_macs")
def test_alexnet_2012_runs_as_the_paper_describes(values):
    expected = alexnet_2012()
    check_rows(values, "alexnet_2012", expected, with_fixed=False)
    assert values["alexnet_2012_params"] == sum(e[1] for e in expected.values())
    assert 60_000_000 <= values["alexnet_2012_params"] < 61_000_000  # the abstract's "60 million", cut
    assert values["alexnet_2012_macs"] == sum(e[3] for e in expected.values())


@pytest.mark.covers("arch_layers", "alexnet_torchvision", "alexnet_torchvision_params", "alexnet_torchvision_macs")
def test_torchvision_alexnet(values):
    # torchvision.models.alexnet: features 64/192/384/256/256, conv1 padded by 2.
    kernels = [("features.0", 64, 11, 1), ("features.3", 192, 5, 1), ("features.6", 384, 3, 1),
               ("features.8", 256, 3, 1), ("features.10", 256, 3, 1)]
    pools = {"features.0": "features.2", "features.3": "features.5", "features.10": "features.12"}
    expected, shape = alexnet_rows(kernels, 2, pools, (224, 224, 3))
    expected["avgpool"] = (shape, 0, 0, 0)  # adaptive pooling to 6×6 on a 6×6 map
    expected |= {"classifier.1": dense(int(np.prod(shape)), 4096), "classifier.4": dense(4096, 4096),
                 "classifier.6": dense(4096, 1000)}
    check_rows(values, "alexnet_torchvision", expected, with_fixed=False)
    assert values["alexnet_torchvision_params"] == 61_100_840  # torchvision docs: num_params
    assert abs(values["alexnet_torchvision_macs"] - 0.714e9) <= 0.0005e9  # "0.714 GFLOPS", rounded


# --- VGG-16 ----------------------------------------------------------------------------------


@pytest.mark.covers("arch_layers", "vgg16", "vgg16_params", "vgg16_macs")
def test_vgg16_configuration_d(values):
    check_rows(values, "vgg16", vgg16_rows(), with_fixed=False)
    assert values["vgg16_params"] == 138_357_544  # torchvision docs: num_params
    assert abs(values["vgg16_macs"] - 15.47e9) <= 0.005e9  # "15.47 GFLOPS", rounded


# --- ResNets ---------------------------------------------------------------------------------


@pytest.mark.covers("arch_layers", "resnet18", "resnet18_params", "resnet18_macs")
def test_resnet18(values):
    check_rows(values, "resnet18", resnet_rows([2, 2, 2, 2], basic, lambda c: c), with_fixed=True)
    assert values["resnet18_params"] == 11_689_512  # torchvision docs: num_params
    assert abs(values["resnet18_macs"] - 1.814e9) <= 0.0005e9  # "1.814 GFLOPS", rounded


@pytest.mark.covers("arch_layers", "resnet50", "resnet50_params", "resnet50_macs")
def test_resnet50(values):
    check_rows(values, "resnet50", resnet_rows([3, 4, 6, 3], bottleneck, lambda c: 4 * c), with_fixed=True)
    assert values["resnet50_params"] == 25_557_032  # torchvision docs: num_params
    assert abs(values["resnet50_macs"] - 4.089e9) <= 0.0005e9  # "4.089 GFLOPS", rounded


# --- MobileNets ------------------------------------------------------------------------------


@pytest.mark.covers("arch_layers", "mobilenet_v1", "mobilenet_v1_params", "mobilenet_v1_macs")
def test_mobilenet_v1(values):
    # Howard et al. 2017, Table 1: 3×3/2 conv to 32, then 13 depthwise-separable blocks.
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    expected, c_in, size = stem(["conv1", "conv1_bn"]), 32, 112
    for i, (c, stride) in enumerate(blocks, 1):
        size //= stride
        expected[f"block {i}"] = separable(c_in, c, size)
        c_in = c
    expected["global_pool"] = ((1, 1, 1024), 0, 0, 0)
    expected["conv_preds"] = ((1, 1, 1000), 1024 * 1000 + 1000, 0, 1024 * 1000)  # Keras: a 1×1 conv with bias
    check_rows(values, "mobilenet_v1", expected, with_fixed=True)
    assert values["mobilenet_v1_params"] == 4_231_976  # Keras summary: Trainable params
    assert abs(values["mobilenet_v1_macs"] - 569e6) <= 0.5e6  # the paper's "569 million Mult-Adds"


@pytest.mark.covers("arch_layers", "mobilenet_v2", "mobilenet_v2_params", "mobilenet_v2_macs")
def test_mobilenet_v2(values):
    # Sandler et al. 2018, Table 2: (t, c, n, s) per bottleneck sequence.
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                (6, 320, 1, 1)]
    expected, c_in, size, index = stem(["conv_stem", "bn_stem"]), 32, 112, 0
    for t, c, n, s in settings:
        for i in range(n):
            index += 1
            expected[f"block {index}"] = inverted_residual(c_in, c, t, size, s if i == 0 else 1)
            c_in, size = c, size // (s if i == 0 else 1)
    weights, macs = conv_cost(320, 1280, 1, 7)
    expected |= {"conv_last": ((7, 7, 1280), weights, 0, macs), "bn_last": ((7, 7, 1280), *bn(1280), 0),
                 "avgpool": ((1, 1, 1280), 0, 0, 0), "classifier": dense(1280, 1000)}
    check_rows(values, "mobilenet_v2", expected, with_fixed=True)
    assert values["mobilenet_v2_params"] == 3_504_872  # torchvision docs: num_params
    assert abs(values["mobilenet_v2_macs"] - 0.301e9) <= 0.0005e9  # "0.301 GFLOPS", rounded


# --- totals ----------------------------------------------------------------------------------


@pytest.mark.covers("arch_layers", "totals")
def test_totals_table(values):
    rows = {r["network"]: r for r in values["totals"]}
    # (input H×W×C, parameters, non-trainable) from the sources above; the Keras summaries
    # give the batch-norm statistics ("Non-trainable params") of the networks that have BN.
    expected = {"LeNet-5": ((32, 32, 1), 60_000, 840), "AlexNet (2012)": ((227, 227, 3), 60_965_224, 0),
                "AlexNet (torchvision)": ((224, 224, 3), 61_100_840, 0), "VGG-16": ((224, 224, 3), 138_357_544, 0),
                "ResNet-18": ((224, 224, 3), 11_689_512, 9_600), "ResNet-50": ((224, 224, 3), 25_557_032, 53_120),
                "MobileNet V1": ((224, 224, 3), 4_231_976, 21_888),
                "MobileNet V2": ((224, 224, 3), 3_504_872, 34_112)}
    assert list(rows) == list(expected)
    for name, (image, params, fixed) in expected.items():
        assert (tuple(rows[name]["input"]), rows[name]["parameters"], rows[name]["non-trainable"]) == \
            (image, params, fixed), name
    assert sum(alexnet_2012()[k][1] for k in alexnet_2012()) == 60_965_224  # the paper's kernels, summed
    # torchvision's "GFLOPS" are multiply-adds: the FLOPs column (2 per multiply-add) is twice them.
    for name, gflops in {"VGG-16": 15.47, "ResNet-50": 4.089}.items():
        row = rows[name]
        assert abs(row["multiply-adds"] / 1e9 - gflops) < 0.005 and row["FLOPs (2 per multiply-add)"] / 1e9 > 1.9 * gflops
        assert row["FLOPs (2 per multiply-add)"] == row["multiply-adds"] + row["multiply-adds"]
