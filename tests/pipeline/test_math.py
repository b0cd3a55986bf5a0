"""Build-time math (hooks/math.py): formulas leave the build typeset, code is left alone,
a formula KaTeX cannot parse stops the build naming the page, and V8 never outlives a
build (left to the garbage collector, its teardown could hang the process: issue 11)."""
import importlib.util
import json
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, build_project, make_project

# loaded from its file, as MkDocs loads hooks: `import math` would be the standard library
_spec = importlib.util.spec_from_file_location("math_hook", ROOT / "hooks" / "math.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)

PAGE = SimpleNamespace(file=SimpleNamespace(src_uri="notes.md"))


@pytest.fixture(autouse=True)
def fresh_hook(tmp_path, monkeypatch):
    """Each test starts with no typeset formula known (KaTeX really runs) and its own
    cache file, and whatever V8 context it started is closed before the next test."""
    monkeypatch.setattr(hook, "CACHE_DIR", tmp_path / "katex")
    monkeypatch.setattr(hook, "CACHE_FILE", tmp_path / "katex" / "formulas.json")
    monkeypatch.setattr(hook, "_typeset", None)
    monkeypatch.setattr(hook, "_used", set())
    yield
    hook.close()


def post_page(html):
    return hook.on_post_page(html, PAGE, {})


def test_arithmatex_spans_and_blocks_are_typeset():
    out = post_page('<p><span class="arithmatex">\\(a &lt; b\\)</span></p><div class="arithmatex">\\[x^2\\]</div>')
    assert out.count('class="katex"') == 2 and out.count('class="katex-display"') == 1
    assert "\\(" not in out and "<annotation" in out  # MathML for screen readers comes along
    assert "a &lt; b" not in out.split("<annotation")[0]  # unescaped before KaTeX saw it


def test_notebook_markdown_dollars_are_typeset_but_code_is_not():
    cell = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput">'
            "<p>Side $\\lfloor W/S \\rfloor$ and $$k^2$$, costs \\$5; <code>echo $HOME $PATH</code></p></div>")
    out = post_page(cell + "<pre>$not math$</pre>")
    assert out.count('class="katex"') == 2 and out.count('class="katex-display"') == 1
    assert "<code>echo $HOME $PATH</code>" in out and "<pre>$not math$</pre>" in out and "\\$5" in out


def test_a_formula_katex_cannot_parse_names_the_page():
    with pytest.raises(PluginError, match=r"notes.md: cannot typeset \$\\frac\{\$"):
        post_page('<span class="arithmatex">\\(\\frac{\\)</span>')


@pytest.mark.slow
def test_a_broken_formula_stops_the_build(tmp_path):
    result = build_project(make_project(tmp_path, {"index.md": "# Page\n\nBroken: $\\frac{1}{$.\n"}))
    assert result.returncode != 0
    assert "index.md: cannot typeset" in result.stderr


def test_v8_is_closed_when_the_build_ends_and_unchanged_formulas_need_none(monkeypatch):
    formula = '<span class="arithmatex">\\(x_1 + y\\)</span>'
    first = post_page(formula)
    assert hook._context is not None
    hook.on_post_build({})
    assert hook._context is None and hook.CACHE_FILE.is_file()

    # the next build (MkDocs loads the hook afresh) typesets from the cache, without V8
    monkeypatch.setattr(hook, "_typeset", None)
    monkeypatch.setattr(hook, "_katex", lambda: pytest.fail("V8 started for a cached formula"))
    assert post_page(formula) == first


def test_v8_is_closed_when_the_build_fails():
    with pytest.raises(PluginError):
        post_page('<span class="arithmatex">\\(\\frac{\\)</span>')
    assert hook._context is not None
    hook.on_build_error(error=PluginError("x"))
    assert hook._context is None
    hook.on_shutdown()  # closing twice is harmless


def test_the_cache_keeps_only_the_formulas_of_the_last_build(monkeypatch):
    post_page('<span class="arithmatex">\\(a\\)</span><div class="arithmatex">\\[b\\]</div>')
    hook.on_post_build({})
    monkeypatch.setattr(hook, "_typeset", None)
    monkeypatch.setattr(hook, "_used", set())
    post_page('<span class="arithmatex">\\(a\\)</span>')
    hook.on_post_build({})
    assert list(json.loads(hook.CACHE_FILE.read_text(encoding="utf-8"))) == ["Ia"]


def test_formulas_reach_the_search_index_as_plain_text_or_not_at_all():
    """Before the search plugin indexes a page, a formula is excluded from the index; an
    inline one that reads as plain text comes with that text, which leaves the page again
    once the page is indexed."""
    html = ('<p>With <span class="arithmatex">\\(g = C_\\text{in}\\)</span> and '
            '<span class="arithmatex">\\(\\frac{a}{b}\\)</span>.</p><div class="arithmatex">\\[x^2\\]</div>')
    marked = hook.on_page_content(html, PAGE, {}, None)
    assert marked.count('data-search-exclude="math"') == 3
    assert "<span data-sw-search-text hidden>g = C_in</span>" in marked
    assert marked.count("data-sw-search-text") == 1  # the fraction and the display formula: left out
    page = SimpleNamespace(content=marked)
    hook.on_page_context({}, page, {}, None)
    assert "data-sw-search-text" not in page.content


def test_plain_text_of_formulas():
    assert hook.plain_text("K \\times K") == "K × K"
    assert hook.plain_text("\\lfloor (W - K + 2P)/S \\rfloor + 1") == "⌊ (W - K + 2P)/S ⌋ + 1"
    assert hook.plain_text("\\frac{W - K}{S}") is None
