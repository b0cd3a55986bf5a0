"""Notebook pages made to fit this site, by one `NotebookPages` per build (the plugin's,
pipeline/plugin.py), after mkdocs-jupyter has converted them.

- mkdocs-jupyter caches a converted notebook by the notebook's own bytes; a notebook
  that imports `snippets` must rerun when those modules change: the plugin sets
  mkdocs-jupyter's `cache_dir` option to a folder named by the content key of what the
  notebooks import, of this file and of the nbconvert config.
- nbconvert adds a MathJax 2 block (and a Mermaid loader from a CDN) to every page;
  math here is typeset at build time by the vendored KaTeX (pipeline/typeset.py), so both go.
- nbconvert inlines about 570 KB of JupyterLab stylesheets into every notebook page;
  they move into one shared, content-named file, trimmed to the rules that match the
  classes the notebook pages use and the custom properties those rules read.
- each notebook page offers its notebook as an `.ipynb` download.
- the code of a notebook stays out of the search index, its Markdown and outputs stay in:
  the markup is made well-formed (nbconvert's is not) and every code text is put under
  an element marked `data-search-exclude`, see exclude_code_from_search.

Consecutive stream outputs of one name (stdout, stdout) are merged after execution by
nbconvert's own CoalesceStreamsPreprocessor, which pipeline/jupyter/jupyter_nbconvert_config.json
enables and moves after ExecutePreprocessor (the plugin puts that folder on
JUPYTER_CONFIG_PATH): the kernel sends printed text in as many messages as its buffer was
flushed, so the same cell could render as one `<pre>` in one build and two in the next.
"""
import hashlib
import posixpath
import re
from pathlib import Path

import jupytext
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
import tinycss2

from pipeline.paths import ROOT

NOT_FOR_THIS_SITE = re.compile(
    r'<script src="">\s*</script>'  # MathJax 2, with custom_mathjax_url left empty
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{\s*'
    r'const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>'
    r"|<!-- (Load mathjax|MathJax configuration|End of mathjax configuration|End of mermaid configuration) -->",
    re.DOTALL,
)
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
CELL_ID = re.compile(r'id="cell-id=[0-9a-f-]+"')  # random per conversion: numbered instead
# (not "cell-N": mkdocs-jupyter's copy buttons find their code by the ids cell-1, cell-2, ...)
CLASS_ATTR = re.compile(r'class="([^"]*)"')
CLASS_SELECTOR = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
BELOW_ANOTHER = re.compile(r"\S\s*[\s>+~]\s*(:root|html|body)\b")  # nbconvert nests these in .jupyter-wrapper
STYLESHEET = "assets/notebook.css"
CSS_CACHE = ROOT / ".cache" / "notebook-css"


def is_notebook(page):
    return page.file.src_uri.endswith(".py")


class NotebookPages:
    """One build's notebook pages: nbconvert's stylesheet as each page carried it, and
    every class that appears in them (what the shared stylesheet is trimmed to)."""

    def __init__(self):
        self.css = {}  # src_uri -> nbconvert's CSS (the same for every notebook)
        self.classes = set()

    def content(self, html, page):
        """A notebook page's HTML (on_page_content) as this site shows it; others unchanged."""
        if not is_notebook(page):
            return html
        html = NOT_FOR_THIS_SITE.sub("", html)
        numbers = iter(range(1, 1_000_000))
        html = CELL_ID.sub(lambda _: f'id="notebook-cell-{next(numbers)}"', html)
        self.css[page.file.src_uri] = "\n".join(STYLE.findall(html))
        html = STYLE.sub("", html)
        html = exclude_code_from_search(html, page.file.src_uri)
        self.classes.update(c for attr in CLASS_ATTR.findall(html) for c in attr.split())
        stylesheet = posixpath.relpath(STYLESHEET, posixpath.dirname(page.file.dest_uri) or ".")
        notebook = Path(page.file.src_uri).with_suffix(".ipynb").name
        download = (
            f'<p class="sw-download"><a href="{notebook}" download>Download this notebook (.ipynb)</a>'
            f" and run it next to a checkout of the project.</p>"
        )
        title_end = html.find("</h1>")  # the offer goes right under the notebook's title
        if title_end >= 0:
            html = html[:title_end + 5] + download + html[title_end + 5:]
        else:
            html = download + html
        return f'<link rel="stylesheet" href="{stylesheet}">\n' + html

    def write_download(self, page):
        """Next to a notebook page (on_post_page, before the page is written): its .ipynb."""
        if not is_notebook(page):
            return
        target = Path(page.file.abs_dest_path).parent / Path(page.file.src_uri).with_suffix(".ipynb").name
        target.parent.mkdir(parents=True, exist_ok=True)
        notebook = jupytext.read(page.file.abs_src_path)
        for number, cell in enumerate(notebook.cells, start=1):
            cell["id"] = f"cell-{number}"  # nbformat draws random ids; the site's bytes must not change
        target.write_text(jupytext.writes(notebook, fmt="ipynb"), encoding="utf-8")

    def write_stylesheet(self, site_dir):
        """The one stylesheet of every notebook page (on_post_build), if there were any."""
        if not self.css:
            return
        sheets = set(self.css.values())
        if len(sheets) > 1:  # one shared file is only right while nbconvert's CSS is the same
            raise PluginError(f"notebooks carry different stylesheets: {sorted(self.css)}")
        path = Path(site_dir) / STYLESHEET
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_remembered_trim(sheets.pop(), self.classes), encoding="utf-8")


