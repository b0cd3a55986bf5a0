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
