"""Stride, checked by stepping a window along a row and counting where it fits.

Oracle: start positions 0, s, 2s, ... enumerated while the window still fits, and the
pixels no window covers, marked one by one.
"""
import pytest

from snippets.basics.stride import EXERCISE, KERNEL, PADDED, SIDE


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


def read_by_enumeration(side, k, s, p):
    """(windows, image rows never read, padding rows never read): every window placed on
    the padded row at 0, s, 2s, ... while it fits, every index it covers marked."""
    padded = side + 2 * p
    windows = [x for x in range(0, padded, s) if x + k <= padded]
    covered = {x + t for x in windows for t in range(k)}
    image = set(range(p, p + side))
    return len(windows), len(image - covered), len(set(range(padded)) - image - covered)


@pytest.mark.covers("basics_stride", "resnet_side", "resnet_fraction", "resnet_size", "resnet_unread_image",
                    "resnet_unread_padding", "downsample_fraction", "downsample_size", "downsample_unread_image",
                    "downsample_unread_padding", "shortcut_fraction", "shortcut_size", "shortcut_unread_image",
                    "shortcut_unread_padding")
def test_with_padding_rounding_down_skips_padding_first(values):
    for name, side, k, s, p in PADDED:
        windows, image, padding = read_by_enumeration(side, k, s, p)
        assert values[f"{name}_size"] == windows
        assert values[f"{name}_unread_image"] == image
        assert values[f"{name}_unread_padding"] == padding
        assert values[f"{name}_fraction"] == pytest.approx((side - k + 2 * p) / s)
    assert values["resnet_side"] == PADDED[0][1]
    # The page: ResNet's 7×7/2, padding 3, on 224 does not divide (111.5) yet reads every pixel
    assert values["resnet_fraction"] % 1 == 0.5 and values["resnet_unread_image"] == 0
    # ... and a 3×3 stride-2 padding-1 layer never divides on an even side, and never skips an image pixel
    for side in range(2, 513, 2):
        assert (side - 3 + 2) % 2 == 1 and read_by_enumeration(side, 3, 2, 1)[1] == 0
    # a 1×1 window at stride 2 reads one pixel in two
    assert values["shortcut_unread_image"] == 56 // 2
