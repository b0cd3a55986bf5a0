"""Tests of snippets/lib/architectures.py against the published figures of
snippets/lib/published_totals.py.

The oracle is what the publishers state, with the source in `published_totals.PUBLISHED`
(and next to each check): torchvision's model docs (``num_params`` and the GFLOPS
column, ``meta["_ops"]``), Keras ``model.summary()`` of ``keras.applications`` models,
and the papers. Exact counts must match exactly. Where two publishers count differently,
the difference must be exactly a breakdown computed from the walked layers.

Tolerances for rounded figures: a figure printed to a last digit of value r (e.g. 4.089
GFLOPS, r = 0.001e9) was rounded, so the count must lie within r/2 of it. Two papers
print figures that are not rounded but cut (ResNet, AlexNet): for those the count must
lie in [value, value + r). The MobileNetV2 paper's "300M" gets 1%: its authors print
MobileNet V1 as 575M in that paper and as 569M in the V1 paper, so their multiply-add
figures carry about 1% of bookkeeping (which layers, which rounding).
"""
import math

import pytest

from snippets.lib import architectures as A
from snippets.lib.accounting import totals, walk
from snippets.lib.published_totals import PUBLISHED as P


def rows_of(name, *args, **kwargs):
    return walk(A.NETWORKS[name](*args, **kwargs), A.INPUT[name])


def total_of(name, *args, **kwargs):
    return totals(rows_of(name, *args, **kwargs))


def row(rows, name):
    (found,) = [r for r in rows if r.name == name]
    return found


def rounded_to(count, published):
    """The published figure is `count` rounded to its last printed digit."""
    return abs(count - published.value) <= published.resolution / 2


def cut_to(count, published):
    """The published figure is `count` with the digits after the last printed one dropped."""
    return published.value <= count < published.value + published.resolution


def conv_biases(rows):
    """Biases a Keras-style network would add: one per output channel of every convolution."""
    return sum(r.out_shape[0] for r in rows if r.kind == "Conv")


def bn_channels(rows):
    return sum(r.out_shape[0] for r in rows if r.kind == "BatchNorm")


def test_every_published_entry_says_where_it_comes_from_and_what_it_counts():
    for key, entry in P.items():
        assert entry.source and entry.claim and entry.resolution > 0, key


# --- torchvision: num_params exactly -----------------------------------------------------


@pytest.mark.parametrize("network, key", [
    ("alexnet_torchvision", "torchvision.alexnet.params"),  # 61,100,840
    ("vgg16", "torchvision.vgg16.params"),  # 138,357,544
    ("resnet18", "torchvision.resnet18.params"),  # 11,689,512
    ("resnet50", "torchvision.resnet50.params"),  # 25,557,032
    ("mobilenet_v2", "torchvision.mobilenet_v2.params"),  # 3,504,872
])
def test_trainable_parameters_equal_torchvision_num_params(network, key):
    # Source: torchvision docs, <Model>_Weights.IMAGENET1K_V1, "num_params".
    assert total_of(network).params == P[key].value


# --- Keras: total, trainable and non-trainable exactly -----------------------------------


def test_keras_vgg16_counts_the_same_as_torchvision():
    # Keras VGG16 summary: Total params 138,357,544; no BN, so nothing non-trainable, and
    # torchvision's adaptive pooling (identity at 224) adds nothing.
    t = total_of("vgg16")
    assert (t.total, t.non_trainable) == (P["keras.VGG16.total"].value, P["keras.VGG16.non_trainable"].value)
    assert P["keras.VGG16.total"].value == P["torchvision.vgg16.params"].value


def test_keras_resnet50_is_caffe_v1_with_conv_biases_and_bn_statistics():
    # Keras ResNet50 summary: Total 25,636,712 = Trainable 25,583,592 + Non-trainable 53,120.
    keras = total_of("resnet50", "1x1", bias=True)
    assert keras.params == P["keras.ResNet50.trainable"].value
    assert keras.non_trainable == P["keras.ResNet50.non_trainable"].value
    assert keras.total == P["keras.ResNet50.total"].value


def test_keras_minus_torchvision_resnet50_is_conv_biases_plus_running_statistics():
    """The two published totals differ by exactly what the torchvision layers lack in
    Keras's accounting: a bias on each of its convolutions (Keras Conv2D default) and the
    running mean and variance of each batch norm (buffers in PyTorch)."""
    tv = rows_of("resnet50")
    difference = P["keras.ResNet50.total"].value - P["torchvision.resnet50.params"].value
    assert difference == conv_biases(tv) + 2 * bn_channels(tv)
    assert conv_biases(tv) == 26_560 and 2 * bn_channels(tv) == P["keras.ResNet50.non_trainable"].value


