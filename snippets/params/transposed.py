"""A transposed convolution: its output size, its ambiguity, its parameters and its cost.

Upsamples a 16×16 map with 16 channels to 8 channels at twice the size, and shows why a
transposed convolution needs `output_padding` to know which size it should return.
"""
from snippets.lib.formulas import (
    conv_output_size, conv_transpose2d_macs, conv_transpose2d_macs_excluding_padding,
    conv_transpose2d_output_shape, conv_transpose2d_params,
)

IN_SHAPE = (16, 16, 16)  # channels, height, width
OUT_CHANNELS = 8
KERNEL, STRIDE, PADDING = 4, 2, 1  # the usual "double the size" setting
ODD_KERNEL = 3  # with stride 2 and padding 1, it needs output_padding to double


def compute():
    c, h, w = IN_SHAPE
    out = conv_transpose2d_output_shape(IN_SHAPE, OUT_CHANNELS, KERNEL, STRIDE, PADDING)
    odd = conv_transpose2d_output_shape(IN_SHAPE, OUT_CHANNELS, ODD_KERNEL, STRIDE, PADDING)
    odd_padded = conv_transpose2d_output_shape(IN_SHAPE, OUT_CHANNELS, ODD_KERNEL, STRIDE, PADDING, output_padding=1)
    # The forward convolution that this one transposes maps both candidate sizes to h.
    forward = [conv_output_size(n, ODD_KERNEL, STRIDE, PADDING) for n in (odd[1], odd_padded[1])]
    assert forward == [h, h]
    macs = conv_transpose2d_macs(IN_SHAPE, OUT_CHANNELS, KERNEL)
    exact = conv_transpose2d_macs_excluding_padding(IN_SHAPE, OUT_CHANNELS, KERNEL, STRIDE, PADDING)
    return {
        "in_shape": (h, w, c),
        "out_shape": (out[1], out[2], out[0]),
        "odd_size": odd[1],
        "odd_padded_size": odd_padded[1],
        "params": conv_transpose2d_params(c, OUT_CHANNELS, KERNEL),
        "weights": conv_transpose2d_params(c, OUT_CHANNELS, KERNEL, bias=False),
        "macs": macs,
        "macs_inside": exact,
        "cropped_macs": macs - exact,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
