"""Padding: valid, same and full.

Without padding a 3×3 filter fits a 5×5 image at only 3 positions per side, so every
layer shrinks its input. Padding adds a border of zeros first: one pixel on each side
keeps the size ('same'), two pixels let the filter reach every position where it
overlaps the image at all ('full').
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.basics._common import as_batch, cells_axes, draw_grid
from snippets.lib import layers, style
from snippets.lib.formulas import conv_output_size

SIDE, KERNEL = 5, 3
MODES = {"valid": 0, "same": (KERNEL - 1) // 2, "full": KERNEL - 1}  # zeros on each side
# Exercise: a 32×32 image and a 5×5 filter; and a stack of 3×3 'valid' layers.
EXERCISE_SIDE, EXERCISE_KERNEL, EXERCISE_LAYERS = 32, 5, 10


def padded_output(padding):
    """The feature map of a 3×3 filter on the 5×5 image padded with `padding` zeros."""
    image = np.ones((SIDE, SIDE))
    return layers.conv2d(as_batch(image), as_batch(np.ones((KERNEL, KERNEL))), padding=padding)[0, 0]


def compute():
    rows, sizes = [], {}
    for mode, p in MODES.items():
        out = padded_output(p)
        # on an all-ones image an output that reads any padding sums fewer than K*K ones
        touching = int((out.round() < KERNEL * KERNEL).sum())
        sizes[mode] = out.shape[0]
        rows.append({"padding": mode, "zeros on each side": p, "output": out.shape,
                     "outputs that read padding": touching})
    side = EXERCISE_SIDE
    for _ in range(EXERCISE_LAYERS):
        side = conv_output_size(side, 3)
    return {
        "image_side": SIDE,
        "kernel": KERNEL,
        "valid_padding": MODES["valid"],
        "same_padding": MODES["same"],
        "full_padding": MODES["full"],
        "valid_size": sizes["valid"],
        "same_size": sizes["same"],
        "full_size": sizes["full"],
        "modes": rows,
        "exercise_same_padding": (EXERCISE_KERNEL - 1) // 2,
        "exercise_valid_size": conv_output_size(EXERCISE_SIDE, EXERCISE_KERNEL),
        "exercise_same_size": conv_output_size(EXERCISE_SIDE, EXERCISE_KERNEL, padding=(EXERCISE_KERNEL - 1) // 2),
        "exercise_stack_size": side,
    }


def figure_modes(v):
    """Three drawings of the 5×5 image (the empty cells inside the blue outline) in its
    border of padding zeros: none for 'valid', one pixel for 'same', two for 'full'. The
    orange square is the filter's first position; the size under each is its feature map's."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.0)
    x = 0
    for row in v["modes"]:
        p = row["zeros on each side"]
        n = SIDE + 2 * p
        grid = np.full((n, n), None, dtype=object)
        padding = np.ones((n, n), dtype=bool)
        padding[p:p + SIDE, p:p + SIDE] = False
        grid[padding] = 0
        label = f"{row['padding']}: {row['output'][0]}×{row['output'][1]} out"
        draw_grid(ax, grid, (x, 9 - n), theme, label, highlight=(0, 0, KERNEL, KERNEL), fontsize=7)
        ax.add_patch(Rectangle((x + p, 9 - n + p), SIDE, SIDE, fill=False, edgecolor=theme.series[0], linewidth=2))
        x += n + 1.2
    cells_axes(ax, (-0.2, x - 1.0), (-0.2, 10.2))
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
