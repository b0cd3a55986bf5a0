"""MkDocs hook: typeset every formula with KaTeX while the site is built.

Pages then carry finished HTML (and MathML for screen readers) and need only KaTeX's
stylesheet and fonts: no math runtime is downloaded, nothing shifts while a page
renders, and a formula KaTeX cannot parse stops the build instead of showing red text.
KaTeX runs in V8 through mini-racer; its script is vendored next to this hook.
"""
import html
import re
from functools import cache
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

KATEX = Path(__file__).with_name("katex.min.js")

# pymdownx.arithmatex (generic mode) wraps inline math as \( \) and display math as \[ \].
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
# Notebook pages: nbconvert leaves $...$ and $$...$$ in the Markdown cells as written.
NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL)
CODE = re.compile(r"(<(pre|code)[ >].*?</\2>)", re.DOTALL)
DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.DOTALL)


@cache
def _katex():
    from py_mini_racer import MiniRacer

    context = MiniRacer()
    context.eval(KATEX.read_text(encoding="utf-8"))
    return context


def typeset(tex, display, where):
    """KaTeX's HTML for one formula; a formula it cannot parse stops the build."""
    try:
        return _katex().call("katex.renderToString", tex, {"displayMode": display, "throwOnError": True})
    except Exception as error:  # mini-racer reports KaTeX's ParseError as a JS exception
        message = str(error).splitlines()[0]
        raise PluginError(f"{where}: cannot typeset ${tex}$: {message}") from None


def _arithmatex(match, where):
    tag, source = match.groups()
    tex = html.unescape(source).strip()
    display = tex.startswith("\\[")
    return f'<{tag} class="arithmatex">{typeset(tex[2:-2], display, where)}</{tag}>'


def _dollars(text, where):
    """Typeset the $-delimited formulas of notebook Markdown, leaving code alone."""
    def formula(match):
        display, inline = match.groups()
        return typeset(html.unescape(display or inline), display is not None, where)

    parts = CODE.split(text)
    # CODE.split yields [text, code, tag name, text, code, tag name, ...]
    return "".join(DOLLARS.sub(formula, part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


def on_post_page(output, page, config):
    where = page.file.src_uri
    output = ARITHMATEX.sub(lambda m: _arithmatex(m, where), output)
    return NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + _dollars(m[2], where) + m[3], output)


# --- the search index: readable text for formulas, never TeX ---------------------------------
#
# Material's search plugin indexes each page's HTML in on_page_context, before
# on_post_page above typesets the formulas, so without this the index (which every page
# downloads) would hold the TeX source: `\(g = C_\text{in}\)`. Each formula is therefore
# taken out of the index (`data-search-exclude`, which the search plugin removes from the
# page once it has indexed it) and an inline formula that reads as plain text is indexed
# in its place, from a hidden span that on_page_context below removes again.

SEARCH_TEXT = re.compile(r'<span data-sw-search-text hidden>.*?</span>', re.DOTALL)
TEX_WORDS = {
    r"\times": "×", r"\cdot": "·", r"\le": "≤", r"\ge": "≥", r"\leq": "≤", r"\geq": "≥", r"\ne": "≠",
    r"\approx": "≈", r"\sqrt": "√", r"\sum": "Σ", r"\prod": "Π", r"\alpha": "α", r"\sigma": "σ",
    r"\mu": "μ", r"\pi": "π", r"\ldots": "…", r"\dots": "…", r"\infty": "∞", r"\to": "→",
    r"\lfloor": "⌊", r"\rfloor": "⌋", r"\lceil": "⌈", r"\rceil": "⌉", r"\partial": "∂",
    r"\quad": " ", r"\qquad": " ", r"\,": " ", r"\;": " ", r"\!": "", r"\left": "", r"\right": "",
    r"\big": "", r"\Big": "", r"\mid": "|", r"\in": "∈", r"\pm": "±", r"\circ": "∘",
}


def plain_text(tex):
    """A formula as it reads in plain text ('W - K + 2P', 'C_in'), or None when it holds
    TeX that has no plain reading here (a fraction, say): then it is left out."""
    text = re.sub(r"\\(?:text|mathrm|mathbf|operatorname)\{([^{}]*)\}", r"\1", tex)
    text = re.sub(r"\\[A-Za-z]+|\\[,;!]", lambda m: TEX_WORDS.get(m[0], m[0]), text)
    text = re.sub(r"[_^]\{([^{}]*)\}", r"_\1", text).replace("{", "").replace("}", "")
    text = " ".join(text.split())
    return None if "\\" in text else text


def _search_safe(match):
    tag, source = match.groups()
    tex = html.unescape(source).strip()
    out = f'<{tag} class="arithmatex" data-search-exclude="math">{source}</{tag}>'
    readable = plain_text(tex[2:-2]) if tag == "span" else None
    return out + (f"<span data-sw-search-text hidden>{html.escape(readable)}</span>" if readable else "")


def _search_safe_dollars(text):
    def wrap(match):
        return f'<span data-search-exclude="math">{match[0]}</span>'

    parts = CODE.split(text)
    return "".join(DOLLARS.sub(wrap, part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


def on_page_content(html_text, page, config, files):
    html_text = ARITHMATEX.sub(_search_safe, html_text)
    return NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + _search_safe_dollars(m[2]) + m[3], html_text)


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context, page, config, nav):
    page.content = SEARCH_TEXT.sub("", page.content)
    return context
