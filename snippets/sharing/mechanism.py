"""One filter at every position: a worked convolution.

Slides a 3×3 kernel over a 4×4 single-channel image, as cross-correlation (what
deep-learning libraries call convolution) and as true convolution (the kernel flipped).
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.lib import layers, style

# Small integers, so every product can be checked by hand. The kernel is not symmetric
# under a half turn, so cross-correlation and true convolution give different outputs.
IMAGE = np.array([
    [1, 2, 0, 3],
    [0, 1, 2, 1],
    [3, 0, 1, 2],
    [2, 1, 0, 1],
])
KERNEL = np.array([
    [1, 0, -1],
    [2, 1, 0],
    [0, -1, 1],
])


def as_batch(a):
    """A 2-D array as a batch of one single-channel image (or one 1-in, 1-out filter)."""
    return a[None, None].astype(float)


def correlate(image, kernel):
    """Cross-correlation with the reference layer: y[i, j] = sum_mn w[m, n] x[i+m, j+n]."""
    return layers.conv2d(as_batch(image), as_batch(kernel))[0, 0].round().astype(int)


def product_terms(image, kernel, i, j):
    """The sum that gives output (i, j), written out: '1·1 + 2·0 + …'."""
    window = image[i:i + kernel.shape[0], j:j + kernel.shape[1]]
    signed = lambda v: f"({v})" if v < 0 else str(v)
    return " + ".join(f"{signed(w)}·{signed(x)}" for w, x in zip(kernel.ravel(), window.ravel()))


def compute():
    flipped = KERNEL[::-1, ::-1]  # a half turn: true convolution's kernel as correlation sees it
    xcorr, conv = correlate(IMAGE, KERNEL), correlate(IMAGE, flipped)
    positions = list(np.ndindex(xcorr.shape))
    return {
        "output_shape": xcorr.shape,
        "first_sum": product_terms(IMAGE, KERNEL, 0, 0),
        "first_output": int(xcorr[0, 0]),
        "first_output_convolution": int(conv[0, 0]),  # the same window, the kernel turned
        "outputs": [
            {"output position (i, j)": f"({i}, {j})",
             "cross-correlation (conv2d)": int(xcorr[i, j]),
             "true convolution": int(conv[i, j])}
            for i, j in positions
        ],
        "outputs_that_differ": int((xcorr != conv).sum()),
        "kernel_uses": len(positions),  # every output reads the same nine weights
        # the sliding-filter widget of the page shows this example (a table of one row)
        "widget_example": [{"image": IMAGE.tolist(), "kernel": KERNEL.tolist()}],
        "_xcorr": xcorr,
        "_conv": conv,
        "_flipped": flipped,
    }


def minus(v):
    """An integer as printed: a true minus sign, not a hyphen."""
    return str(v).replace("-", "\u2212")


def draw_grid(ax, a, corner, theme, label, highlight=None):
    """An integer array as numbered unit cells from `corner` (x, y), its label below;
    `highlight` = (row, col, h, w) outlines a block of cells."""
    x0, y0 = corner
    rows, cols = a.shape
    ax.vlines(x0 + np.arange(cols + 1), y0, y0 + rows, color=theme.muted, linewidth=0.8)
    ax.hlines(y0 + np.arange(rows + 1), x0, x0 + cols, color=theme.muted, linewidth=0.8)
    for (r, c), v in np.ndenumerate(a):
        ax.text(x0 + c + 0.5, y0 + r + 0.5, minus(v), ha="center", va="center", color=theme.fg, fontsize=11)
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(Rectangle((x0 + c, y0 + r), w, h, fill=False, edgecolor=theme.series[1], linewidth=2.5))
    ax.text(x0 + cols / 2, y0 + rows + 0.55, label, ha="center", va="center", color=theme.fg)


def figure_worked(v):
    """Top row: the 4×4 image with the window of the first output outlined, the 3×3
    kernel and the 2×2 cross-correlation output. Bottom row: the same image, the kernel
    turned by a half turn and the true convolution output, whose numbers differ."""
    theme = style.current()
    fig, ax = style.figure(6.4, 4.6)
    ax.set_axis_off()  # one drawing in unit cells: no ticks to lay out
    kh, kw = KERNEL.shape
    rows = [(KERNEL, v["_xcorr"], "kernel w", "cross-correlation"),
            (v["_flipped"], v["_conv"], "w turned by 180°", "true convolution")]
    for y0, (kernel, out, kernel_label, out_label) in zip((0, 5.6), rows):
        draw_grid(ax, IMAGE, (0, y0), theme, "image x", highlight=(0, 0, kh, kw))
        ax.text(5, y0 + 2, "with", ha="center", va="center", color=theme.muted)
        draw_grid(ax, kernel, (6, y0), theme, kernel_label)
        ax.text(10, y0 + 2, "gives", ha="center", va="center", color=theme.muted)
        draw_grid(ax, out, (11.2, y0 + 1), theme, out_label, highlight=(0, 0, 1, 1))
    ax.set_xlim(-0.2, 13.8)
    ax.set_ylim(11, -0.2)
    ax.set_aspect("equal")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
