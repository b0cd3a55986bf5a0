"""Pooling, checked by writing out every window with Python's max and sum.

Oracle: the windows enumerated as lists of numbers (no numpy reductions on views), and
the output size by stepping the window along a side.
"""
import pytest

from snippets.basics.pooling import ALEXNET, FMAP, SIZE, STRIDE

ROWS = FMAP.tolist()


def windows(grid, size, stride):
    n = len(grid)
    starts = [s for s in range(0, n, stride) if s + size <= n]
    return [[[grid[r + a][c + b] for a in range(size) for b in range(size)] for c in starts] for r in starts]


W = windows(ROWS, SIZE, STRIDE)


@pytest.mark.covers("basics_pooling", "map_shape", "output_shape", "first_window", "max_first", "average_first")
def test_first_window(values):
    assert tuple(values["map_shape"]) == FMAP.shape
    assert tuple(values["output_shape"]) == (len(W), len(W[0]))
    assert values["first_window"] == ", ".join(str(v) for v in W[0][0])
    assert values["max_first"] == max(W[0][0])
    assert values["average_first"] == sum(W[0][0]) / len(W[0][0])


@pytest.mark.covers("basics_pooling", "max_output", "average_output", "parameters")
def test_every_window(values):
    assert values["max_output"] == " ".join(str(max(w)) for row in W for w in row)
    assert values["average_output"] == " ".join(f"{sum(w) / len(w):g}" for row in W for w in row)
    assert values["parameters"] == 0  # nothing in a max or a mean is learned


@pytest.mark.covers("basics_pooling", "global_average")
def test_global_average_is_the_mean_of_all_entries(values):
    flat = [v for row in ROWS for v in row]
    assert values["global_average"] == sum(flat) / len(flat)


@pytest.mark.covers("basics_pooling", "alexnet_side", "alexnet_pooled")
def test_alexnet_pooling_size_by_stepping(values):
    n, k, s = ALEXNET["side"], ALEXNET["size"], ALEXNET["stride"]
    assert values["alexnet_side"] == n
    assert values["alexnet_pooled"] == len(range(0, n - k + 1, s))
