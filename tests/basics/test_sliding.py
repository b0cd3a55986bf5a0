"""The sliding filter, checked against scipy's 2-D cross-correlation and a written-out loop.

Oracles: scipy.signal.correlate2d in 'valid' mode (what deep-learning libraries call
convolution), and the window positions enumerated one by one. Small integers: exact.
"""
import re

import pytest
from scipy.signal import correlate2d

from snippets.basics.sliding import FILTER, IMAGE

MAP = correlate2d(IMAGE, FILTER, mode="valid")
WINDOWS = [(i, j) for i in range(IMAGE.shape[0]) for j in range(IMAGE.shape[1])
           if i + FILTER.shape[0] <= IMAGE.shape[0] and j + FILTER.shape[1] <= IMAGE.shape[1]]


@pytest.mark.covers("basics_sliding", "image_shape", "filter_shape", "map_shape", "positions")
def test_shapes_count_the_window_positions(values):
    assert tuple(values["image_shape"]) == IMAGE.shape
    assert tuple(values["filter_shape"]) == FILTER.shape
    assert values["positions"] == len(WINDOWS)
    assert tuple(values["map_shape"]) == MAP.shape
    assert max(i for i, _ in WINDOWS) + 1 == MAP.shape[0]


@pytest.mark.covers("basics_sliding", "window_row", "window_column", "window_sum", "window_output")
def test_the_written_out_sum_is_the_window_times_the_filter(values):
    r, c = values["window_row"], values["window_column"]
    pairs = [tuple(int(n) for n in re.findall(r"-?\d+", term.replace("\u2212", "-")))
             for term in values["window_sum"].split(" + ")]
    expected = [(FILTER[m, n], IMAGE[r + m, c + n]) for m in range(3) for n in range(3)]
    assert pairs == expected
    assert sum(w * x for w, x in pairs) == values["window_output"] == MAP[r, c]


@pytest.mark.covers("basics_sliding", "weights", "multiply_adds_per_output", "multiply_adds")
def test_multiply_adds_are_counted_by_looping(values):
    count = 0
    for i, j in WINDOWS:
        for m in range(3):
            for n in range(3):
                count += 1  # one weight times one pixel, added to the sum
    assert values["multiply_adds"] == count
    assert values["multiply_adds_per_output"] == values["weights"] == FILTER.size


@pytest.mark.covers("basics_sliding", "largest_output", "largest_position")
def test_the_largest_output_is_found_by_search(values):
    best = max(WINDOWS, key=lambda p: MAP[p])
    assert values["largest_output"] == MAP[best] == MAP.max()
    assert (MAP == MAP.max()).sum() == 1  # one answer to the exercise
    assert values["largest_position"] == f"row {best[0]}, column {best[1]}"
