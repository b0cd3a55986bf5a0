"""The seven-layer comparison, against the equivalent dense matrix of each reference layer.

Oracle: each layer is run by `snippets/lib/layers.py` with random continuous weights on
an input that is already zero-padded (padding 0 inside the layer), and written out as
its dense matrix. Then:
- weights = distinct nonzero entries of the matrix (no two random weights are equal);
- biases = distinct nonzero values of the layer applied to zeros (random biases);
- multiply-adds = nonzero entries of the matrix. On the explicitly padded input every
  kernel tap of every window meets an input entry, so this is the conventional count that
  includes taps on padding zeros, the count the snippet (and every framework) publishes.
The depthwise-separable layer is two linear maps in a row; the matrix of their product
mixes weights, so each factor is counted on its own matrix. All comparisons are exact
integers, except the per-weight ratio the table prints to two decimals.
"""
from functools import cache

import numpy as np
import pytest

from snippets.lib import layers as L
from snippets.lib.dense_equivalent import distinct_biases, distinct_weights, equivalent_matrix

SEED = 16
C_IN, SIZE, C_OUT = 8, 16, 16  # an 8-channel 16×16 map to a 16-channel 16×16 map


def random(*shape):
    """Continuous weights away from zero, fixed per shape."""
    rng = np.random.default_rng([SEED, *shape])
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def conv_factor(w_shape, padding, bias=True, **options):
    """(padding, layer without bias, layer with bias) of a reference convolution."""
    w, b = random(*w_shape), random(w_shape[0]) if bias else None
    return padding, lambda x: L.conv2d(x, w, **options), lambda x: L.conv2d(x, w, b, **options)


def dense_factor():
    w, b = random(C_OUT * SIZE * SIZE, C_IN * SIZE * SIZE), random(C_OUT * SIZE * SIZE)
    apply = lambda bias: lambda x: L.dense(x.reshape(len(x), -1), w, bias).reshape(len(x), C_OUT, SIZE, SIZE)  # noqa: E731
    return 0, apply(None), apply(b)


def lc_factor():
    w, b = random(SIZE, SIZE, C_OUT, C_IN, 3, 3), random(C_OUT, SIZE, SIZE)
    return 1, lambda x: L.locally_connected2d(x, w), lambda x: L.locally_connected2d(x, w, b)


FACTORS = {
    "dense": lambda: [dense_factor()],
    "lc": lambda: [lc_factor()],
    "conv": lambda: [conv_factor((C_OUT, C_IN, 3, 3), 1)],
    "dilated": lambda: [conv_factor((C_OUT, C_IN, 3, 3), 2, dilation=2)],
    "grouped": lambda: [conv_factor((C_OUT, C_IN // 4, 3, 3), 1, groups=4)],
    "separable": lambda: [conv_factor((C_IN, 1, 3, 3), 1, bias=False, groups=C_IN),  # depthwise, no bias
                          conv_factor((C_OUT, C_IN, 1, 1), 0)],  # then 1×1 with bias
    "pointwise": lambda: [conv_factor((C_OUT, C_IN, 1, 1), 0)],
}


@cache
def brute_force(key):
    """[(weights, biases, multiply-adds)] per factor of the layer, and the final output shape."""
    counts = []
    for padding, linear, affine in FACTORS[key]():
        in_shape = (C_IN, SIZE + 2 * padding, SIZE + 2 * padding)
        matrix = equivalent_matrix(linear, in_shape)
        counts.append((distinct_weights(matrix), distinct_biases(affine, in_shape), int(np.count_nonzero(matrix))))
        out_shape = affine(np.zeros((1, *in_shape))).shape[1:]
    return counts, out_shape


def check(values, key):
    """The layer's three values and its table row equal the brute-force counts."""
    counts, out_shape = brute_force(key)
    assert out_shape == (C_OUT, SIZE, SIZE)  # every layer maps the same input to the same output shape
    weights, biases, macs = (sum(c[i] for c in counts) for i in range(3))
    assert (values[f"{key}_params"], values[f"{key}_weights"], values[f"{key}_macs"]) == (weights + biases, weights, macs)
    assert len(values["layers"]) == len(FACTORS)
    row = values["layers"][list(FACTORS).index(key)]  # one row per layer, in the order of the page
    assert (row["parameters"], row["without biases"], row["multiply-adds"]) == (weights + biases, weights, macs)
    assert row["multiply-adds per weight"] == pytest.approx(macs / weights, abs=0.005)


@pytest.mark.covers("params_layer_types", "layers",
                    "dense_params", "dense_weights", "dense_macs", "lc_params", "lc_weights", "lc_macs",
                    "conv_params", "conv_weights", "conv_macs", "dilated_params", "dilated_weights", "dilated_macs",
                    "grouped_params", "grouped_weights", "grouped_macs", "separable_params", "separable_weights",
                    "separable_macs", "pointwise_params", "pointwise_weights", "pointwise_macs")
def test_every_layer_type_against_its_matrix(values):
    for key in FACTORS:
        check(values, key)


@pytest.mark.covers("params_layer_types", "separable_depthwise_weights", "separable_pointwise_params",
                    "separable_depthwise_macs", "separable_pointwise_macs")
def test_depthwise_separable_factors(values):
    (dw_weights, dw_biases, dw_macs), (pw_weights, pw_biases, pw_macs) = brute_force("separable")[0]
    assert dw_biases == 0
    assert (values["separable_depthwise_weights"], values["separable_depthwise_macs"]) == (dw_weights, dw_macs)
    assert (values["separable_pointwise_params"], values["separable_pointwise_macs"]) == (pw_weights + pw_biases, pw_macs)


@pytest.mark.covers("params_layer_types", "in_shape", "out_shape", "positions")
def test_shapes_are_the_reference_layers(values):
    out = L.conv2d(np.zeros((1, C_IN, SIZE, SIZE)), random(C_OUT, C_IN, 3, 3), padding=1)
    assert tuple(values["in_shape"]) == (SIZE, SIZE, C_IN)  # height, width, channels
    assert tuple(values["out_shape"]) == (out.shape[2], out.shape[3], out.shape[1])
    assert values["positions"] == out.shape[2] * out.shape[3]


@pytest.mark.covers("params_layer_types", "lc_over_conv_params", "lc_over_conv_macs", "conv_flops")
def test_sharing_cuts_parameters_by_the_positions_and_multiply_adds_not_at_all(values):
    (lc,), _ = brute_force("lc")
    (conv,), _ = brute_force("conv")
    assert values["lc_over_conv_params"] * sum(conv[:2]) == sum(lc[:2])
    assert values["lc_over_conv_params"] == SIZE * SIZE  # one copy of the filters per output position
    assert values["lc_over_conv_macs"] == lc[2] / conv[2] == 1
    # FLOPs: one multiplication and one addition per multiply-add (the site's convention).
    assert values["conv_flops"] == conv[2] + conv[2]
