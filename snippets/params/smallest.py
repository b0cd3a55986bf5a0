"""The smallest case: one 3×3 filter on a 5×5 one-channel image, counted three ways.

The same nine outputs computed by a convolution (one shared filter), a locally connected
layer (a filter of its own at each position) and a dense layer (every output reads every
pixel): small enough to check each count by hand.
"""
from snippets.lib.formulas import (conv2d_macs, conv2d_params, conv_output_size, dense_macs, dense_params,
                                   locally_connected2d_macs, locally_connected2d_params)

SIDE, KERNEL = 5, 3  # a 5×5 image, one channel; a 3×3 filter, stride 1, no padding
IN_SHAPE = (1, SIDE, SIDE)


def compute():
    out = conv_output_size(SIDE, KERNEL)
    pixels, outputs = SIDE * SIDE, out * out
    conv = conv2d_params(1, 1, KERNEL), conv2d_macs(IN_SHAPE, 1, KERNEL)
    local = locally_connected2d_params(IN_SHAPE, 1, KERNEL), locally_connected2d_macs(IN_SHAPE, 1, KERNEL)
    dense = dense_params(pixels, outputs), dense_macs(pixels, outputs)
    return {
        "out_side": out,
        "positions": outputs,
        "taps": KERNEL * KERNEL,
        "conv_params": conv[0], "conv_macs": conv[1],
        "lc_params": local[0], "lc_macs": local[1],
        "dense_params": dense[0], "dense_macs": dense[1],
        "table": [{"layer": name, "parameters": p, "multiply-adds": m} for name, (p, m) in
                  [("convolution (one shared filter)", conv), ("locally connected (a filter per position)", local),
                   ("dense (every output reads every pixel)", dense)]],
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
