"""One set of filters on two image sizes; dense and locally connected layers refuse.

Oracles: output shapes from the loop definition of convolution (conv2d_loop); the dense
layer's refusal reproduced with numpy's own matrix product; weight counts from the
arrays each layer would need.
"""
import numpy as np
import pytest

from oracles.loops import conv2d_loop
from snippets.sharing.sizes import FILTERS, KERNEL, SIZES

SMALL, LARGE = SIZES
W = np.zeros((FILTERS, 1, KERNEL, KERNEL))


def conv_shape(n):
    """(channels, rows, cols) of the filters' output on an n × n image, by the loop definition."""
    return conv2d_loop(np.zeros((1, 1, n, n)), W).shape[1:]


@pytest.mark.covers("sharing_sizes", "small_input", "large_input", "conv_weights", "small_output", "large_output")
def test_the_same_filters_run_on_both_sizes(values):
    assert tuple(values["small_input"]) == (SMALL, SMALL) and tuple(values["large_input"]) == (LARGE, LARGE)
    assert values["conv_weights"] == W.size
    assert tuple(values["small_output"]) == conv_shape(SMALL)
    assert tuple(values["large_output"]) == conv_shape(LARGE)


@pytest.mark.covers("sharing_sizes", "dense_weight_shape", "dense_error", "dense_weights_small", "dense_weights_large")
def test_a_dense_layer_is_built_for_one_size(values):
    w = np.zeros((int(np.prod(conv_shape(SMALL))), SMALL * SMALL))
    assert tuple(values["dense_weight_shape"]) == w.shape
    with pytest.raises(ValueError) as refused:
        np.zeros((1, LARGE * LARGE)) @ w.T
    assert values["dense_error"] == str(refused.value)
    assert values["dense_weights_small"] == w.size
    assert values["dense_weights_large"] == np.zeros((int(np.prod(conv_shape(LARGE))), LARGE * LARGE)).size


@pytest.mark.covers("sharing_sizes", "local_error")
def test_a_locally_connected_layer_is_built_for_one_size(values):
    small_rows = conv_shape(SMALL)[1]
    large_rows = conv_shape(LARGE)[1]
    assert "do not fit" in values["local_error"]
    assert f"({small_rows}, {small_rows}," in values["local_error"]  # the weights it has
    assert f"({large_rows}, {large_rows})" in values["local_error"]  # the output it would need
