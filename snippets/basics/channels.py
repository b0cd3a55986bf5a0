"""Channels in, channels out: a 3-channel image and two filters.

A colour image has three channels (red, green, blue), so a filter that reads it has three
slices, one per channel, and adds all three sums into one number. Two filters give two
output channels, the two depth slices of the output volume. Every output of one depth
slice uses the same filter: the weights are shared across positions.
"""
import numpy as np

from snippets.basics._common import as_batch, as_int, cells_axes, draw_grid
from snippets.lib import layers, style

# Input: 3 channels of 4×4 pixels, stored (channels, height, width).
IMAGE = np.array([
    [[1, 0, 2, 1], [0, 1, 1, 0], [2, 1, 0, 1], [1, 2, 1, 0]],  # red
    [[0, 1, 0, 2], [1, 2, 2, 1], [0, 2, 1, 0], [1, 0, 0, 1]],  # green
    [[2, 0, 1, 0], [0, 1, 0, 2], [1, 0, 2, 1], [0, 1, 1, 2]],  # blue
])
# Two filters, each with one 3×3 slice per input channel: (filters, channels, 3, 3).
FILTERS = np.array([
    [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]], [[1, 0, 0], [0, 0, 0], [0, 0, 1]]],
    [[[0, 0, 1], [0, 0, 0], [1, 0, 0]], [[1, 1, 1], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [-1, -1, -1]]],
])
BIASES = np.array([1, -1])
CHANNEL_NAMES = ("red", "green", "blue")


def compute():
    out = as_int(layers.conv2d(as_batch(IMAGE), FILTERS.astype(float), BIASES.astype(float))[0])
    filters, channels, k, _ = FILTERS.shape
    # the first output of filter 1, one channel at a time
    partial = [int((FILTERS[0, ch] * IMAGE[ch, :k, :k]).sum()) for ch in range(channels)]
    weights_per_filter = channels * k * k
    out_hw = out.shape[1:]
    return {
        "input_shape": (IMAGE.shape[1], IMAGE.shape[2], channels),  # height × width × channels
        "filter_shape": (k, k, channels),
        "filters": filters,
        "output_shape": (out_hw[0], out_hw[1], filters),
        "channel_sums": " + ".join(str(p) for p in partial),
        "bias_first": int(BIASES[0]),
        "first_output": int(out[0, 0, 0]),
        "weights_per_filter": weights_per_filter,
        "params_per_filter": weights_per_filter + 1,
        "params": filters * (weights_per_filter + 1),
        "outputs_per_slice": out_hw[0] * out_hw[1],
        "multiply_adds_per_output": weights_per_filter,
        "multiply_adds": out.size * weights_per_filter,
        "_out": out,
    }


def figure_volume(v):
    """Left: the three 4×4 channels of the input. Middle: two filters, each with one 3×3
    slice per input channel. Right: the two 2×2 depth slices of the output, one per
    filter; the outlined windows and slices give the first output of the first filter."""
    theme = style.current()
    fig, ax = style.figure(6.4, 5.0)
    out = v["_out"]
    for ch, name in enumerate(CHANNEL_NAMES):
        y = ch * 5.6
        draw_grid(ax, IMAGE[ch], (0, y), theme, f"input: {name}", highlight=(0, 0, 3, 3), fontsize=9)
        for f in range(2):
            colour = theme.series[f]
            draw_grid(ax, FILTERS[f, ch], (5.5 + f * 4.2, y + 0.5), theme, f"filter {f + 1}: {name}",
                      highlight=(0, 0, 3, 3) if f == 0 else None, fontsize=9, colour=colour)
    for f in range(2):
        y = 3.3 + f * 6
        draw_grid(ax, out[f], (15.5, y), theme, f"depth slice {f + 1}",
                  highlight=(0, 0, 1, 1) if f == 0 else None, fontsize=9)
    ax.text(14.3, 8.2, "→", ha="center", va="center", color=theme.muted, fontsize=14)
    cells_axes(ax, (-0.2, 18.6), (-0.2, 16.6))
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