# What of a notebook page is not prose: the input side of code cells (prompt, code, copy
# button and the copy button's hidden text) and the prompts of outputs.
NOT_PROSE = ".jp-CodeCell .jp-Cell-inputWrapper, .jp-OutputPrompt"


def exclude_code_from_search(html, where="notebook"):
    """The page's HTML, well-formed, with every text of NOT_PROSE inside an element that
    carries data-search-exclude.

    Material's search parser (material/plugins/search/plugin.py) compares the elements
    it skips by tag name only: an excluded <div> with a <div> inside stops being skipped
    when the inner one closes, and nbconvert's markup closes more divs than it opens. So
    the markup is parsed and written out again by BeautifulSoup (every tag balanced), and
    each text is excluded through its highest ancestor, within the area, that holds no
    element of its own tag. A text that has none stops the build."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(lambda tag: any(not re.match(r"[A-Za-z_:]", name) for name in tag.attrs)):
        element.attrs = {k: v for k, v in element.attrs.items() if re.match(r"[A-Za-z_:]", k)}  # <clipboard-copy ,="">
    for area in soup.select(NOT_PROSE):
        for text in area.find_all(string=True):
            if not text.strip() or any(p.has_attr("data-search-exclude") for p in text.parents):
                continue
            root = None
            for element in text.parents:
                if element.find(element.name) is not None:
                    break
                root = element
                if element is area:
                    break
            if root is None:
                raise PluginError(f"{where}: cannot keep {text.strip()[:60]!r} out of the search index")
            root["data-search-exclude"] = "code"  # a value: Material strips data-search-*="..." after indexing
    return str(soup)


def _remembered_trim(css, classes):
    """trim_css, kept on disk by its inputs: tinycss2 takes about a second over nbconvert's
    stylesheet, and `mkdocs serve` would pay it again on every rebuild."""
    key = hashlib.sha256(f"{css}\0{sorted(classes)}".encode()).hexdigest()
    remembered = CSS_CACHE / f"{key}.css"
    if not remembered.is_file():
        CSS_CACHE.mkdir(parents=True, exist_ok=True)
        remembered.write_text(trim_css(css, classes), encoding="utf-8")
    return remembered.read_text(encoding="utf-8")


def trim_css(css, classes):
    """The rules of `css` that can match an element whose classes are all in `classes`,
    and of their custom properties only those some kept declaration reads."""
    rules = _rules_for(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), classes)
    text = tinycss2.serialize(rules)
    while True:  # dropping an unread property can leave others unread
        read = set(VAR_USE.findall(text))
        trimmed = re.sub(r"(?<=[{;])\s*(--[\w-]+)\s*:[^;{}]*;?", lambda m: m.group(0) if m.group(1) in read else "", text)
        if trimmed == text:
            return trimmed
        text = trimmed


def _can_match(selector, classes):
    """False when the selector needs a class no page has, or puts the root element
    (:root, html, body) inside another element, which no document can satisfy."""
    return set(CLASS_SELECTOR.findall(selector)) <= classes and not BELOW_ANOTHER.search(selector)


def _rules_for(rules, classes):
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            branches = tinycss2.serialize(rule.prelude).split(",")
            if any(_can_match(branch, classes) for branch in branches):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = _rules_for(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), classes)
            if inner:
                rule.content = inner
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword != "charset":
            kept.append(rule)
    return kept
