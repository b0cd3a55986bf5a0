"""Drawing and array helpers shared by the basics snippets."""
import numpy as np
from matplotlib.patches import Rectangle


def as_batch(a):
    """An (H, W) array as a batch of one single-channel image, or a (C, H, W) array as a
    batch of one C-channel image, in float64."""
    a = np.asarray(a, dtype=float)
    return a[None, None] if a.ndim == 2 else a[None]


def as_int(a):
    """Float results of integer inputs, back to exact integers."""
    return np.asarray(a).round().astype(int)


def minus(v):
    """A number as printed: a true minus sign, not a hyphen; halves kept, as '2.5'."""
    text = f"{v:g}" if isinstance(v, float) else str(v)
    return text.replace("-", "\u2212")


def signed(v):
    return f"({minus(v)})" if v < 0 else minus(v)


def product_terms(weights, window):
    """The sum that gives one output, written out: '1·2 + 0·1 + …' (weight·pixel)."""
    return " + ".join(f"{signed(int(w))}·{signed(int(x))}" for w, x in zip(np.ravel(weights), np.ravel(window)))


def draw_grid(ax, a, corner, theme, label=None, highlight=None, fill=None, fontsize=10, colour=None):
    """A 2-D array as numbered unit cells whose top-left corner is `corner` (x, y), with
    `label` below. `highlight` = (row, col, h, w) outlines a block of cells; `fill` is a
    boolean array of the cells to shade (padding, say); a cell holding None is left empty."""
    x0, y0 = corner
    a = np.asarray(a, dtype=object)
    rows, cols = a.shape
    if fill is not None:
        for (r, c), on in np.ndenumerate(fill):
            if on:
                ax.add_patch(Rectangle((x0 + c, y0 + r), 1, 1, facecolor=theme.faint, edgecolor="none"))
    ax.vlines(x0 + np.arange(cols + 1), y0, y0 + rows, color=theme.muted, linewidth=0.8)
    ax.hlines(y0 + np.arange(rows + 1), x0, x0 + cols, color=theme.muted, linewidth=0.8)
    for (r, c), v in np.ndenumerate(a):
        if v is not None:
            ax.text(x0 + c + 0.5, y0 + r + 0.5, minus(v), ha="center", va="center", color=theme.fg, fontsize=fontsize)
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(Rectangle((x0 + c, y0 + r), w, h, fill=False, edgecolor=colour or theme.series[1], linewidth=2.5))
    if label:
        ax.text(x0 + cols / 2, y0 + rows + 0.6, label, ha="center", va="center", color=theme.fg, fontsize=10)


def cells_axes(ax, xlim, ylim):
    """One drawing in unit cells, y pointing down, no ticks."""
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(ylim[1], ylim[0])
    ax.set_aspect("equal")
