"""How often one 3×3 filter reuses its 9 weights on a 32×32 image.

Counts the positions of the window without and with padding, and, with padding, how
many of those positions put each weight on a real pixel rather than on a padding zero.
"""
import numpy as np

from snippets.lib.formulas import conv_output_size, taps_inside

SIZE, KERNEL = 32, 3  # a 32×32 single-channel image, one 3×3 filter
PADDING = KERNEL // 2
ROWS, COLUMNS = ("top", "middle", "bottom"), ("left", "centre", "right")


def uses_per_tap(size, padding):
    """Output positions at which each kernel tap reads a real pixel, along one axis.

    Tap t reads input o + t - padding at output o: a window of one tap whose padding is
    shifted by t, so `taps_inside` counts it."""
    out = conv_output_size(size, KERNEL, padding=padding)
    return np.array([taps_inside(size, out, 1, padding=padding - tap) for tap in range(KERNEL)])


def compute():
    valid = conv_output_size(SIZE, KERNEL) ** 2
    same = conv_output_size(SIZE, KERNEL, padding=PADDING) ** 2
    uses = np.outer(uses_per_tap(SIZE, PADDING), uses_per_tap(SIZE, PADDING))
    assert (np.outer(uses_per_tap(SIZE, 0), uses_per_tap(SIZE, 0)) == valid).all()
    return {
        "weights": KERNEL * KERNEL,
        "positions_valid": valid,
        "positions_same": same,
        "multiplies_valid": KERNEL * KERNEL * valid,
        "multiplies_same": KERNEL * KERNEL * same,
        "multiplies_same_on_pixels": int(uses.sum()),
        "uses_centre": int(uses[PADDING, PADDING]),
        "uses_edge": int(uses[0, PADDING]),
        "uses_corner": int(uses[0, 0]),
        "uses_same": [{"weight row": row, **{col: int(n) for col, n in zip(COLUMNS, line)}}
                      for row, line in zip(ROWS, uses)],
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
