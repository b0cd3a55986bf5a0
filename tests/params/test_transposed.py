"""The transposed convolution, against the reference layer in `snippets/lib/layers.py`.

Oracles:
- shapes: what `layers.conv_transpose2d` returns, and what `layers.conv2d` (the forward
  convolution it transposes) returns on the two candidate sizes;
- parameters: distinct entries of the layer's dense matrix (random continuous weights)
  on a small input, where every tap lands inside the output (the count does not depend
  on the image size), plus the distinct values of its output on zeros (the biases);
- multiply-adds: the layer run with every input and weight equal to 1 sums, at each
  output pixel, one per product that lands there. Without padding nothing is cropped,
  so the total is every product (the conventional count); with padding 1 it is the
  products that land inside the returned image. Sums of ones in float64 are exact.
"""
import numpy as np
import pytest

from snippets.lib import layers as L
from snippets.lib.dense_equivalent import distinct_biases, distinct_weights, equivalent_matrix

C_IN, SIZE, C_OUT, KERNEL = 16, 16, 8, 4


def transposed(x, w, b=None, **options):
    return L.conv_transpose2d(x, w, b, stride=2, **options)


@pytest.mark.covers("params_transposed", "in_shape", "out_shape", "odd_size", "odd_padded_size")
def test_sizes_are_what_the_reference_layers_return(values):
    x = np.zeros((1, C_IN, SIZE, SIZE))
    out = transposed(x, np.zeros((C_IN, C_OUT, KERNEL, KERNEL)), padding=1)
    assert tuple(values["in_shape"]) == (SIZE, SIZE, C_IN)
    assert tuple(values["out_shape"]) == (out.shape[2], out.shape[3], out.shape[1]) == (2 * SIZE, 2 * SIZE, C_OUT)
    odd = transposed(x, np.zeros((C_IN, C_OUT, 3, 3)), padding=1)
    odd_padded = transposed(x, np.zeros((C_IN, C_OUT, 3, 3)), padding=1, output_padding=1)
    assert (values["odd_size"], values["odd_padded_size"]) == (odd.shape[2], odd_padded.shape[2])
    # Why the ambiguity: the 3×3 stride-2 convolution maps both sizes back to SIZE.
    for size in (values["odd_size"], values["odd_padded_size"]):
        assert L.conv2d(np.zeros((1, C_OUT, size, size)), np.zeros((C_IN, C_OUT, 3, 3)), stride=2, padding=1).shape[2] == SIZE


@pytest.mark.covers("params_transposed", "params", "weights")
def test_parameters_are_the_distinct_entries_of_its_matrix(values):
    rng = np.random.default_rng(2016)
    w, b = rng.normal(size=(C_IN, C_OUT, KERNEL, KERNEL)), rng.normal(size=C_OUT)
    small = (C_IN, 3, 3)
    matrix = equivalent_matrix(lambda x: transposed(x, w), small)
    assert values["weights"] == distinct_weights(matrix)
    assert values["params"] == distinct_weights(matrix) + distinct_biases(lambda x: transposed(x, w, b), small)


@pytest.mark.covers("params_transposed", "macs", "macs_inside", "cropped_macs")
def test_multiply_adds_are_the_products_that_land(values):
    ones_in, ones_w = np.ones((1, C_IN, SIZE, SIZE)), np.ones((C_IN, C_OUT, KERNEL, KERNEL))
    every_product = transposed(ones_in, ones_w).sum()
    inside = transposed(ones_in, ones_w, padding=1).sum()
    assert values["macs"] == every_product
    assert values["macs_inside"] == inside
    assert values["cropped_macs"] == every_product - inside > 0
