"""Channels in and out, checked by a loop over filters, positions, channels and taps.

Oracle: the convolution written as nested loops (no library), and scipy's correlate2d
summed over channels; parameter counts from the sizes of the weight arrays.
"""
import numpy as np
import pytest
from scipy.signal import correlate2d

from snippets.basics.channels import BIASES, FILTERS, IMAGE


def loop(x, w, b):
    f, c, k, _ = w.shape
    h = x.shape[1] - k + 1
    out = np.zeros((f, h, h), dtype=int)
    for o in range(f):
        for i in range(h):
            for j in range(h):
                out[o, i, j] = b[o] + sum(w[o, ch, m, n] * x[ch, i + m, j + n]
                                          for ch in range(c) for m in range(k) for n in range(k))
    return out


OUT = loop(IMAGE, FILTERS, BIASES)


@pytest.mark.covers("basics_channels", "input_shape", "filter_shape", "filters", "output_shape", "outputs_per_slice")
def test_shapes(values):
    c, h, w = IMAGE.shape
    assert tuple(values["input_shape"]) == (h, w, c)
    assert tuple(values["filter_shape"]) == (3, 3, c)
    assert values["filters"] == len(FILTERS)
    assert tuple(values["output_shape"]) == (OUT.shape[1], OUT.shape[2], OUT.shape[0])
    assert values["outputs_per_slice"] == OUT[0].size


@pytest.mark.covers("basics_channels", "channel_sums", "bias_first", "first_output")
def test_first_output_is_the_sum_over_channels(values):
    per_channel = [int(correlate2d(IMAGE[ch], FILTERS[0, ch], mode="valid")[0, 0]) for ch in range(3)]
    assert values["channel_sums"] == " + ".join(str(p) for p in per_channel)
    assert values["bias_first"] == BIASES[0]
    assert values["first_output"] == sum(per_channel) + BIASES[0] == OUT[0, 0, 0]


@pytest.mark.covers("basics_channels", "weights_per_filter", "params_per_filter", "params")
def test_parameters_are_the_sizes_of_the_weight_arrays(values):
    assert values["weights_per_filter"] == FILTERS[0].size
    assert values["params_per_filter"] == FILTERS[0].size + 1
    assert values["params"] == FILTERS.size + BIASES.size


@pytest.mark.covers("basics_channels", "multiply_adds_per_output", "multiply_adds")
def test_multiply_adds_count_every_product(values):
    f, c, k, _ = FILTERS.shape
    products = sum(1 for o in range(f) for i in range(OUT.shape[1]) for j in range(OUT.shape[2])
                   for ch in range(c) for m in range(k) for n in range(k))
    assert values["multiply_adds"] == products
    assert values["multiply_adds_per_output"] == c * k * k
