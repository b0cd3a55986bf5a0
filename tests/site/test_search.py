"""The search index holds readable text: no TeX, no notebook code, and the words a
learner types find the sections that answer them."""
import html
import json
import re
import time

import jupytext
import markdown
import pytest
from bs4 import BeautifulSoup
from material.plugins.search.plugin import Parser

from pipeline.notebook_pages import exclude_code_from_search
from pipeline.paths import ROOT
from layout import DESKTOP

pytestmark = pytest.mark.site

TEX = re.compile(r"\\[()\[\]]|\\(?:text|frac|mathrm|sqrt|times|cdot|sum|lfloor|left|right)\b|\$[^$\s][^$]*\$")


@pytest.fixture(scope="module")
def index(site):
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_no_entry_holds_tex(index):
    offenders = [(d["location"], m[0]) for d in index for m in [TEX.search(d["title"] + " " + d["text"])] if m]
    assert not offenders, f"TeX in the search index: {offenders[:10]}"


def test_formulas_are_indexed_as_text(index):
    """An inline formula that reads as plain text is indexed as that text."""
    text = " ".join(d["text"] for d in index if d["location"].startswith("basics/"))
    assert "K × K" in text


@pytest.mark.parametrize("words, where", [
    ("computational cost", "weight-sharing/#does-sharing-save-compute"),
    ("computational cost", "basics/#multiply-adds"),
    ("computational cost", "parameter-arithmetic/#sharing-cuts-parameters-not-multiply-adds"),
    ("depth slice", "basics/#depth-slice"),
    ("padding", "basics/#padding"),
    ("stride", "basics/#stride"),
    ("max pooling", "basics/#pooling"),
    ("global average pooling", "basics/#global-average-pooling"),
    ("feature map", "basics/#feature-map"),
])
def test_a_learners_words_find_the_section_that_answers_them(index, words, where):
    """The section's title or text holds the words (Material's search matches them there)."""
    entry = next((d for d in index if d["location"] == where), None)
    assert entry is not None, f"no section {where} in the index"
    assert words.lower() in (entry["title"] + " " + entry["text"]).lower()


# The abbreviations people type (issue 19), and the page that says what each stands for.
ABBREVIATIONS = [("MACs", "glossary/"), ("FLOPs", "glossary/"), ("1x1", "glossary/"), ("ERF", "glossary/"),
                 ("GAP", "glossary/"), ("RF", "glossary/")]


@pytest.mark.parametrize("word, page", ABBREVIATIONS)
def test_the_index_holds_the_abbreviations_people_type(index, word, page):
    """Material's search matches whole words: the abbreviation must be in the index as it
    is typed, on the page that explains it (a page writing 1×1 is not found by 1x1)."""
    pattern = re.compile(rf"(?<![\w×-]){re.escape(word)}(?![\w×-])", re.IGNORECASE)
    holders = [d["location"] for d in index if pattern.search(plain(d["title"] + " " + d["text"]))]
    assert any(location.startswith(page) for location in holders), (
        f"{word!r} is not in the search index on {page} (found on {holders[:5]})")


RESULTS = "links => links.map(a => a.href)"
SETTLED_MS = 400  # results unchanged this long after the last key: the search of the whole words


def search_box_results(server, browser, words):
    """The result links Material's search box lists for `words`, typed key by key. It searches
    after each key, so the first results to appear may be those of a prefix ("MAC" for
    "MACs"): wait until the list stops changing."""
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    try:
        tab.goto(server, wait_until="networkidle")
        tab.click(".md-search__input")
        tab.keyboard.type(words)
        tab.wait_for_selector(".md-search-result__item")
        hrefs, deadline = None, time.monotonic() + 10
        while time.monotonic() < deadline:
            tab.wait_for_timeout(SETTLED_MS)
            now = tab.eval_on_selector_all(".md-search-result__item > a", RESULTS)
            if now == hrefs:
                return hrefs
            hrefs = now
        pytest.fail(f"the results for {words!r} were still changing after 10 s")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("word, page", ABBREVIATIONS)
def test_the_search_box_finds_the_abbreviations(server, browser, word, page):
    hrefs = search_box_results(server, browser, word)
    assert any(f"/{page}" in href for href in hrefs[:5]), f"{word!r}: first results {hrefs[:5]}"


@pytest.mark.browser
@pytest.mark.parametrize("words, page", [
    ("depth slice", "basics/"),
    ("padding", "basics/"),
    ("computational cost", "weight-sharing/"),
])
def test_the_search_box_finds_them(server, browser, words, page):
    """Typed into the search box, a learner's words bring the page that answers them among
    the first results."""
    hrefs = search_box_results(server, browser, words)
    assert any(f"/{page}" in href for href in hrefs[:3]), f"{words!r}: first results {hrefs[:3]}"


# --- notebooks: their prose and outputs are indexed, their code is not ----------------------

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))


