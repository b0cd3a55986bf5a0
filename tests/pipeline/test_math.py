"""Build-time math (pipeline/typeset.py): formulas leave the build typeset, code is left
alone, a formula KaTeX cannot parse stops the build naming the page, and V8 never
outlives a build (left to the garbage collector, its teardown could hang the process:
issue 11); the plugin closes it at every way a build ends."""
import json
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from conftest import build_project, make_project
from pipeline import typeset
from pipeline.plugin import SharedWeights
from pipeline.typeset import Typesetter, mark_for_search, plain_text, without_search_text


@pytest.fixture
def typesetter(tmp_path):
    """A typesetter with no formula known (KaTeX really runs) and its own cache folder,
    whose V8 context (if it started one) is closed before the next test."""
    made = Typesetter(cache_dir=tmp_path / "katex")
    yield made
    made.close()


@pytest.fixture
def plugin(typesetter):
    """The build's plugin, holding that typesetter, as MkDocs would have it mid-build."""
    owner = SharedWeights()
    owner.typesetter = typesetter
    return owner


def post_page(typesetter, html):
    return typesetter.typeset_page(html, "notes.md")


def test_arithmatex_spans_and_blocks_are_typeset(typesetter):
    out = post_page(typesetter, '<p><span class="arithmatex">\\(a &lt; b\\)</span></p><div class="arithmatex">\\[x^2\\]</div>')
    assert out.count('class="katex"') == 2 and out.count('class="katex-display"') == 1
    assert "\\(" not in out and "<annotation" in out  # MathML for screen readers comes along
    assert "a &lt; b" not in out.split("<annotation")[0]  # unescaped before KaTeX saw it


def test_notebook_markdown_dollars_are_typeset_but_code_is_not(typesetter):
    cell = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            "<p>Side $\\lfloor W/S \\rfloor$ and $$k^2$$, costs \\$5; <code>echo $HOME $PATH</code></p></div>")
    out = post_page(typesetter, cell + "<pre>$not math$</pre>")
    assert out.count('class="katex"') == 2 and out.count('class="katex-display"') == 1
    assert "<code>echo $HOME $PATH</code>" in out and "<pre>$not math$</pre>" in out and "\\$5" in out


def test_a_formula_katex_cannot_parse_names_the_page(typesetter):
    with pytest.raises(PluginError, match=r"notes.md: cannot typeset \$\\frac\{\$"):
        post_page(typesetter, '<span class="arithmatex">\\(\\frac{\\)</span>')


@pytest.mark.slow
def test_a_broken_formula_stops_the_build(tmp_path):
    result = build_project(make_project(tmp_path, {"index.md": "# Page\n\nBroken: $\\frac{1}{$.\n"}))
    assert result.returncode != 0
    assert "index.md: cannot typeset" in result.stderr


def test_v8_is_closed_when_the_build_ends_and_unchanged_formulas_need_none(plugin, typesetter, tmp_path, monkeypatch):
    formula = '<span class="arithmatex">\\(x_1 + y\\)</span>'
    first = post_page(typesetter, formula)
    assert typesetter.context is not None
    plugin.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    assert typesetter.context is None and typesetter.cache_file.is_file()

    # the next build (a new typesetter) typesets from the cache, without V8
    again = Typesetter(cache_dir=typesetter.cache_dir)
    monkeypatch.setattr(again, "_katex", lambda: pytest.fail("V8 started for a cached formula"))
    assert post_page(again, formula) == first


def test_v8_is_closed_when_the_build_fails_and_on_shutdown(plugin, typesetter):
    with pytest.raises(PluginError):
        post_page(typesetter, '<span class="arithmatex">\\(\\frac{\\)</span>')
    assert typesetter.context is not None
    plugin.on_build_error(error=PluginError("x"))
    assert typesetter.context is None
    post_page(typesetter, '<span class="arithmatex">\\(z\\)</span>')
    assert typesetter.context is not None
    plugin.on_shutdown()
    assert typesetter.context is None
    plugin.on_shutdown()  # closing twice is harmless


def test_v8_is_closed_at_exit_if_nothing_else_closed_it(typesetter, monkeypatch):
    """The last resort (an interrupted build): a started context is registered with atexit,
    and a context closed otherwise is no longer (under serve, builds do not pile up there)."""
    registered = []
    monkeypatch.setattr(typeset, "atexit", SimpleNamespace(register=registered.append, unregister=registered.remove))
    post_page(typesetter, '<span class="arithmatex">\\(w\\)</span>')
    assert registered == [typesetter.close]
    typesetter.close()
    assert registered == []


def test_the_cache_keeps_only_the_formulas_of_the_last_build(typesetter):
    post_page(typesetter, '<span class="arithmatex">\\(a\\)</span><div class="arithmatex">\\[b\\]</div>')
    typesetter.finish()
    again = Typesetter(cache_dir=typesetter.cache_dir)
    post_page(again, '<span class="arithmatex">\\(a\\)</span>')
    again.finish()
    assert list(json.loads(again.cache_file.read_text(encoding="utf-8"))) == ["Ia"]


def test_formulas_reach_the_search_index_as_plain_text_or_not_at_all(typesetter):
    """Before the search plugin indexes a page, a formula is excluded from the index; an
    inline one that reads as plain text comes with that text, which leaves the page again
    with its typeset output."""
    html = ('<p>With <span class="arithmatex">\\(g = C_\\text{in}\\)</span> and '
            '<span class="arithmatex">\\(\\frac{a}{b}\\)</span>.</p><div class="arithmatex">\\[x^2\\]</div>')
    marked = mark_for_search(html)
    assert marked.count('data-search-exclude="math"') == 3
    assert "<span data-sw-search-text hidden>g = C_in</span>" in marked
    assert marked.count("data-sw-search-text") == 1  # the fraction and the display formula: left out
    assert without_search_text(marked) == marked.replace("<span data-sw-search-text hidden>g = C_in</span>", "")
    # Material strips the data-search-exclude marks once it has indexed the page
    indexed = marked.replace(' data-search-exclude="math"', "")
    out = post_page(typesetter, indexed)
    assert "data-sw-search-text" not in out and out.count('class="katex"') == 3  # the display one too


def test_plain_text_of_formulas():
    assert plain_text("K \\times K") == "K × K"
    assert plain_text("\\lfloor (W - K + 2P)/S \\rfloor + 1") == "⌊ (W - K + 2P)/S ⌋ + 1"
    assert plain_text("\\frac{W - K}{S}") is None