def test_where_the_stride_sits_changes_multiply_adds_not_parameters():
    v15, v1 = total_of("resnet50"), total_of("resnet50", "1x1")
    assert v15.params == v1.params
    assert v15.macs > v1.macs  # the 3×3 sees the full-resolution map when the stride is later
    assert row(rows_of("resnet50", "1x1"), "layer2.0.conv1").out_shape == (128, 28, 28)
    assert row(rows_of("resnet50"), "layer2.0.conv1").out_shape == (128, 56, 56)


def test_keras_mobilenet_v1_counts():
    # Keras MobileNet summary: Total 4,253,864 = Trainable 4,231,976 + Non-trainable 21,888.
    rows = rows_of("mobilenet_v1")
    t = totals(rows)
    assert (t.params, t.non_trainable, t.total) == (P["keras.MobileNet.trainable"].value,
                                                    P["keras.MobileNet.non_trainable"].value,
                                                    P["keras.MobileNet.total"].value)
    # Only the classifier (a 1×1 convolution on the pooled 1024 features) has a bias,
    # so it counts exactly as a 1024 -> 1000 dense layer with bias.
    biased = [r for r in rows if getattr(r.spec, "bias", False)]
    assert [r.name for r in biased] == ["conv_preds"]
    assert biased[0].params == 1024 * 1000 + 1000


def test_keras_mobilenet_v2_is_torchvision_plus_bn_statistics():
    # Keras MobileNetV2 summary: Total 3,538,984 = Trainable 3,504,872 + Non-trainable 34,112.
    rows = rows_of("mobilenet_v2")
    t = totals(rows)
    assert t.params == P["keras.MobileNetV2.trainable"].value == P["torchvision.mobilenet_v2.params"].value
    assert t.non_trainable == 2 * bn_channels(rows) == P["keras.MobileNetV2.non_trainable"].value
    assert t.total == P["keras.MobileNetV2.total"].value


# --- LeNet-5: the paper's numbers --------------------------------------------------------

# LeCun et al. 1998, section II.B: trainable parameters and connections of each layer.
LENET_LAYERS = {"C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000),
                "C5": (48_120, 48_120), "F6": (10_164, 10_164)}


def connections(r):
    """LeCun's connections: one per multiply-add, plus one per unit for its bias."""
    return r.macs + (math.prod(r.out_shape) if getattr(r.spec, "bias", False) else 0)


@pytest.mark.parametrize("name", LENET_LAYERS)
def test_lenet5_layers_match_the_paper(name):
    r = row(rows_of("lenet5"), name)
    assert (r.params, connections(r)) == LENET_LAYERS[name]


def test_lenet5_totals_match_the_paper():
    rows = rows_of("lenet5")
    assert totals(rows).params == P["paper.lenet5.params"].value  # 60,000
    assert sum(connections(r) for r in rows) == P["paper.lenet5.connections"].value  # 340,908, RBF included
    assert row(rows, "C3").params == P["paper.lenet5.C3.params"].value  # 1,516
    assert row(rows, "output").non_trainable == 84 * 10  # the fixed RBF vectors


# --- AlexNet -----------------------------------------------------------------------------


def test_alexnet_2012_is_the_papers_60_million():
    # Krizhevsky et al. 2012: "60 million parameters" (cut, not rounded: 60.97 million).
    assert cut_to(total_of("alexnet_2012").params, P["paper.alexnet.params"])


# Krizhevsky et al. 2012, section 3.5: number of kernels and their size (h × w × depth).
# Depth 48 and 192 are half of the 96 and 384 input channels: conv2, conv4 and conv5 see
# only the maps on their own GPU.
ALEXNET_KERNELS = {"conv1": (96, 11, 11, 3), "conv2": (256, 5, 5, 48), "conv3": (384, 3, 3, 256),
                   "conv4": (384, 3, 3, 192), "conv5": (256, 3, 3, 192)}


@pytest.mark.parametrize("name", ALEXNET_KERNELS)
def test_alexnet_2012_kernels_are_the_papers(name):
    count, h, w, depth = ALEXNET_KERNELS[name]
    assert row(rows_of("alexnet_2012"), name).params == count * h * w * depth + count  # one bias per kernel


def test_torchvision_alexnet_differs_from_the_original_only_in_the_convolutions():
    """Same classifier (9216 -> 4096 -> 4096 -> 1000); the whole difference of the two
    totals is in the five convolutions (64/192/384/256/256 filters, no groups)."""
    tv, original = rows_of("alexnet_torchvision"), rows_of("alexnet_2012")
    dense = [[r.params for r in rows if r.kind == "Dense"] for rows in (tv, original)]
    assert dense[0] == dense[1]
    conv = [sum(r.params for r in rows if r.kind == "Conv") for rows in (tv, original)]
    assert conv[0] - conv[1] == P["torchvision.alexnet.params"].value - total_of("alexnet_2012").params


