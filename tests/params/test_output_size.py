"""Output sizes, against the shape the reference convolution returns and windows slid by hand.

Oracles: `layers.conv2d` run on a zero image of the stated size (its output size), and a
loop that slides a window until it leaves the padded input (how many whole windows fit,
and how many pixels are left over after the last one). Exact comparisons; the unfloored
fractions are exact binary fractions (halves), compared with ==.
"""
import math

import numpy as np
import pytest

from snippets.lib import layers as L

SIZE, KERNEL = 16, 3


def reference_size(size, stride=1, padding=(0, 0), dilation=1):
    """Output width of the reference convolution on a 1×size image padded (before, after)."""
    x = np.pad(np.zeros((1, 1, 1, size)), ((0, 0), (0, 0), (0, 0), padding))
    return L.conv2d(x, np.ones((1, 1, 1, KERNEL)), stride=(1, stride), dilation=(1, dilation)).shape[3]


def slide(size, stride, padding, dilation):
    """(whole windows, pixels after the last one) on the padded axis, by moving a window."""
    span, start, windows = dilation * (KERNEL - 1) + 1, 0, 0
    while start + span <= size + 2 * padding:
        windows, start = windows + 1, start + stride
    return windows, size + 2 * padding - (start - stride + span)


CASES = [(1, 0, 1), (1, 1, 1), (2, 0, 1), (2, 1, 1), (1, 0, 2), (1, 2, 2)]  # (stride, padding, dilation), page order


@pytest.mark.covers("params_output_size", "sizes")
def test_table_sizes_and_fractions(values):
    assert len(values["sizes"]) == len(CASES)
    for row, (stride, padding, dilation) in zip(values["sizes"], CASES):
        windows, leftover = slide(SIZE, stride, padding, dilation)
        assert row["output size"] == windows == reference_size(SIZE, stride, (padding, padding), dilation), row
        # The formula before the floor adds the leftover pixels as a fraction of a stride.
        assert row["formula before the floor"] == windows + leftover / stride, row


@pytest.mark.covers("params_output_size", "valid_size", "same_padding", "strided_fraction", "strided_size",
                    "strided_padded_size")
def test_named_sizes(values):
    assert values["valid_size"] == reference_size(SIZE)
    assert reference_size(SIZE, padding=(values["same_padding"],) * 2) == SIZE  # it keeps the size
    assert reference_size(SIZE, padding=(values["same_padding"] - 1,) * 2) < SIZE  # and is the least that does
    assert values["strided_size"] == reference_size(SIZE, stride=2)
    assert values["strided_fraction"] == 7.5  # (16 - 3) / 2 + 1 by hand
    assert math.floor(values["strided_fraction"]) == values["strided_size"]
    assert values["strided_padded_size"] == reference_size(SIZE, stride=2, padding=(1, 1))


@pytest.mark.covers("params_output_size", "dilated_span", "dilated_same_padding")
def test_dilation(values):
    taps = np.arange(KERNEL) * 2  # offsets of a 3-tap window with gaps of one pixel
    assert values["dilated_span"] == taps[-1] - taps[0] + 1
    assert reference_size(SIZE, padding=(values["dilated_same_padding"],) * 2, dilation=2) == SIZE


@pytest.mark.covers("params_output_size", "tf_same_before", "tf_same_after", "tf_same_size")
def test_tensorflow_same_padding(values):
    # TensorFlow docs (tf.nn.convolution, "same"): output ceil(size / stride); when the
    # total padding is odd, the extra pixel goes at the end (bottom, right).
    target = math.ceil(SIZE / 2)
    total = next(t for t in range(KERNEL) if reference_size(SIZE, 2, (t // 2, t - t // 2)) == target)
    assert (values["tf_same_before"], values["tf_same_after"]) == (total // 2, total - total // 2) == (0, 1)
    assert values["tf_same_size"] == target
