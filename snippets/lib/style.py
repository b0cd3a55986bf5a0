"""The look of every figure, in a light and a dark variant.

The engine draws each figure twice, inside `use("light")` and `use("dark")`. Figure
code takes its colours from `current()` so that nothing is hard-coded black or white;
backgrounds are transparent, so the page's own background shows through.
"""
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Theme:
    name: str
    fg: str  # text, axes, the main line
    muted: str  # secondary text, grid
    faint: str  # fills behind data
    series: tuple  # categorical colours, each readable on this theme's background
    cmap: str  # sequential colour map
    diverging: str  # colour map centred on zero


# Material's light page is white, its dark ("slate") page is about #1e2129. The series
# colours are Okabe-Ito hues, adjusted per theme for contrast against the page.
THEMES = {
    "light": Theme(
        name="light",
        fg="#1f2328",
        muted="#57606a",
        faint="#d8dee4",
        series=("#0068b5", "#c75000", "#008a5e", "#b8287a", "#7a5c00", "#5a49c2"),
        cmap="viridis",
        diverging="RdBu_r",
    ),
    "dark": Theme(
        name="dark",
        fg="#e6edf3",
        muted="#a2acb6",
        faint="#3b4048",
        series=("#5cb8ff", "#ff9f4a", "#3ddc97", "#ff7ac6", "#e8c547", "#a99bff"),
        cmap="viridis",
        diverging="RdBu_r",
    ),
}

_current = THEMES["light"]


def current():
    """The theme a figure function is being drawn in."""
    return _current


@contextmanager
def use(name):
    """Draw inside this block in the named theme."""
    global _current
    theme, previous = THEMES[name], _current
    rc = {
        "text.color": theme.fg,
        "axes.labelcolor": theme.fg,
        "axes.edgecolor": theme.muted,
        "axes.titlecolor": theme.fg,
        "xtick.color": theme.muted,
        "ytick.color": theme.muted,
        "xtick.labelcolor": theme.fg,
        "ytick.labelcolor": theme.fg,
        "grid.color": theme.faint,
        "legend.edgecolor": theme.faint,
        "legend.facecolor": "none",
        "legend.framealpha": 0,
        "axes.facecolor": "none",
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "axes.prop_cycle": matplotlib.cycler(color=theme.series),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
        "svg.fonttype": "path",  # glyphs as paths: the same look in every browser
        "image.cmap": theme.cmap,
    }
    with matplotlib.rc_context(rc):
        _current = theme
        try:
            yield theme
        finally:
            _current = previous


def figure(width=6.4, height=3.6, **subplots):
    """A new figure (no pyplot state) and its axes; `subplots` go to `Figure.subplots`."""
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(**subplots)
