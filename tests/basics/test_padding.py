"""Padding, checked by enumerating where the filter fits on the padded image.

Oracle: every placement of the 3×3 window on a zero-padded grid, counted; scipy's
correlate2d in its own 'valid', 'same' and 'full' modes for the sizes.
"""
import numpy as np
import pytest
from scipy.signal import correlate2d

from snippets.basics.padding import EXERCISE_KERNEL, EXERCISE_LAYERS, EXERCISE_SIDE, KERNEL, SIDE


def placements(side, k, p):
    """Window positions along one side of a side-pixel image with p zeros on each end."""
    return [s for s in range(-p, side + p) if s + k <= side + p]


@pytest.mark.covers("basics_padding", "image_side", "kernel", "valid_padding", "same_padding", "full_padding",
                    "valid_size", "same_size", "full_size")
def test_sizes_equal_scipy_modes(values):
    assert (values["image_side"], values["kernel"]) == (SIDE, KERNEL)
    image, kernel = np.ones((SIDE, SIDE)), np.ones((KERNEL, KERNEL))
    for mode in ("valid", "same", "full"):
        p = values[f"{mode}_padding"]
        assert values[f"{mode}_size"] == correlate2d(image, kernel, mode=mode).shape[0] == len(placements(SIDE, KERNEL, p))
    assert values["same_size"] == SIDE  # 'same' keeps the size
    assert values["full_padding"] == KERNEL - 1 and values["valid_padding"] == 0


@pytest.mark.covers("basics_padding", "modes")
def test_outputs_that_read_padding_are_counted_by_placement(values):
    for row in values["modes"]:
        p = row["zeros on each side"]
        pos = placements(SIDE, KERNEL, p)
        inside = [s for s in pos if 0 <= s and s + KERNEL <= SIDE]
        assert tuple(row["output"]) == (len(pos), len(pos))
        assert row["outputs that read padding"] == len(pos) ** 2 - len(inside) ** 2


@pytest.mark.covers("basics_padding", "exercise_same_padding", "exercise_valid_size", "exercise_same_size",
                    "exercise_stack_size")
def test_exercises(values):
    image, kernel = np.ones((EXERCISE_SIDE, EXERCISE_SIDE)), np.ones((EXERCISE_KERNEL, EXERCISE_KERNEL))
    assert values["exercise_valid_size"] == correlate2d(image, kernel, mode="valid").shape[0]
    p = values["exercise_same_padding"]
    assert values["exercise_same_size"] == len(placements(EXERCISE_SIDE, EXERCISE_KERNEL, p)) == EXERCISE_SIDE
    side = EXERCISE_SIDE
    for _ in range(EXERCISE_LAYERS):
        side = len(placements(side, 3, 0))
    assert values["exercise_stack_size"] == side
