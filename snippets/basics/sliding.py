"""A filter sliding over an image: the feature map it makes.

A 3×3 filter slides over a 5×5 single-channel image, one pixel at a time, without
padding. At each position it multiplies the window under it by its weights, entry by
entry, and adds: one number of the feature map per position.
"""
import numpy as np

from snippets.basics._common import as_batch, as_int, cells_axes, draw_grid, product_terms
from snippets.lib import layers, style

# Small integers, so that every product can be checked by hand.
IMAGE = np.array([
    [0, 1, 2, 1, 0],
    [1, 3, 1, 0, 2],
    [2, 1, 0, 3, 1],
    [0, 2, 1, 1, 3],
    [1, 0, 2, 2, 1],
])
FILTER = np.array([
    [1, 0, -1],
    [1, 0, -1],
    [1, 0, -1],
])  # left column minus right column: responds to brightness falling from left to right
WINDOW = (1, 2)  # the output position worked out in full (row, column)


def compute():
    fmap = as_int(layers.conv2d(as_batch(IMAGE), as_batch(FILTER))[0, 0])
    k = FILTER.shape[0]
    r, c = WINDOW
    window = IMAGE[r:r + k, c:c + k]
    best = np.unravel_index(np.argmax(fmap), fmap.shape)
    return {
        "image_shape": IMAGE.shape,
        "filter_shape": FILTER.shape,
        "map_shape": fmap.shape,
        "positions": fmap.size,
        "window_row": r,
        "window_column": c,
        "window_sum": product_terms(FILTER, window),
        "window_output": int(fmap[r, c]),
        "weights": FILTER.size,
        "multiply_adds_per_output": FILTER.size,
        "multiply_adds": fmap.size * FILTER.size,
        "largest_output": int(fmap.max()),
        "largest_position": f"row {best[0]}, column {best[1]}",
        "_map": fmap,
    }


def figure_sliding(v):
    """The 5×5 image with one 3×3 window outlined, the 3×3 filter, and the 3×3 feature
    map with the output that window gives outlined: the window's nine products, added."""
    theme = style.current()
    fig, ax = style.figure(6.4, 2.6)
    r, c = WINDOW
    draw_grid(ax, IMAGE, (0, 0), theme, "image (5×5)", highlight=(r, c, 3, 3))
    ax.text(6, 2.5, "×", ha="center", va="center", color=theme.muted, fontsize=14)
    draw_grid(ax, FILTER, (7, 1), theme, "filter (3×3)")
    ax.text(11, 2.5, "→", ha="center", va="center", color=theme.muted, fontsize=14)
    draw_grid(ax, v["_map"], (12, 1), theme, "feature map (3×3)", highlight=(r, c, 1, 1))
    cells_axes(ax, (-0.2, 15.4), (-0.2, 5.9))
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
