"""Strong and weak filters: a template the size of the image against a small swept filter.

A dense unit whose weights are the whole image with a pattern at one place (a strong
filter) and a 3×3 filter swept over the image (a weak one) both look for the same
pattern; the pattern then moves.
"""
import numpy as np

from snippets.lib import layers, style

CANVAS = 12  # a 12×12 image
PATTERN = np.array([  # a corner: not symmetric, so a partial overlap is not a match
    [1, 1, 1],
    [1, 0, 0],
    [1, 0, 0],
])
START = (4, 1)  # the pattern's top-left pixel in the image the template was made from
SHIFTS = range(0, 7)  # the pattern moves this many pixels to the right


def image_with_pattern(row, col):
    """The canvas, zero except for PATTERN with its top-left pixel at (row, col)."""
    image = np.zeros((CANVAS, CANVAS))
    image[row:row + PATTERN.shape[0], col:col + PATTERN.shape[1]] = PATTERN
    return image


def compute():
    template = image_with_pattern(*START)  # the dense unit's weights, one per pixel
    images = np.stack([image_with_pattern(START[0], START[1] + s) for s in SHIFTS])
    dense = layers.dense(images.reshape(len(images), -1), template.reshape(1, -1))[:, 0]
    maps = layers.conv2d(images[:, None], PATTERN[None, None].astype(float))[:, 0]
    best = maps.reshape(len(maps), -1).max(axis=1)
    found = [np.unravel_index(m.argmax(), m.shape) for m in maps]
    match = float((PATTERN**2).sum())  # the response to the pattern where it is
    positions = maps[0].size  # places the whole pattern fits: one template each, to find it anywhere
    return {
        "canvas": (CANVAS, CANVAS),
        "template_weights": template.size,
        "filter_weights": PATTERN.size,
        "positions": positions,
        "templates_weights_everywhere": positions * template.size,
        "responses": [
            {"shift (pixels)": s,
             "template": float(d / match),
             "swept filter, best": float(b / match),
             "found at column": int(col)}
            for s, d, b, (_, col) in zip(SHIFTS, dense, best, found)
        ],
        "template_blind_from": int(SHIFTS[np.argmax(dense == 0)]),
    }


def figure_responses(v):
    """Line chart of the response against how far the pattern has moved: the
    image-sized template falls to nothing after a shift of a few pixels, while the
    best response of the swept 3×3 filter stays at a full match at every shift."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.0)
    rows = v["responses"]
    shifts = [r["shift (pixels)"] for r in rows]
    for key, label, colour, marker in [
        ("swept filter, best", "3×3 filter swept over the image (weak)", theme.series[0], "o"),
        ("template", "image-sized template (strong)", theme.series[1], "s"),
    ]:
        ax.plot(shifts, [r[key] for r in rows], marker=marker, color=colour, label=label, linewidth=2)
    ax.set_xlabel("pattern moved right by (pixels)")
    ax.set_ylabel("response / full match")
    ax.set_ylim(-0.05, 1.15)
    ax.legend(loc="center right", frameon=False)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
