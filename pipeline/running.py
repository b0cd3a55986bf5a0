"""Run one snippet: compute its values, draw its figures, fail loudly naming it."""
import importlib
import inspect
import io
import sys
import time
import traceback
from dataclasses import dataclass

import matplotlib
import threadpoolctl

from pipeline.discovery import SnippetError, module_of, snippet_file
from pipeline.keys import content_key
from pipeline.paths import PACKAGE, ROOT
from snippets.lib import measurement

matplotlib.use("Agg")

THEMES = ("light", "dark")
FIGURE_PREFIX = "figure_"


@dataclass
class Figure:
    id: str
    alt: str
    svg: dict  # theme name -> SVG text


@dataclass
class Result:
    name: str
    title: str
    summary: str
    values: dict
    figures: dict
    key: str
    seconds: float  # how long compute and drawing took when the snippet last ran
    path: str  # snippets/<topic>/<stem>.py
    cached: bool = False

    def as_dict(self):
        """Plain JSON-able data (the build's cache and the tests' shared runs store it)."""
        return dict(vars(self), figures={fid: vars(fig) for fid, fig in self.figures.items()})

    @classmethod
    def from_dict(cls, data):
        return cls(**dict(data, figures={fid: Figure(**fig) for fid, fig in data["figures"].items()}))


def run(name, check_figure=None):
    """Run a snippet afresh: compute its values and draw its figures.

    BLAS runs on one thread, so the values never depend on how many cores computed them
    (a multi-threaded matrix product may sum in another order). `check_figure`, if given,
    is called as check_figure(figure id, theme, matplotlib Figure) once each figure's SVG
    is written (the tests check the layout of the figures the build draws)."""
    with threadpoolctl.threadpool_limits(limits=1):
        return _run(name, check_figure)


def _run(name, check_figure=None):
    path = snippet_file(name)
    where = path.relative_to(ROOT).as_posix()
    key = content_key(path)
    start = time.perf_counter()
    module = fresh_import(name)
    title, summary = header(module, where)
    raw = _call(where, "compute()", module.compute)
    if not isinstance(raw, dict):
        raise SnippetError(f"{where}: compute() must return a dict, got {type(raw).__name__}")
    values = {k: plain(where, k, v) for k, v in raw.items() if not k.startswith("_")}
    figures = {fid: _draw(name, where, fid, fn, raw, check_figure) for fid, fn in _figure_functions(module)}
    seconds = time.perf_counter() - start
    return Result(name, title, summary, values, figures, key, seconds, where)


def fresh_import(name):
    """Import the snippet with fresh copies of our modules, so edits are seen."""
    for module in [m for m in sys.modules if m.startswith(f"{PACKAGE}.")]:
        del sys.modules[module]  # topics and lib; the pipeline's own modules stay
    try:
        return importlib.import_module(module_of(name))
    except SnippetError:
        raise
    except Exception:
        raise SnippetError(f"{snippet_file(name).relative_to(ROOT).as_posix()} failed to import:\n"
                           f"{traceback.format_exc()}") from None


def header(module, where):
    """(title, summary) from the snippet's docstring."""
    doc = inspect.getdoc(module)
    if not doc or not hasattr(module, "compute"):
        raise SnippetError(f"{where}: a snippet needs a docstring (title, then one sentence) and compute()")
    title, _, rest = doc.partition("\n")
    return title.strip(), " ".join(rest.split())


def _call(where, what, fn, *args):
    try:
        return fn(*args)
    except Exception:
        raise SnippetError(f"{where}: {what} raised:\n{traceback.format_exc()}") from None


def plain(where, key, value):
    """A value as plain JSON-able Python; anything else is an error naming it."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # numpy scalar
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise SnippetError(f"{where}: value {key!r} is not finite ({value})")
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, dict) for v in value) and value:
        return [{str(c): plain(where, f"{key}[{i}].{c}", v) for c, v in row.items()} for i, row in enumerate(value)]
    if isinstance(value, (tuple, list)):
        return [plain(where, f"{key}[{i}]", v) for i, v in enumerate(value)]
    if value is None:
        return None
    if measurement.is_measurement(value):  # a quantity over seeds: mean, n, interval, min, max
        return {str(k): plain(where, f"{key}.{k}", v) for k, v in value.items()}
    raise SnippetError(
        f"{where}: value {key!r} has type {type(value).__name__}; "
        "values are numbers, strings, shapes, measurements (snippets.lib.measurement) or tables "
        "(prefix private data with '_')"
    )


def _figure_functions(module):
    for attr, fn in sorted(vars(module).items()):
        if attr.startswith(FIGURE_PREFIX) and callable(fn) and fn.__module__ == module.__name__:
            yield attr.removeprefix(FIGURE_PREFIX), fn


def _draw(name, where, fid, fn, values, check_figure=None):
    alt = inspect.getdoc(fn)
    if not alt:
        raise SnippetError(f"{where}: {fn.__name__} needs a docstring; it is the figure's alt text")
    style = importlib.import_module(f"{PACKAGE}.lib.style")
    svg = {}
    for theme in THEMES:
        with style.use(theme):
            fig = _call(where, f"{fn.__name__}() in the {theme} style", fn, values)
            svg[theme] = _svg(fig, salt=f"{name}.{fid}")
            if check_figure is not None:
                check_figure(fid, theme, fig)
    return Figure(fid, " ".join(alt.split()), svg)


def _svg(fig, salt):
    """Deterministic SVG text: fixed id salt, no date."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
