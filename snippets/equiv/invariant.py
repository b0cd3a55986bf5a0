"""Is a CNN translation invariant? A row of eight pixels by hand, then a digit.

The smallest case: one row of eight pixels, a three-tap edge filter with circular
padding and a ReLU. Shifting the row shifts the filter's outputs (equivariance), so their
average does not change (invariance); keeping every second output (stride 2) breaks
both. Then the same question on a handwritten digit: a 3×3 edge detector followed by a
global average, with circular or zero padding, at stride 1 or 2, or with 2×2 max pooling,
as the digit moves one pixel at a time. Nothing is drawn by chance: every number can be checked by hand
or by a loop.
"""
import numpy as np
from matplotlib.figure import Figure

from snippets.lib import layers, sklearn_files, style

ROW = np.array([0, 0, 1, 3, 2, 0, 0, 0])  # the hand-checkable input: one row of pixels
TAPS = np.array([-1, 0, 1])  # output i = x[i + 1] − x[i − 1]: where the row rises
CANVAS, TOP, LEFT = 16, 4, 1  # the digit's top-left corner on the canvas
INDEX = 2  # scikit-learn's third scan, a "2"
SHIFTS = range(0, 13)  # to the right, circularly: from 8 on, ink reaches the right edge
SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])  # a vertical-edge detector
MAP_SHIFT = 3  # the shift drawn beside the unshifted digit
SAME = 1e-12  # relative change below this is float rounding: the output is unchanged
NETWORKS = ("circular padding", "zero padding", "circular padding, stride 2", "circular padding, 2×2 max pooling")


def row_filter(x):
    """ReLU of the three-tap filter on a row, circular padding: output i reads x[i−1..i+1]."""
    padded = np.concatenate([x[-1:], x, x[:1]])
    return np.maximum(np.correlate(padded, TAPS, mode="valid"), 0)


def canvas():
    """The digit (grey levels 0 to 16) on an empty canvas."""
    image = np.zeros((CANVAS, CANVAS))
    image[TOP:TOP + sklearn_files.DIGIT, LEFT:LEFT + sklearn_files.DIGIT] = sklearn_files.digits()[0][INDEX]
    return image


def feature_map(image, network):
    """The detector's map (convolution and ReLU) of one image, as `network` computes it
    before its global average."""
    mode = "zeros" if network == "zero padding" else "circular"
    stride = 2 if network.endswith("stride 2") else 1
    x, w = image[None, None], SOBEL[None, None].astype(float)
    out = layers.relu(layers.conv2d(x, w, stride=stride, padding=1, padding_mode=mode))
    if network.endswith("max pooling"):
        out = layers.max_pool2d(out, 2)
    return out[0, 0]


def word_list(shifts):
    """[1, 3, 5] -> '1, 3 and 5'."""
    words = [str(s) for s in shifts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def compute():
    shifted = np.roll(ROW, 1)
    out, out_shifted = row_filter(ROW), row_filter(shifted)
    def row(name, a, positions=range(len(ROW))):
        """A table row: the values at their positions, blank elsewhere, and their average."""
        cells = dict(zip(positions, a.tolist()))
        return {"what is computed": name, **{f"{i}": str(cells.get(i, "")) for i in range(len(ROW))}, "average": f"{a.mean():g}"}

    kept = range(0, len(ROW), 2)  # stride 2 keeps outputs 0, 2, 4, 6
    table = [row("row x", ROW), row("x shifted right by 1", shifted),
             row("filter and ReLU on x", out), row("the same on the shifted x", out_shifted),
             row("stride 2 on x", out[::2], kept), row("stride 2 on the shifted x", out_shifted[::2], kept)]
    image = canvas()
    change = {}
    for network in NETWORKS:
        before = feature_map(image, network).mean()
        change[network] = [abs(feature_map(np.roll(image, t, axis=1), network).mean() - before) / before
                           for t in SHIFTS]
    unchanged = {n: [t for t, c in zip(SHIFTS, change[n]) if c < SAME] for n in NETWORKS}
    zero_breaks = min(t for t in SHIFTS if t not in unchanged["zero padding"])
    return {
        "row_table": table,
        "row_average": float(out.mean()),
        "row_average_shifted": float(out_shifted.mean()),
        "row_stride_average": float(out[::2].mean()),
        "row_stride_average_shifted": float(out_shifted[::2].mean()),
        "row_follows": bool(np.array_equal(out_shifted, np.roll(out, 1))),
        # The exercise: the row shifted by two pixels instead of one, through stride 2.
        "row_stride_average_shift_two": float(row_filter(np.roll(ROW, 2))[::2].mean()),
        "canvas": (CANVAS, CANVAS),
        "largest_shift": SHIFTS[-1],
        "map_shift": MAP_SHIFT,
        # In words, for the page: where each network's output does not move.
        "circular_unchanged": "every shift" if unchanged["circular padding"] == list(SHIFTS) else "some shifts",
        "zero_padding_breaks_at": zero_breaks,
        "stride_changed_at": word_list([t for t in SHIFTS if t not in unchanged["circular padding, stride 2"]]),
        "pooling_changed_at": word_list([t for t in SHIFTS if t not in unchanged["circular padding, 2×2 max pooling"]]),
        "largest_change_stride": float(max(change["circular padding, stride 2"])),
        "_change": change,
        "_maps": [np.roll(image, t, axis=1) for t in (0, MAP_SHIFT)],
    }


def figure_digit(v):
    """Top: a handwritten 2 and the map of a vertical-edge detector, unshifted and moved
    three pixels to the right: the map moves with the digit. Bottom: how much the global
    average of the map changes as the digit moves one pixel at a time, for four networks:
    with circular padding it never changes; with zero padding it changes once the digit
    reaches the border; at stride 2 or after 2×2 max pooling it changes at the odd
    shifts and returns at the even ones."""
    theme = style.current()
    fig = Figure(figsize=(6.4, 5.0), layout="constrained")  # style.figure's, with a mosaic of axes
    axes = fig.subplot_mosaic([["a", "b", "c", "d"], ["plot"] * 4], height_ratios=[1, 1.4])
    for ax, (title, image) in zip([axes[k] for k in "abcd"], [("digit", v["_maps"][0]), ("its edge map", v["_maps"][0]),
                                            (f"moved {v['map_shift']}", v["_maps"][1]), ("its edge map", v["_maps"][1])]):
        shown = image if title.startswith(("digit", "moved")) else feature_map(image, "circular padding")
        ax.imshow(shown, cmap=theme.cmap)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    ax = axes["plot"]
    for colour, marker, (network, change) in zip(theme.series, "os^v", v["_change"].items()):
        ax.plot(list(SHIFTS), change, marker=marker, color=colour, label=network)
    ax.set_xticks(list(SHIFTS))
    ax.set_xlabel("shift of the digit to the right (pixels)")
    ax.set_ylabel("change of the\nglobal average")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.3), ncols=2, fontsize=8, frameon=False)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
