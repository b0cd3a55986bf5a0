"""MkDocs hook: typeset every formula with KaTeX while the site is built.

Pages then carry finished HTML (and MathML for screen readers) and need only KaTeX's
stylesheet and fonts: no math runtime is downloaded, nothing shifts while a page
renders, and a formula KaTeX cannot parse stops the build instead of showing red text.
KaTeX runs in V8 through mini-racer; its script is vendored next to this hook.

V8 is started only for a formula that is not typeset yet: results are kept in
.cache/katex/ (keyed by the formula, display or inline, and KaTeX's own bytes), so a
rebuild under `mkdocs serve`, or a clean build with unchanged formulas, runs no V8 at
all. A V8 context that was started is closed explicitly at the end of every build
(after the build, on an error, on shutdown, and at exit as a last resort): left to the
garbage collector or to interpreter exit, mini-racer's teardown can wait forever on a
thread that is already gone, and the build hangs at exit (issue 11).
"""
import atexit
import hashlib
import html
import json
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

KATEX = Path(__file__).with_name("katex.min.js")
CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "katex"
CACHE_FILE = CACHE_DIR / f"{hashlib.sha256(KATEX.read_bytes()).hexdigest()[:16]}.json"

# pymdownx.arithmatex (generic mode) wraps inline math as \( \) and display math as \[ \].
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
# Notebook pages: nbconvert leaves $...$ and $$...$$ in the Markdown cells as written.
NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL)
CODE = re.compile(r"(<(pre|code)[ >].*?</\2>)", re.DOTALL)
DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.DOTALL)

_context = None  # the V8 context with KaTeX loaded, only between a cache miss and the end of the build
_typeset = None  # "D" or "I" + TeX -> KaTeX's HTML, read from CACHE_FILE on first use
_used = set()  # the keys this build asked for: what the cache file keeps


def _katex():
    global _context
    if _context is None:
        from py_mini_racer import MiniRacer

        context = MiniRacer()
        try:
            context.eval(KATEX.read_text(encoding="utf-8"))
        except BaseException:
            context.close()
            raise
        _context = context
    return _context


def close():
    """Free the V8 context now, if one was started (idempotent)."""
    global _context
    context, _context = _context, None
    if context is not None:
        context.close()


atexit.register(close)  # a last resort (an interrupted build): still before the interpreter's teardown


def _known():
    global _typeset
    if _typeset is None:
        try:
            _typeset = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _typeset = {}
    return _typeset


def typeset(tex, display, where):
    """KaTeX's HTML for one formula; a formula it cannot parse stops the build."""
    key = ("D" if display else "I") + tex
    known = _known()
    _used.add(key)
    if key not in known:
        try:
            known[key] = _katex().call("katex.renderToString", tex, {"displayMode": display, "throwOnError": True})
        except Exception as error:  # mini-racer reports KaTeX's ParseError as a JS exception
            message = str(error).splitlines()[0]
            raise PluginError(f"{where}: cannot typeset ${tex}$: {message}") from None
    return known[key]


def _save():
    """Keep the formulas of this build (and only those) for the next one."""
    if _typeset is None:
        return
    kept = {key: _typeset[key] for key in sorted(_used) if key in _typeset}
    try:
        if json.loads(CACHE_FILE.read_text(encoding="utf-8")) == kept:
            return
    except (OSError, ValueError):
        pass
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = CACHE_FILE.with_suffix(f".{os.getpid()}.tmp")  # concurrent builds never share it
    tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    tmp.replace(CACHE_FILE)
    for old in CACHE_DIR.glob("*.json"):  # another KaTeX's results
        if old != CACHE_FILE:
            old.unlink(missing_ok=True)


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


# Every way a build ends closes V8. (MkDocs loads this module afresh for every build
# under `mkdocs serve`, so no context outlives the build that started it.)


def on_post_build(config):
    try:
        _save()
    finally:
        close()


def on_build_error(error):
    close()


def on_shutdown():
    close()


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
