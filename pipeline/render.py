"""Values, tables and figures as Markdown that carries its provenance.

A page writes `{{ intro_alexnet.params_shared }}`; the template engine looks up the
snippet namespace, then the value, and prints a link whose text is the formatted
number, whose `data-value` names the value and whose target is the snippet's source
page. Nothing here knows about MkDocs: one `Pages` per build (the plugin's) knows the
page being rendered (`set_page(src_path)`) and records what each page uses; links are
relative Markdown links to `.md` files, which the site generator resolves and validates.
"""
import posixpath
import re
from functools import cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from pipeline.records import is_table
from snippets.lib import fmt
from snippets.lib.measurement import is_measurement

SOURCES = "sources"  # generated page per snippet: sources/<snippet>.md
FIGURES = "figures"  # generated figure files: figures/<snippet>/<id>.<theme>.svg


class UnknownName(LookupError):
    """A page names a value, snippet or figure that does not exist."""


class Pages:
    """Which page is being rendered, and which values and figures each page used: one
    per build."""

    def __init__(self):
        self.current = None
        self.used = {}  # 'snippet.value' or 'snippet.figure' -> set of page paths

    def set_page(self, src_path):
        self.current = src_path

    def record(self, name):
        self.used.setdefault(name, set()).add(self.current)

    def link(self, target):
        """Relative Markdown link target from the current page to a docs path."""
        start = posixpath.dirname(self.current or "")
        return posixpath.relpath(target, start or ".")

    def fail(self, message):
        raise UnknownName(f"{self.current}: {message}")



def source_page(snippet):
    return f"{SOURCES}/{snippet}.md"


def figure_file(snippet, fid, theme):
    return f"{FIGURES}/{snippet}/{fid}.{theme}.svg"


class Value:
    """One named value; prints as a provenance link, `.fmt(...)` changes the format."""

    def __init__(self, pages, snippet, key, raw, path, title="", **style):
        self.pages, self.snippet, self.key, self.raw, self.path, self.style = pages, snippet, key, raw, path, style
        self.title = title

    @property
    def name(self):
        return f"{self.snippet}.{self.key}"

    def fmt(self, digits=None, unit=None, pct=False, signed=False, count=True):
        """`count=False`: a measurement without its "(10 seeds)", where the section
        says its seed count once."""
        return Value(self.pages, self.snippet, self.key, self.raw, self.path, self.title,
                     digits=digits, unit=unit, pct=pct, signed=signed, count=count)

    def pct(self, digits=None, count=True):
        return self.fmt(digits=digits, pct=True, count=count)

    def text(self):
        return fmt.text(self.raw, **self.style)

    def __getattr__(self, part):
        """A part of a measurement, formatted like a number: `.mean`, `.n`, `.low`,
        `.high`, `.min`, `.max`, `.sem` (`{{ x.accuracy.min.pct() }}`)."""
        raw = self.__dict__.get("raw")
        if isinstance(raw, dict) and part in raw and not part.startswith("_"):
            return Value(self.pages, self.snippet, self.key, raw[part], self.path, **self.__dict__["style"])
        raise AttributeError(part)

    def __str__(self):
        self.pages.record(self.name)
        if is_table(self.raw):
            return table_markdown(self)
        href = self.pages.link(source_page(self.snippet)) + f"#{self.key}"
        # inside attr_list's double quotes: no double quotes or braces
        tip = tooltip(self.key, self.title, self.path).replace('"', "'").translate({ord("{"): "(", ord("}"): ")"})
        return f'[{self.text()}]({href}){{ .sw-value data-value="{self.name}" title="{tip}" }}'


# Abbreviations in value keys, spelled out for a reader's tooltip.
WORDS = {
    "params": "parameters", "param": "parameter", "macs": "multiply-adds", "mac": "multiply-add",
    "conv": "convolution", "convs": "convolutions", "rf": "receptive field", "max2": "2×2 max",
    "max3": "3×3 max", "pct": "percentage", "std": "standard deviation", "mb": "MB",
    "fc6": "fc6", "avg": "average", "num": "number of", "gap": "gap", "lc": "locally connected",
    "alexnet": "AlexNet", "vgg16": "VGG-16", "resnet50": "ResNet-50", "resnet18": "ResNet-18",
    "lenet5": "LeNet-5", "mobilenet": "MobileNet", "v1": "V1", "v2": "V2", "fc": "dense",
    "fft": "FFT", "tf": "TensorFlow", "relu": "ReLU", "keras": "Keras", "caffe": "Caffe",
    "flops": "FLOPs", "endpoints": "end-points", "slim": "TF-slim", "coordconv": "CoordConv",
    "stride1": "stride 1", "stride2": "stride 2", "stride3": "stride 3", "vgg": "VGG",
}


