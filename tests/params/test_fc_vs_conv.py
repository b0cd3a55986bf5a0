"""Dense against convolution on a 32×32×3 image: real layers, real arrays, counted products.

Oracles:
- parameters: the sizes of the arrays that the trainable layers of `snippets/lib/nets.py`
  allocate (weights, then biases);
- outputs: the size of what the reference layers return on one image;
- multiply-adds: the layer run with every input and weight equal to 1 sums one per
  product at each output. For the convolution the image is padded with ones instead of
  zeros, so taps on the padding count too (the conventional count the page uses).
Exact comparisons; the ratios are checked as the exact quotients of the oracle counts.
"""
from functools import cache

import numpy as np
import pytest

from snippets.lib import layers as L
from snippets.lib import nets

IMAGE = np.zeros((1, 3, 32, 32))  # one NCHW image


@cache
def dense():
    layer = nets.Dense(IMAGE[0].size, 1000, np.random.default_rng(0))
    out = layer.forward(IMAGE.reshape(1, -1))
    products = L.dense(np.ones((1, IMAGE[0].size)), np.ones_like(layer.params[0])).sum()
    return [p.size for p in layer.params], out.size, products


@cache
def conv():
    layer = nets.Conv(3, 64, 3, np.random.default_rng(0), padding=1)
    out = layer.forward(IMAGE)
    padded_with_ones = np.pad(np.ones_like(IMAGE), ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=1)
    products = L.conv2d(padded_with_ones, np.ones_like(layer.params[0])).sum()
    return [p.size for p in layer.params], out.size, products


@pytest.mark.covers("params_fc_vs_conv", "image", "fc_weights", "fc_params", "fc_outputs", "fc_macs")
def test_dense_layer(values):
    (weights, biases), outputs, products = dense()
    assert tuple(values["image"]) == (32, 32, 3)
    assert (values["fc_weights"], values["fc_params"]) == (weights, weights + biases)
    assert (values["fc_outputs"], values["fc_macs"]) == (outputs, products)


@pytest.mark.covers("params_fc_vs_conv", "conv_weights", "conv_params", "conv_outputs", "conv_macs")
def test_convolution(values):
    (weights, biases), outputs, products = conv()
    assert (values["conv_weights"], values["conv_params"]) == (weights, weights + biases)
    assert (values["conv_outputs"], values["conv_macs"]) == (outputs, products)


@pytest.mark.covers("params_fc_vs_conv", "params_ratio", "weights_ratio", "outputs_ratio", "macs_ratio")
def test_ratios(values):
    (fc_w, fc_b), fc_out, fc_products = dense()
    (conv_w, conv_b), conv_out, conv_products = conv()
    assert values["params_ratio"] == pytest.approx((fc_w + fc_b) / (conv_w + conv_b), rel=1e-12)
    assert values["weights_ratio"] == pytest.approx(fc_w / conv_w, rel=1e-12)
    assert values["outputs_ratio"] == pytest.approx(conv_out / fc_out, rel=1e-12)
    assert values["macs_ratio"] == pytest.approx(conv_products / fc_products, rel=1e-12)
    assert values["macs_ratio"] < 1 < values["outputs_ratio"]  # more outputs, fewer products
