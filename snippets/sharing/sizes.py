"""Any input size: the same convolution weights on two image sizes, and a dense layer that cannot.

Runs one set of 3×3 filters on a small and a larger image, then tries the same with a
dense layer and a locally connected layer built for the small image.
"""
import numpy as np

from snippets.lib import layers

SEED = 11
SIZES = (8, 12)  # a square image of each size, one channel
FILTERS, KERNEL = 4, 3


def refusal(layer):
    """What a layer says when it is given the wrong input: its error message."""
    try:
        layer()
    except ValueError as error:
        return str(error)
    raise AssertionError("the layer accepted an input it was not built for")


def compute():
    rng = np.random.default_rng(SEED)
    small, large = (rng.normal(size=(1, 1, n, n)) for n in SIZES)
    w_conv = rng.normal(size=(FILTERS, 1, KERNEL, KERNEL))
    out_small, out_large = layers.conv2d(small, w_conv), layers.conv2d(large, w_conv)
    # A dense and a locally connected layer with the small output, built for the small image.
    w_dense = rng.normal(size=(out_small[0].size, small[0].size))
    rows, cols = out_small.shape[2:]
    w_local = rng.normal(size=(rows, cols, FILTERS, 1, KERNEL, KERNEL))
    return {
        "small_input": small.shape[2:],
        "large_input": large.shape[2:],
        "conv_weights": w_conv.size,
        "small_output": out_small.shape[1:],
        "large_output": out_large.shape[1:],
        "dense_weight_shape": w_dense.shape,
        "dense_error": refusal(lambda: layers.dense(large.reshape(1, -1), w_dense)),
        "local_error": refusal(lambda: layers.locally_connected2d(large, w_local)),
        "dense_weights_small": w_dense.size,
        "dense_weights_large": out_large[0].size * large[0].size,  # a new matrix, none of it learned
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
