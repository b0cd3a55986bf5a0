"""Pooling: max and average over windows, with no weights.

A 2×2 window moving by 2 over a 4×4 feature map takes the largest value (max pooling)
or the mean (average pooling) of each window. Its output size follows from the same
count as a filter's; pooling works on each depth slice on its own, so the depth stays.
Global average pooling is one window the size of the whole map: one number per slice.
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.basics._common import as_batch, cells_axes, draw_grid
from snippets.lib import layers, style

FMAP = np.array([
    [1, 3, 2, 0],
    [4, 2, 1, 1],
    [0, 1, 5, 2],
    [2, 2, 3, 4],
])
SIZE, STRIDE = 2, 2
# AlexNet pools its 55×55 feature maps with 3×3 windows at stride 2 (overlapping windows).
ALEXNET = dict(side=55, size=3, stride=2)


def compute():
    x = as_batch(FMAP)
    mx = layers.max_pool2d(x, SIZE, STRIDE)[0, 0]
    avg = layers.avg_pool2d(x, SIZE, STRIDE)[0, 0]
    alexnet = layers.max_pool2d(np.zeros((1, 1, ALEXNET["side"], ALEXNET["side"])), ALEXNET["size"], ALEXNET["stride"])
    return {
        "map_shape": FMAP.shape,
        "output_shape": mx.shape,
        "max_first": int(mx[0, 0]),
        "average_first": float(avg[0, 0]),
        "first_window": ", ".join(str(v) for v in FMAP[:SIZE, :SIZE].ravel()),
        "max_output": " ".join(str(int(v)) for v in mx.ravel()),
        "average_output": " ".join(f"{v:g}" for v in avg.ravel()),
        "parameters": 0,
        "global_average": float(layers.global_avg_pool(x)[0, 0]),
        "alexnet_side": ALEXNET["side"],
        "alexnet_pooled": alexnet.shape[2],
        "_max": mx,
        "_avg": avg,
    }


def figure_pooling(v):
    """The 4×4 feature map split into four 2×2 windows, each outlined in its own colour,
    and the 2×2 outputs of max pooling and of average pooling."""
    theme = style.current()
    fig, ax = style.figure(6.4, 2.6)
    draw_grid(ax, FMAP, (0, 0), theme, "feature map (4×4)")
    for k, (r, c) in enumerate(np.ndindex(2, 2)):
        ax.add_patch(Rectangle((c * 2 + 0.08, r * 2 + 0.08), 1.84, 1.84, fill=False,
                               edgecolor=theme.series[k], linewidth=2.2))
    draw_grid(ax, v["_max"], (6, 1), theme, "max pool")
    avg = np.array([[float(a) for a in row] for row in v["_avg"]], dtype=object)
    draw_grid(ax, avg, (10, 1), theme, "average pool")
    cells_axes(ax, (-0.2, 12.4), (-0.2, 4.9))
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
