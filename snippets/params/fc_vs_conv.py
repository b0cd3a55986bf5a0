"""A fully connected layer against a 3×3 convolution on a 32×32 colour image.

Counts parameters (with and without biases), outputs and multiply-adds of 1000 dense
units and of 64 convolution filters of 3×3 with padding 1, both reading the whole image.
"""
import math

from snippets.lib.accounting import totals, walk
from snippets.lib.specs import ConvSpec, DenseSpec, FlattenSpec

IMAGE = (3, 32, 32)  # channels, height, width
UNITS = 1000
FILTERS, KERNEL = 64, 3


def count(layers):
    """(parameters, parameters without biases, outputs, multiply-adds) of a layer."""
    with_bias, without = (totals(walk(layers(bias), IMAGE)) for bias in (True, False))
    return with_bias.params, without.params, math.prod(with_bias.out_shape), with_bias.macs


def compute():
    fc_params, fc_weights, fc_outputs, fc_macs = count(lambda bias: [FlattenSpec(), DenseSpec(UNITS, bias=bias)])
    conv_params, conv_weights, conv_outputs, conv_macs = count(
        lambda bias: [ConvSpec(FILTERS, KERNEL, padding=KERNEL // 2, bias=bias)])
    c, h, w = IMAGE
    return {
        "image": (h, w, c),
        "fc_weights": fc_weights,
        "fc_params": fc_params,
        "fc_outputs": fc_outputs,
        "fc_macs": fc_macs,
        "conv_weights": conv_weights,
        "conv_params": conv_params,
        "conv_outputs": conv_outputs,
        "conv_macs": conv_macs,
        "params_ratio": fc_params / conv_params,
        "weights_ratio": fc_weights / conv_weights,
        "outputs_ratio": conv_outputs / fc_outputs,
        "macs_ratio": conv_macs / fc_macs,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