def page_text(index, url):
    """Every title and text the index holds for the page at `url`, as plain text."""
    parts = [d["title"] + " " + d["text"] for d in index if d["location"].split("#")[0] == url]
    assert parts, f"no entry for {url} in the search index"
    return plain(" ".join(parts))


def plain(text):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def code_lines(notebook):
    """The lines of the notebook's code cells, as written in its source (the oracle)."""
    cells = jupytext.read(notebook).cells
    lines = {" ".join(line.split()) for cell in cells if cell.cell_type == "code" for line in cell.source.splitlines()}
    return sorted(line for line in lines if len(line.replace(" ", "")) >= 8)


def prose_runs(notebook):
    """From each Markdown cell, its longest run of words outside formulas, rendered."""
    runs = []
    for cell in jupytext.read(notebook).cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", "\0", cell.source, flags=re.DOTALL)  # formulas: not text
        blocks = BeautifulSoup(markdown.markdown(text), "html.parser").find_all(recursive=False)
        pieces = [" ".join(piece.split()) for block in blocks for piece in block.get_text().split("\0")]
        runs.append(max(pieces, key=len))
    return [run for run in runs if run]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_of_a_notebook_is_in_the_index(index, notebook):
    text = page_text(index, f"notebooks/{notebook.stem}/")
    indexed = [line for line in code_lines(notebook) if line in text]
    assert not indexed, f"notebooks/{notebook.stem}: code in the search index: {indexed[:5]}"
    assert "In [" not in text and "Copied!" not in text, f"notebooks/{notebook.stem}: prompts in the index"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebooks_prose_and_outputs_are_in_the_index(index, site, notebook):
    text = page_text(index, f"notebooks/{notebook.stem}/")
    missing = [run for run in prose_runs(notebook) if run not in text]
    assert not missing, f"notebooks/{notebook.stem}: Markdown not in the search index: {missing[:3]}"
    page = BeautifulSoup((site / "notebooks" / notebook.stem / "index.html").read_text(encoding="utf-8"), "html.parser")
    outputs = [" ".join(pre.get_text().split()) for pre in page.select(".jp-OutputArea-output pre")]
    assert outputs, f"notebooks/{notebook.stem}: no printed output to look for"
    missing = [out for out in outputs if out not in text]
    assert not missing, f"notebooks/{notebook.stem}: printed output not in the search index: {missing[:3]}"


# nbconvert's markup for one code cell, as mkdocs-jupyter writes it: an extra opening
# wrapper, a <clipboard-copy ,="">, the code twice (highlighted, and as the copy button's text)
NBCONVERT_CELL = """<div class="jupyter-wrapper"><div class="jp-Notebook">
<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown"><h1 id="t">Title</h1><p>Prose before.</p></div></div>
<div class="jp-Cell jp-CodeCell jp-Notebook-cell">
<div class="jp-Cell jp-CodeCell jp-Notebook-cell" id="cell-2"><div class="jp-Cell-inputWrapper" tabindex="0">
<div class="jp-InputArea jp-Cell-inputArea"><div class="jp-InputPrompt">In [1]:</div>
<div class="jp-CodeMirrorEditor jp-InputArea-editor"><div class="CodeMirror">
<div class="zeroclipboard-container"><clipboard-copy ,="" for="cell-1"><div><span class="notice" hidden="">Copied!</span></div></clipboard-copy></div>
<div class="highlight-ipynb"><pre><span class="n">secret_code</span> <span class="o">=</span> <span class="mi">1</span>
</pre></div>
<div class="clipboard-copy-txt" id="cell-1">secret_code = 1</div>
</div></div></div></div>
<div class="jp-Cell-outputWrapper"><div class="jp-OutputArea"><div class="jp-OutputArea-child">
<div class="jp-OutputPrompt">Out[1]:</div><div class="jp-RenderedText jp-OutputArea-output"><pre>printed output</pre></div>
</div></div></div></div></div>
<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown"><p>Prose after.</p></div></div>
</div></div>"""


def indexed_text(page_html):
    """What Material's own search parser takes from a page's HTML."""
    parser = Parser()
    parser.feed(page_html)
    parser.close()
    return plain(" ".join("".join(s.title) + " " + "".join(s.text) for s in parser.data))


def test_the_notebook_glue_keeps_code_out_of_materials_parser():
    text = indexed_text(exclude_code_from_search(NBCONVERT_CELL))
    assert "secret_code" not in text and "In [1]" not in text and "Out[1]" not in text and "Copied!" not in text
    assert "Prose before." in text and "printed output" in text and "Prose after." in text


def test_marking_the_input_area_alone_does_not_keep_code_out():
    """Why the notebook glue marks small elements: Material's parser skips by tag name, so an
    excluded <div> stops being skipped when the first <div> inside it closes."""
    marked = NBCONVERT_CELL.replace('class="jp-InputArea jp-Cell-inputArea"', 'class="jp-InputArea" data-search-exclude="code"')
    assert "secret_code" in indexed_text(marked)
