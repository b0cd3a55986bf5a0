"""The brute-force check shown on the page, redone with the slow loop convolution.

The snippet builds the dense matrix from the vectorised `layers.conv2d`; this test builds
it again from `oracles.loops.conv2d_loop` (one output value at a time, the readable oracle) and
counts by other means: distinct values with a Python set, nonzeros with a loop over
windows and taps, padded taps by listing the taps that fall outside the image. Exact
integer comparisons throughout.
"""
from functools import cache

import numpy as np
import pytest

from oracles.loops import conv2d_loop


C_IN, SIZE, C_OUT, KERNEL, PADDING = 3, 6, 4, 3, 1


@cache
def loop_matrix():
    """The layer's matrix, column by column, from the loop convolution of basis images."""
    rng = np.random.default_rng(7)
    w = rng.normal(size=(C_OUT, C_IN, KERNEL, KERNEL))
    b = rng.normal(size=C_OUT)
    columns = []
    for i in range(C_IN * SIZE * SIZE):
        basis = np.zeros(C_IN * SIZE * SIZE)
        basis[i] = 1.0
        columns.append(conv2d_loop(basis.reshape(1, C_IN, SIZE, SIZE), w, padding=PADDING).ravel())
    biases = conv2d_loop(np.zeros((1, C_IN, SIZE, SIZE)), w, b, padding=PADDING)
    return np.stack(columns, axis=1), set(biases.ravel().tolist())


def taps_on_pixels():
    """(inside, outside): (output, tap, channel pair) triples on a real pixel or on padding."""
    inside = outside = 0
    for row in range(SIZE):  # padding 1 keeps the size: one output per input position
        for col in range(SIZE):
            for i in range(KERNEL):
                for j in range(KERNEL):
                    on_image = 0 <= row + i - PADDING < SIZE and 0 <= col + j - PADDING < SIZE
                    inside, outside = inside + on_image, outside + (not on_image)
    return inside * C_IN * C_OUT, outside * C_IN * C_OUT


@pytest.mark.covers("params_brute_force", "matrix_shape", "entries", "nonzeros", "distinct_weights", "distinct_biases")
def test_brute_force_counts_agree_with_the_loop_convolution(values):
    matrix, biases = loop_matrix()
    assert tuple(values["matrix_shape"]) == matrix.shape and values["entries"] == matrix.size
    assert values["nonzeros"] == int((matrix != 0).sum()) == taps_on_pixels()[0]
    assert values["distinct_weights"] == len({v for v in matrix.ravel().tolist() if v != 0})
    assert values["distinct_biases"] == len(biases)


@pytest.mark.covers("params_brute_force", "formula_weights", "formula_params", "formula_macs_inside", "formula_macs",
                    "padded_taps")
def test_formulas_equal_the_brute_force_counts(values):
    matrix, biases = loop_matrix()
    distinct = len({v for v in matrix.ravel().tolist() if v != 0})
    assert values["formula_weights"] == distinct
    assert values["formula_params"] == distinct + len(biases)
    inside, outside = taps_on_pixels()
    assert values["formula_macs_inside"] == int((matrix != 0).sum()) == inside
    assert values["formula_macs"] == inside + outside  # every tap of every window, padding included
    assert values["padded_taps"] == outside > 0
