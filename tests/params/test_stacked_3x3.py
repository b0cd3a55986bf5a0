"""One 7×7 against three 3×3: parameters, multiply-adds and receptive field, by brute force.

Oracles:
- parameters: the weight and bias arrays a stack of `nets.Conv` layers allocates;
- multiply-adds: each layer run with all-ones weights on an input padded with ones (so
  taps on padding count, the conventional count) sums one per product;
- receptive field: the input pixels that change one output pixel, found by running the
  stack of reference convolutions on images with a single nonzero pixel (the support of
  the output's dependence on the input, read from the dense matrix of the stack);
- the VGG paper (Simonyan and Zisserman 2014, section 2.3): three 3×3 layers have
  27C² weights, a 7×7 layer 49C², "i.e. 81% more".
Exact comparisons, except the two ratios: float quotients (rel 1e-12) and the paper's
percentage, printed to whole percent (tolerance: half a percent).
"""
from functools import cache

import numpy as np
import pytest

from snippets.lib import layers as L
from snippets.lib.dense_equivalent import equivalent_matrix
from snippets.lib import nets

C, SIZE = 64, 56


def stack(kernel, depth):
    rng = np.random.default_rng(kernel)
    return [nets.Conv(C, C, kernel, rng, padding=kernel // 2) for _ in range(depth)]


@cache
def counts(kernel, depth):
    """(weights, biases, multiply-adds) of `depth` convolutions of kernel × kernel."""
    layers = stack(kernel, depth)
    weights, biases = (sum(layer.params[i].size for layer in layers) for i in (0, 1))
    pad = kernel // 2
    ones = np.ones((1, C, SIZE + 2 * pad, SIZE + 2 * pad))
    products = depth * L.conv2d(ones, np.ones((C, C, kernel, kernel))).sum()  # every layer: the same shapes
    return weights, biases, products


def receptive_field(kernel, depth):
    """Width of the input region that one central output pixel depends on (one channel)."""
    size = 15
    w = np.ones((1, 1, kernel, kernel))
    forward = lambda x: _apply(x, w, depth, kernel // 2)  # noqa: E731
    row = equivalent_matrix(forward, (1, size, size))[(size // 2) * size + size // 2].reshape(size, size)
    cols = np.flatnonzero(row.any(axis=0))
    return cols[-1] - cols[0] + 1


def _apply(x, w, depth, padding):
    for _ in range(depth):
        x = L.conv2d(x, w, padding=padding)
    return x


@pytest.mark.covers("params_stacked_3x3", "big_params", "big_weights", "big_macs", "big_field")
def test_one_7x7(values):
    weights, biases, products = counts(7, 1)
    assert (values["big_weights"], values["big_params"], values["big_macs"]) == (weights, weights + biases, products)
    assert values["big_field"] == receptive_field(7, 1) == 7


@pytest.mark.covers("params_stacked_3x3", "small_params", "small_weights", "small_macs", "small_field")
def test_three_3x3(values):
    weights, biases, products = counts(3, 3)
    assert (values["small_weights"], values["small_params"], values["small_macs"]) == (weights, weights + biases, products)
    assert values["small_field"] == receptive_field(3, 3) == receptive_field(7, 1)


@pytest.mark.covers("params_stacked_3x3", "weights_ratio", "big_extra")
def test_the_vgg_papers_81_percent(values):
    assert values["weights_ratio"] == pytest.approx(counts(3, 3)[0] / counts(7, 1)[0], rel=1e-12)
    assert values["weights_ratio"] == pytest.approx(27 / 49, rel=1e-12)  # 3·(3²C²) against 7²C²
    assert values["big_extra"] == pytest.approx(0.81, abs=0.005)  # "i.e. 81% more"


@pytest.mark.covers("params_stacked_3x3", "strided_middle_field")
def test_a_stride_2_middle_layer_widens_the_field(values):
    """Three 3×3 convolutions with strides 1, 2, 1: the input columns one output pixel
    depends on, read from the dense matrix of the stack of reference layers."""
    size, w = 17, np.ones((1, 1, 3, 3))

    def forward(x):
        for stride in (1, 2, 1):
            x = L.conv2d(x, w, stride=stride, padding=1)
        return x

    matrix = equivalent_matrix(forward, (1, size, size))
    out = forward(np.zeros((1, 1, size, size))).shape[-1]
    unit = (out // 2) * out + out // 2  # a central output pixel, away from the padding
    cols = np.flatnonzero(matrix[unit].reshape(size, size).any(axis=0))
    assert values["strided_middle_field"] == cols[-1] - cols[0] + 1
