"""One convolution written out as a dense matrix, counted entry by entry.

Builds the equivalent matrix of a small padded 3×3 convolution from the reference layer
and compares its distinct entries and its nonzeros with the closed-form counts.
"""
import numpy as np

from snippets.lib import dense_equivalent, layers
from snippets.lib.formulas import conv2d_macs, conv2d_macs_excluding_padding, conv2d_params

SEED = 3
IN_SHAPE = (3, 6, 6)  # channels, height, width
OUT_CHANNELS, KERNEL, PADDING = 4, 3, 1


def compute():
    rng = np.random.default_rng(SEED)
    c_in = IN_SHAPE[0]
    w = rng.normal(size=(OUT_CHANNELS, c_in, KERNEL, KERNEL))  # continuous: no two weights equal
    b = rng.normal(size=OUT_CHANNELS)
    matrix = dense_equivalent.equivalent_matrix(lambda x: layers.conv2d(x, w, padding=PADDING), IN_SHAPE)
    biases = dense_equivalent.distinct_biases(lambda x: layers.conv2d(x, w, b, padding=PADDING), IN_SHAPE)
    conventional = conv2d_macs(IN_SHAPE, OUT_CHANNELS, KERNEL, padding=PADDING)
    return {
        "matrix_shape": matrix.shape,
        "entries": matrix.size,
        "nonzeros": int(np.count_nonzero(matrix)),
        "distinct_weights": dense_equivalent.distinct_weights(matrix),
        "distinct_biases": biases,
        "formula_weights": conv2d_params(c_in, OUT_CHANNELS, KERNEL, bias=False),
        "formula_params": conv2d_params(c_in, OUT_CHANNELS, KERNEL),
        "formula_macs_inside": conv2d_macs_excluding_padding(IN_SHAPE, OUT_CHANNELS, KERNEL, padding=PADDING),
        "formula_macs": conventional,
        "padded_taps": conventional - int(np.count_nonzero(matrix)),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
