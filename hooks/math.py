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