# --- shapes everyone quotes --------------------------------------------------------------


@pytest.mark.parametrize("network, layer, shape", [
    ("lenet5", "C1", (6, 28, 28)), ("lenet5", "C3", (16, 10, 10)), ("lenet5", "C5", (120, 1, 1)),
    ("alexnet_2012", "conv1", (96, 55, 55)),  # 227 input, as in the Caffe model (224 needs the ceiling or padding)
    ("alexnet_2012", "pool5", (256, 6, 6)),
    ("alexnet_torchvision", "features.0", (64, 55, 55)),
    ("vgg16", "conv5_3", (512, 14, 14)), ("vgg16", "pool5", (512, 7, 7)),
    ("resnet18", "layer4.1.relu", (512, 7, 7)),
    ("resnet50", "maxpool", (64, 56, 56)), ("resnet50", "layer4.2.relu", (2048, 7, 7)),
    ("mobilenet_v1", "conv_pw_13_relu", (1024, 7, 7)),
    ("mobilenet_v2", "relu_last", (1280, 7, 7)),
])
def test_well_known_output_shapes(network, layer, shape):
    assert row(rows_of(network), layer).out_shape == shape


def test_every_network_ends_in_its_classes():
    for name in A.NETWORKS:
        assert total_of(name).out_shape == ((10,) if name == "lenet5" else (A.CLASSES,)), name


def test_every_layer_before_the_classifier_has_explicit_geometry():
    """The receptive-field page walks kernel, stride, padding, dilation of these specs."""
    for name in A.NETWORKS:
        rows = rows_of(name)
        spatial = [r for r in rows if len(r.out_shape) == 3 and r.kind != "AdaptiveAvgPool"]
        assert all(r.kernel and r.stride and r.padding and r.dilation for r in spatial), name


# --- multiply-adds -----------------------------------------------------------------------


@pytest.mark.parametrize("network, key", [
    ("alexnet_torchvision", "torchvision.alexnet.macs"),  # 0.714
    ("vgg16", "torchvision.vgg16.macs"),  # 15.47
    ("resnet18", "torchvision.resnet18.macs"),  # 1.814
    ("resnet50", "torchvision.resnet50.macs"),  # 4.089
    ("mobilenet_v2", "torchvision.mobilenet_v2.macs"),  # 0.301
])
def test_torchvision_gflops_column_is_multiply_adds(network, key):
    """torchvision's GFLOPS figures (meta["_ops"]) are convolution and linear multiply-adds,
    rounded to the printed digit (tolerance: half of it). Twice the count, the FLOPs of
    this site's convention, would be off by a factor of two."""
    macs = total_of(network).macs
    assert rounded_to(macs, P[key])
    assert not rounded_to(2 * macs, P[key])


def test_mobilenet_v1_multiply_adds_and_parameters_match_the_paper():
    # Howard et al. 2017, Table 8: 569 million Mult-Adds, 4.2 million parameters (rounded).
    t = total_of("mobilenet_v1")
    assert rounded_to(t.macs, P["paper.mobilenet_v1.macs"])
    assert rounded_to(t.params, P["paper.mobilenet_v1.params"])


def test_mobilenet_v2_multiply_adds_are_the_papers_300_million():
    # Sandler et al. 2018, Table 4: 300M multiply-adds; 1% (see the module docstring).
    assert total_of("mobilenet_v2").macs == pytest.approx(P["paper.mobilenet_v2.macs"].value, rel=0.01)


def test_resnet_paper_flops_are_multiply_adds_of_the_original_stride_placement():
    # He et al. 2015, Table 1: 1.8×10⁹ and 3.8×10⁹ "FLOPs", cut to two digits. ResNet-50
    # matches with the stride on the first 1×1 (the paper's model); torchvision's v1.5
    # placement is 4.09×10⁹, outside the paper's figure.
    assert cut_to(total_of("resnet18").macs, P["paper.resnet18.macs"])
    assert cut_to(total_of("resnet50", "1x1").macs, P["paper.resnet50.macs"])
    assert not cut_to(total_of("resnet50").macs, P["paper.resnet50.macs"])


def test_vgg16_parameters_are_the_papers_138_million():
    # Simonyan and Zisserman 2014, Table 2: 138 million for configuration D (rounded).
    assert rounded_to(total_of("vgg16").params, P["paper.vgg16.params"])


def test_padding_taps_are_a_visible_share_of_multiply_adds():
    """Excluding padded taps lowers every padded network's count, never raises it."""
    for name in A.NETWORKS:
        t = total_of(name)
        assert t.macs_excluding_padding <= t.macs, name
    assert total_of("lenet5").macs_excluding_padding == total_of("lenet5").macs  # LeNet-5 never pads
