"""Stride: how far the filter moves between positions.

A 3×3 filter on a 7×7 image fits 5 times per side moving one pixel at a time, 3 times
moving two, and twice moving three, where the last column and row are never read: the
output size is rounded down. The same count, with padding, is the output-size formula.
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.basics._common import as_batch
from snippets.lib import layers, style
from snippets.lib.formulas import conv_output_size

SIDE, KERNEL = 7, 3
STRIDES = (1, 2, 3)
# With padding, rounding down skips padding first: (name, side, kernel, stride, padding).
PADDED = [("resnet", 224, 7, 2, 3),  # ResNet's first layer
          ("downsample", 56, 3, 2, 1),  # the usual 3×3 stride-2 layer, on an even side
          ("shortcut", 56, 1, 2, 0)]  # ResNet's 1×1 stride-2 shortcut: a stride larger than the window
# Exercise: a 32×32 image, a 3×3 filter, 'same' padding of 1, stride 2.
EXERCISE = dict(side=32, kernel=3, stride=2, padding=1)


def reading(side, k, s, p):
    """What a layer reads along one side: the unrounded count of steps, the positions, and
    how many image pixels and padding zeros no window covers. Windows start at padded
    position i·s; the last one ends at (n − 1)·s + k."""
    n = conv_output_size(side, k, s, p)
    trailing = side + 2 * p - ((n - 1) * s + k)  # padded positions after the last window
    between = (n - 1) * max(s - k, 0)  # gaps between windows when the stride exceeds the window
    return {"fraction": (side - k + 2 * p) / s, "size": n,
            "image pixels never read": max(trailing - p, 0) + between,
            "padding zeros never read": min(trailing, p)}


def compute():
    padded = {}
    for name, side, k, s, p in PADDED:
        padded |= {f"{name}_{key}": value for key, value in zip(
            ("fraction", "size", "unread_image", "unread_padding"), reading(side, k, s, p).values())}
    rows = []
    for s in STRIDES:
        out = layers.conv2d(as_batch(np.ones((SIDE, SIDE))), as_batch(np.ones((KERNEL, KERNEL))), stride=s)[0, 0]
        n = out.shape[0]
        last_read = (n - 1) * s + KERNEL  # pixels from the first to the end of the last window
        rows.append({"stride": s, "positions per side": n, "output": out.shape,
                     "pixels never read per side": SIDE - last_read})
    by = {r["stride"]: r for r in rows}
    return {
        **padded,
        "resnet_side": PADDED[0][1],
        "image_side": SIDE,
        "kernel": KERNEL,
        "strides": rows,
        "stride1_size": by[1]["positions per side"],
        "stride2_size": by[2]["positions per side"],
        "stride3_size": by[3]["positions per side"],
        "stride3_unread": by[3]["pixels never read per side"],
        "stride3_exact": (SIDE - KERNEL) / 3 + 1,
        "exercise_side": EXERCISE["side"],
        "exercise_size": conv_output_size(EXERCISE["side"], EXERCISE["kernel"], EXERCISE["stride"], EXERCISE["padding"]),
    }


def figure_positions(v):
    """One row of the 7-pixel image three times, with the filter's 3-pixel windows for
    stride 1, 2 and 3 drawn as bars under it; at stride 3 the last pixel (shaded) is never covered."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.2)
    y = 0
    for row in v["strides"]:
        s, n = row["stride"], row["positions per side"]
        unread = SIDE - row["pixels never read per side"]
        for px in range(SIDE):
            ax.add_patch(_cell(px, y, theme, shaded=px >= unread))
        for i in range(n):
            ax.plot([i * s + 0.1, i * s + KERNEL - 0.1], [y + 1.4 + 0.35 * i] * 2,
                    color=theme.series[i % 2], linewidth=3, solid_capstyle="butt")
        ax.text(-0.4, y + 0.5, f"stride {s}", ha="right", va="center", color=theme.fg)
        ax.text(SIDE + 0.4, y + 0.5, f"{n} positions", ha="left", va="center", color=theme.fg)
        y += 3.6
    ax.set_axis_off()
    ax.set_xlim(-3.2, SIDE + 3.6)
    ax.set_ylim(y, -0.4)
    ax.set_aspect("equal")
    return fig


def _cell(px, y, theme, shaded=False):
    return Rectangle((px, y), 1, 1, facecolor=theme.faint if shaded else "none", edgecolor=theme.muted, linewidth=0.8)


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
