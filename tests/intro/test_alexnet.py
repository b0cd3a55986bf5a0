"""AlexNet conv1 counts, checked against its connections enumerated window by window.

Oracle: the windows of an 11×11 filter moved 4 pixels at a time are placed one by one on
the 227×227 image (no floor formula), and every window's connections (channel, row,
column) are listed. Without sharing, every (window, filter) has weights of its own for
the connections it reads, and a bias; with sharing, a weight is named by (filter,
channel, tap) alone, so the distinct names are counted over all windows.
"""
from functools import cache

import numpy as np
import pytest

from snippets.lib import layers

SIDE, CHANNELS, KERNEL, STRIDE, FILTERS = 227, 3, 11, 4, 96  # Krizhevsky et al. 2012, section 3.5; cs231n's 227


def starts(side, kernel, stride):
    """Top-left index of each window that fits, found by sliding one stride at a time."""
    found, start = [], 0
    while start + kernel <= side:
        found.append(start)
        start += stride
    return found


@cache
def connections():
    """{window: set of (channel, tap row, tap column) it reads}, over every window."""
    return {(top, left): {(c, i, j) for c in range(CHANNELS) for i in range(KERNEL) for j in range(KERNEL)
                          if top + i < SIDE and left + j < SIDE}
            for top in starts(SIDE, KERNEL, STRIDE) for left in starts(SIDE, KERNEL, STRIDE)}


@pytest.mark.covers("intro_alexnet", "image", "output_shape", "neurons")
def test_output_volume_counts_the_windows_that_fit(values):
    assert tuple(values["image"]) == (SIDE, SIDE, CHANNELS)
    side = len(starts(SIDE, KERNEL, STRIDE))
    assert tuple(values["output_shape"]) == (side, side, FILTERS)
    assert values["neurons"] == len(connections()) * FILTERS


@pytest.mark.covers("intro_alexnet", "weights_per_neuron", "params_per_neuron", "params_unshared", "params_shared",
                    "sharing_ratio")
def test_counts_are_the_connections_enumerated(values):
    reads = connections()
    per_window = {len(taps) for taps in reads.values()}
    assert values["weights_per_neuron"] == per_window.pop() and not per_window  # every window reads the same number
    assert values["params_per_neuron"] == values["weights_per_neuron"] + 1
    # without sharing: each (window, filter) its own weight per connection, and its own bias
    assert values["params_unshared"] == sum((len(taps) + 1) * FILTERS for taps in reads.values())
    # with sharing: a weight is (filter, channel, tap), whatever the window; one bias per filter
    names = set().union(*reads.values())
    assert values["params_shared"] == len(names) * FILTERS + FILTERS
    assert values["sharing_ratio"] == len(reads)


@pytest.mark.covers("intro_alexnet", "paper_image", "paper_side", "paper_conventions", "paper_conventions_tried",
                    "paper_reproductions", "paper_floor_side", "paper_ceil_side", "paper_floor_padding")
def test_224_pixels_give_55_positions_under_documented_conventions(values):
    # Krizhevsky, Sutskever & Hinton (2012), section 3.5: "the 224×224×3 input image"
    assert tuple(values["paper_image"]) == (224, 224, 3) and values["paper_side"] == 224

    def fitting_windows(n, k, s, p):
        """Windows that fit inside the padded image, counted one by one (the floor)."""
        return len(range(0, n + 2 * p - k + 1, s))

    def cuda_convnet_windows(n, k, s, p):
        """cuda-convnet's placement, counted one by one: windows every s pixels until one
        reaches the last padded pixel, the last one possibly hanging over the edge."""
        count, start = 0, 0
        while True:
            count += 1
            if start + k >= n + 2 * p:
                return count
            start += s

    rows = values["paper_conventions"]
    expected = [(rounding, p, count(224, 11, 4, p)) for rounding, count in
                (("floor", fitting_windows), ("ceil", cuda_convnet_windows)) for p in range(4)]
    assert [(r["rounding"].split()[0], r["padding (each side)"], r["output side"]) for r in rows] == expected
    assert all(r["gives the published size"] == (r["output side"] == 55) for r in rows)
    # A real convolution agrees with the floor rows.
    for r in rows[:4]:
        p = r["padding (each side)"]
        assert layers.conv2d(np.zeros((1, 1, 224, 224)), np.zeros((1, 1, 11, 11)), stride=4, padding=p).shape[-1] == r["output side"]
    assert values["paper_conventions_tried"] == len(expected)
    assert values["paper_reproductions"] == sum(n == 55 for *_, n in expected) > 0  # so the verdict is "reproduced"
    assert values["paper_floor_side"] == fitting_windows(224, 11, 4, 0) == 54
    assert values["paper_ceil_side"] == cuda_convnet_windows(224, 11, 4, 0) == 55
    assert values["paper_floor_padding"] == min(p for p in range(4) if fitting_windows(224, 11, 4, p) == 55)
