"""The depthwise-separable saving on a named layer: MobileNet V1 at 14×14×512.

Howard et al. (2017), "MobileNets", Table 1: five times in a row, a 3×3 depthwise
convolution (stride 1) on a 14×14×512 map and a 1×1 convolution from 512 to 512 channels.
Counts that pair against one ordinary 3×3 convolution between the same shapes, weights
only (batch norm follows each convolution, so MobileNet's convolutions have no bias).
"""
from snippets.lib.formulas import (conv2d_macs, conv2d_params, depthwise_conv2d_macs, depthwise_conv2d_params,
                                   pointwise_conv2d_macs, pointwise_conv2d_params)

CHANNELS, SIDE, KERNEL = 512, 14, 3
IN_SHAPE = (CHANNELS, SIDE, SIDE)
SAME = KERNEL // 2  # padding 1 keeps 14×14


def compute():
    standard = conv2d_params(CHANNELS, CHANNELS, KERNEL, bias=False), conv2d_macs(IN_SHAPE, CHANNELS, KERNEL, padding=SAME)
    depthwise = depthwise_conv2d_params(CHANNELS, KERNEL, bias=False), depthwise_conv2d_macs(IN_SHAPE, KERNEL, padding=SAME)
    pointwise = pointwise_conv2d_params(CHANNELS, CHANNELS, bias=False), pointwise_conv2d_macs(IN_SHAPE, CHANNELS)
    separable = depthwise[0] + pointwise[0], depthwise[1] + pointwise[1]
    return {
        "shape": (SIDE, SIDE, CHANNELS),
        "standard_weights": standard[0], "standard_macs": standard[1],
        "depthwise_weights": depthwise[0], "depthwise_macs": depthwise[1],
        "pointwise_weights": pointwise[0], "pointwise_macs": pointwise[1],
        "separable_weights": separable[0], "separable_macs": separable[1],
        "weights_ratio": standard[0] / separable[0],  # how many times fewer: one direction, standard over separable
        "macs_ratio": standard[1] / separable[1],
        "pointwise_share": pointwise[1] / separable[1],  # of the separable layer's multiply-adds
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