def describe(key):
    """A value key in words: 'params_shared' -> 'parameters shared'."""
    words = [WORDS.get(w.lower(), w) for w in re.split(r"_+", key) if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]  # 'AlexNet', 'ReLU' keep their own capitals


def tooltip(key, title, path):
    """What a number is and which script computed it, in words, for its title attribute:
    'Parameters shared: AlexNet's first layer with and without weight sharing (computed by
    snippets/intro/alexnet.py)'."""
    about = title.rstrip(".")
    return f"{describe(key)}: {about} (computed by {path})" if about else f"{describe(key)} (computed by {path})"


class Snippet:
    """The values of one snippet, as attributes: `intro_alexnet.params_shared`."""

    def __init__(self, result, pages):
        self._result, self._pages = result, pages

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        values = self._result.values
        if key not in values:
            self._pages.fail(
                f"unknown value {key!r} of snippet {self._result.name!r} "
                f"({self._result.path}); it has: {', '.join(values)}"
            )
        return Value(self._pages, self._result.name, key, values[key], self._result.path, self._result.title)


def table_markdown(value):
    """A table value as a Markdown table inside a block that names its source."""
    rows = value.raw
    columns = list(rows[0])
    # Measurements over the same number of seeds say so once, under the table, not in every cell.
    counts = {(v["n"], v["over"]) for row in rows for v in row.values() if is_measurement(v)}
    once = len(counts) == 1
    cell = lambda v: "" if v is None else fmt.text(v, **({"count": False} if once else {})).replace("|", "\\|")
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(_align(rows, c) for c in columns) + "|"]
    lines += ["| " + " | ".join(cell(row.get(c)) for c in columns) + " |" for row in rows]
    href = value.pages.link(source_page(value.snippet)) + f"#{value.key}"
    return (
        # out of the search index, which every page downloads: tables are numbers, not words
        f'<div class="sw-table" data-value="{value.name}" data-search-exclude markdown>\n\n'
        + "\n".join(lines)
        + f"\n\n<small>{spread_note(counts) if once else ''}Table `{value.key}` computed by [{value.path}]({href}).</small>\n\n</div>"
    )


def spread_note(counts):
    """What every ± of a table means, said once: 'Mean ± 95% interval over 10 seeds. '"""
    (n, over), = counts
    return f"Mean ± 95% interval over {n} {over}. "


def _align(rows, column):
    numeric = all(isinstance(r.get(column), (int, float)) and not isinstance(r.get(column), bool) for r in rows if r.get(column) is not None)
    return " ---: " if numeric else " --- "


def figure_markdown(results, pages, ref, caption=""):
    """Both theme variants of a figure, its alt text and a caption naming its script."""
    snippet, _, fid = ref.partition(".")
    if snippet not in results or fid not in results[snippet].figures:
        known = [f"{s}.{f}" for s, r in results.items() for f in r.figures]
        pages.fail(f"unknown figure {ref!r}; figures are: {', '.join(known) or 'none'}")
    pages.record(ref)
    result, figure = results[snippet], results[snippet].figures[fid]
    alt = figure.alt.replace("[", "(").replace("]", ")")
    images = "\n".join(
        f"![{alt}]({pages.link(figure_file(snippet, fid, theme))}#only-{theme}){{ loading=lazy }}"
        for theme in figure.svg
    )
    source = pages.link(source_page(snippet)) + f"#figure-{fid}"
    by = f"Figure drawn by [`{result.path}`]({source}) (`figure_{fid}`)."
    return f'<figure class="sw-figure" markdown>\n{images}\n<figcaption markdown>{caption} {by}</figcaption>\n</figure>'


@cache
def python_listing(source):
    """Python source as highlighted HTML, in the markup pymdownx.highlight gives a fenced
    block. Remembered per source: re-highlighting every snippet's listing was most of what
    `mkdocs serve` spent on a rebuild after a prose edit."""
    return highlight(source, PythonLexer(), HtmlFormatter(cssclass="language-python highlight", wrapcode=True))
