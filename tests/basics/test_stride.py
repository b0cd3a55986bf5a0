"""Stride, checked by stepping a window along a row and counting where it fits.

Oracle: start positions 0, s, 2s, ... enumerated while the window still fits, and the
pixels no window covers, marked one by one.
"""
import pytest

from snippets.basics.stride import EXERCISE, KERNEL, SIDE


def starts(side, k, s, p=0):
    return [x for x in range(-p, side + p, s) if x + k <= side + p]


@pytest.mark.covers("basics_stride", "image_side", "kernel", "strides", "stride1_size", "stride2_size",
                    "stride3_size", "stride3_unread")
def test_positions_and_unread_pixels_by_enumeration(values):
    assert (values["image_side"], values["kernel"]) == (SIDE, KERNEL)
    for row in values["strides"]:
        s = row["stride"]
        xs = starts(SIDE, KERNEL, s)
        covered = {x + m for x in xs for m in range(KERNEL)}
        assert row["positions per side"] == len(xs) == values[f"stride{s}_size"]
        assert tuple(row["output"]) == (len(xs), len(xs))
        assert row["pixels never read per side"] == SIDE - len(covered)
    assert values["stride3_unread"] > 0  # the example shows the rounding down


@pytest.mark.covers("basics_stride", "stride3_exact")
def test_the_unrounded_count_is_not_whole(values):
    assert values["stride3_exact"] == pytest.approx(len(starts(SIDE, KERNEL, 3)) + 1 / 3)


@pytest.mark.covers("basics_stride", "exercise_side", "exercise_size")
def test_exercise(values):
    assert values["exercise_side"] == EXERCISE["side"]
    assert values["exercise_size"] == len(starts(EXERCISE["side"], EXERCISE["kernel"], EXERCISE["stride"], EXERCISE["padding"]))
