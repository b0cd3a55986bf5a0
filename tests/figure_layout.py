"""Does a figure keep its text inside its drawing area and its legends off the data?
(issue 19, item 6). The checks, on a figure as matplotlib lays it out:

- **text outside**: the window extent of every visible text artist (titles, axis labels,
  tick labels, annotations, legend entries) lies inside the figure's box; what lies
  outside is cut off in the SVG the page shows ("...95% interval, eac");
- **legend over data**: no legend's box holds a plotted point of a line, a marker, an
  error bar or a bar of its axes (lines drawn across the whole axes, `axhline`, are
  references, not data).

tests/snippet_runs.py runs them on every figure a snippet draws; tests/site/test_figures.py
reports them and checks the checks.
"""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.text import Text

SLACK = 1.0  # pixels: anti-aliasing and rounding


def laid_out(fig):
    """The figure laid out as for drawing, without rasterizing it (matplotlib's own
    `draw_without_rendering`: about half the time of an Agg draw, the same extents);
    its renderer, for measuring artists."""
    FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def drawn_texts(fig):
    """The text artists the figure draws. An axis keeps labels for ticks beyond its limits,
    which are never drawn (Axis._update_ticks says which are), and an axes turned off
    (`ax.axis("off")`) draws no tick label and no axis label."""
    hidden = set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            labels = {id(label) for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                      for label in (tick.label1, tick.label2)}
            if ax.axison and axis.get_visible():
                labels -= {id(label) for tick in axis._update_ticks() for label in (tick.label1, tick.label2)}
            else:
                labels |= {id(axis.label), id(axis.offsetText)}
            hidden |= labels
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip() and id(text) not in hidden:
            yield text


def texts_outside(fig, renderer):
    """[(text, how far outside, in pixels)] for the drawn texts that leave the figure."""
    box = fig.bbox
    found = []
    for text in drawn_texts(fig):
        ext = text.get_window_extent(renderer)
        over = max(box.x0 - ext.x0, ext.x1 - box.x1, box.y0 - ext.y0, ext.y1 - box.y1)
        if over > SLACK:
            found.append((text.get_text()[:40], round(float(over), 1)))
    return found


def _segments(points, per=20):
    """Points along a polyline (display coordinates), so a line crossing a box is caught
    even when no vertex lies in it."""
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) < 2:
        return points
    t = np.linspace(0, 1, per)[:, None, None]
    return (points[:-1] * (1 - t) + points[1:] * t).reshape(-1, 2)


def data_points(ax):
    """Display coordinates of what an axes plots: lines, markers, error bars, bars."""
    found = []
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        if line.get_transform() != ax.transData:  # axhline / axvline: a reference, not data
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        found.append(_segments(xy) if line.get_linestyle() not in ("None", "", " ") else xy)
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, LineCollection):  # error bars
            for segment in collection.get_segments():
                found.append(_segments(collection.get_transform().transform(np.asarray(segment, dtype=float))))
        elif isinstance(collection, PathCollection):  # scatter markers
            found.append(collection.get_offset_transform().transform(collection.get_offsets()))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible() and patch.get_transform() != ax.transAxes:
            box = patch.get_window_extent()
            if box.width > 0 and box.height > 0:
                found.append(np.array([[x, y] for x in np.linspace(box.x0, box.x1, 5) for y in np.linspace(box.y0, box.y1, 5)]))
    return np.concatenate(found) if found else np.empty((0, 2))


def legends_over_data(fig, renderer):
    """[(legend's first entry, axes title or index, points covered)] for every legend
    whose box holds data of the axes it describes (a figure legend: of every axes)."""
    found = []
    for legend in fig.findobj(Legend):
        if not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer).padded(-SLACK)
        axes = [legend.axes] if legend.axes is not None else fig.axes
        for index, ax in enumerate(axes):
            points = data_points(ax)
            inside = ((points[:, 0] > box.x0) & (points[:, 0] < box.x1) &
                      (points[:, 1] > box.y0) & (points[:, 1] < box.y1)) if len(points) else np.array([])
            if inside.any():
                first = legend.get_texts()[0].get_text() if legend.get_texts() else "?"
                found.append((first[:30], ax.get_title() or f"axes {index}", int(inside.sum())))
    return found


def layout_problems(fig):
    renderer = laid_out(fig)
    return ([f"text outside the figure: {text!r} by {over} px" for text, over in texts_outside(fig, renderer)] +
            [f"legend ({first!r}...) over the data of {where}: {n} points" for first, where, n in legends_over_data(fig, renderer)])
