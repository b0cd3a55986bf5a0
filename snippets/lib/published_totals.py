"""The totals that the publishers of real networks state, as quotes (`quotes.Quote`): each
with its source, what it counts and its precision. `PUBLISHED` maps a key
(``publisher.network.quantity``) to its quote; the tests and the audit compare them with
the networks of `architectures` walked by `accounting.walk`.

What the publishers count differs:

- torchvision ``num_params`` is ``sum(p.numel() for p in model.parameters())``:
  weights and biases, batch-norm scale and shift; running statistics are buffers and
  are not counted.
- Keras ``model.summary()`` "Total params" adds batch norm's moving mean and variance
  ("Non-trainable params") to the trainable ones.
- torchvision's GFLOPS column counts multiply-adds; papers say FLOPs, Mult-Adds or
  multiply-adds for the same quantity.
"""
import math

from snippets.lib import fmt
from snippets.lib.quotes import Quote


def published(key, value, source, counts, resolution=1):
    """A published figure as a `quotes.Quote`: what it counts, its value, and its
    precision (``resolution``, the place value of its last printed digit: 1 for an exact
    count, ``10**5`` for "4.2 million"). Its reading (exact, rounded, truncated) is not
    declared: `arch/published.py` finds it by a search over the readings the precision
    allows. The printed form is the source's words after the colon, or how the publisher
    prints its tables."""
    publisher, _, quantity = key.split(".", 2)
    if publisher in ("paper", "tfslim") and ": " in source:
        printed = source.split(": ", 1)[1].strip("'")
    elif publisher == "torchvision" and quantity.endswith("macs"):  # the GFLOPS column
        printed = f"{value / 1e9:.{9 - round(math.log10(resolution))}f} GFLOPS"
    else:
        printed = fmt.text(value)
    return Quote(source, counts, printed, value, reading=None, resolution=resolution)


TORCHVISION_DOCS = "https://pytorch.org/vision/stable/models/generated/torchvision.models.{}.html"
KERAS_SUMMARY = "Keras Applications: keras.applications.{}().summary() (keras.io/api/applications prints it rounded)"


def _torchvision(model, weights, num_params, gflops, digits):
    """The two figures torchvision documents for a model's IMAGENET1K_V1 weights, as
    (value, source, what it counts, resolution)."""
    where = f"torchvision docs, {weights}_Weights.IMAGENET1K_V1 ({TORCHVISION_DOCS.format(model)})"
    return {
        f"torchvision.{model}.params": (
            num_params, f"{where}: num_params",
            "trainable parameters: weights, biases, BN scale and shift (running statistics are buffers)"),
        f"torchvision.{model}.macs": (
            round(gflops * 1e9), f"{where}: GFLOPS (meta['_ops'])",
            "multiply-adds of convolutions and linear layers in units of 10⁹, although headed GFLOPS",
            10 ** (9 - digits)),
    }


def _keras(model, trainable, non_trainable, what):
    """Total, Trainable and Non-trainable params of a Keras model's summary, as (value,
    source, what it counts)."""
    where = KERAS_SUMMARY.format(model)
    return {
        f"keras.{model}.total": (trainable + non_trainable, f"{where}: Total params",
                                 "trainable plus non-trainable"),
        f"keras.{model}.trainable": (trainable, f"{where}: Trainable params", what),
        f"keras.{model}.non_trainable": (non_trainable, f"{where}: Non-trainable params",
                                         "batch norm moving mean and variance"),
    }


_FIGURES = {  # key -> (value, source, what it counts, resolution)
    **_torchvision("alexnet", "AlexNet", 61_100_840, 0.714, 3),
    **_torchvision("vgg16", "VGG16", 138_357_544, 15.47, 2),
    **_torchvision("resnet18", "ResNet18", 11_689_512, 1.814, 3),
    **_torchvision("resnet50", "ResNet50", 25_557_032, 4.089, 3),
    **_torchvision("mobilenet_v2", "MobileNet_V2", 3_504_872, 0.301, 3),
    **_keras("VGG16", 138_357_544, 0, "conv and dense weights and biases (no batch norm)"),
    **_keras("ResNet50", 25_583_592, 53_120, "conv weights and biases, BN gamma and beta, dense"),
    **_keras("MobileNet", 4_231_976, 21_888, "bias-free convs, BN gamma and beta, conv_preds weights and bias"),
    **_keras("MobileNetV2", 3_504_872, 34_112, "bias-free convs, BN gamma and beta, dense"),
    "paper.lenet5.params": (60_000, "LeCun et al. 1998, section II.B: 60,000 trainable parameters",
                            "trainable free parameters (the hand-set RBFSpec vectors excluded)"),
    "paper.lenet5.connections": (340_908, "LeCun et al. 1998, section II.B: 340,908 connections",
                                 "connections: one per multiply-add plus one per biased unit"),
    "paper.lenet5.C3.params": (1_516, "LeCun et al. 1998, section II.B", "C3 trainable parameters"),
    "paper.alexnet.params": (60_000_000, "Krizhevsky et al. 2012, abstract: '60 million parameters'",
                             "weights and biases", 10**6),
    "paper.vgg16.params": (138_000_000, "Simonyan and Zisserman 2014, Table 2: 138 million (config. D)",
                           "weights and biases", 10**6),
    "paper.resnet18.macs": (1_800_000_000, "He et al. 2015, Table 1: 1.8×10⁹ FLOPs", "multiply-adds",
                            10**8),
    "paper.resnet50.macs": (3_800_000_000, "He et al. 2015, Table 1: 3.8×10⁹ FLOPs", "multiply-adds",
                            10**8),
    "paper.mobilenet_v1.macs": (569_000_000, "Howard et al. 2017, Tables 6 and 8: 569 million Mult-Adds",
                                "multiply-adds", 10**6),
    "paper.mobilenet_v1.params": (4_200_000, "Howard et al. 2017, Tables 6 and 8: 4.2 million parameters",
                                  "parameters", 10**5),
    "paper.mobilenet_v2.macs": (300_000_000, "Sandler et al. 2018, Table 4: 300M multiply-adds",
                                "multiply-adds", 10**6),
    # The authors' reference implementation: tensorflow/models, research/slim/nets/mobilenet/README.md,
    # "Pretrained models" table, row mobilenet_v2_1.0_224: 300 MACs (M), 3.47 Parameters (M).
    "tfslim.mobilenet_v2.params": (3_470_000, "TF-slim MobileNetV2 README: 3.47M parameters",
                                   "parameters of the checkpoint mobilenet_v2_1.0_224", 10**4),
}
PUBLISHED = {key: published(key, *figure) for key, figure in _FIGURES.items()}
