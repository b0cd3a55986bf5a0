"""The exercises' numbers, against arrays and enumeration.

Oracles: weights are the sizes of arrays of each layer's shape; multiply-adds are counted
by enumerating every (output position, output channel, input channel, tap) whose tap lies
inside the unpadded image; the output shape is the reference layer's; the recurrent layer's
parameters are the arrays of every unrolled step, without the first step's W_h (it
multiplies h_0 = 0, as the page says).
"""
import itertools

import numpy as np
import pytest

from snippets.lib import layers


@pytest.mark.covers("sharing_exercises", "image_shape", "filters", "output_shape", "conv_weights", "local_weights",
                    "conv_macs", "local_macs", "positions")
def test_convolution_and_locally_connected_layer_on_a_cifar_image(values):
    c, h, w = values["image_shape"]
    f, k = values["filters"], 5
    out = layers.conv2d(np.zeros((1, c, h, w)), np.zeros((f, c, k, k)))
    assert tuple(values["output_shape"]) == out.shape[1:]
    oh, ow = out.shape[2:]
    assert values["positions"] == oh * ow
    assert values["conv_weights"] == np.zeros((f, c, k, k)).size
    assert values["local_weights"] == np.zeros((oh, ow, f, c, k, k)).size
    macs = sum(1 for i, j, _, _, m, n in itertools.product(range(oh), range(ow), range(f), range(c), range(k), range(k))
               if i + m < h and j + n < w)
    assert values["conv_macs"] == values["local_macs"] == macs  # sharing removes no multiply-add
    assert values["local_weights"] == macs  # each untied weight: once per image


@pytest.mark.covers("sharing_exercises", "rnn_inputs", "rnn_hidden", "rnn_steps", "rnn_tied", "rnn_untied")
def test_recurrent_layer_tied_and_untied(values):
    n, hdim, steps = values["rnn_inputs"], values["rnn_hidden"], values["rnn_steps"]
    step = lambda first: [np.zeros((hdim, n)), np.zeros(hdim)] + ([] if first else [np.zeros((hdim, hdim))])  # noqa: E731
    assert values["rnn_tied"] == sum(a.size for a in step(False))
    assert values["rnn_untied"] == sum(a.size for t in range(steps) for a in step(t == 0))
