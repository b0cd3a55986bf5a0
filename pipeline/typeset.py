"""Every formula typeset with KaTeX while the site is built, by one `Typesetter` per build
(the plugin's, pipeline/plugin.py).

Pages then carry finished HTML (and MathML for screen readers) and need only KaTeX's
stylesheet and fonts: no math runtime is downloaded, nothing shifts while a page
renders, and a formula KaTeX cannot parse stops the build instead of showing red text.
KaTeX runs in V8 through mini-racer; its script is vendored next to this module.

V8 is started only for a formula that is not typeset yet: results are kept in
.cache/katex/ (keyed by the formula, display or inline, and KaTeX's own bytes), so a
rebuild under `mkdocs serve`, or a clean build with unchanged formulas, runs no V8 at
all. A V8 context that was started is closed explicitly at the end of every build (the
plugin closes it after the build, on an error and on shutdown; at exit as a last
resort): left to the garbage collector or to interpreter exit, mini-racer's teardown can
wait forever on a thread that is already gone, and the build hangs at exit (issue 11).

The search index gets readable text for formulas, never TeX. Material's search plugin
indexes each page's HTML (in its on_page_context) before the formulas are typeset (in
on_post_page), so each formula is first taken out of the index (`data-search-exclude`,
which the search plugin removes from the page once it has indexed it) and an inline
formula that reads as plain text is indexed in its place, from a hidden span
(`mark_for_search`, on the page's content) that leaves the page again with its typeset
output (`typeset_page`).
"""
import atexit
import hashlib
import html
import json
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from pipeline.paths import ROOT

KATEX = Path(__file__).with_name("katex.min.js")
KATEX_KEY = hashlib.sha256(KATEX.read_bytes()).hexdigest()[:16]  # the cache file's name: another KaTeX, another file
CACHE_DIR = ROOT / ".cache" / "katex"

# pymdownx.arithmatex (generic mode) wraps inline math as \( \) and display math as \[ \].
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
# Notebook pages: nbconvert leaves $...$ and $$...$$ in the Markdown cells as written.
NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL)
CODE = re.compile(r"(<(pre|code)[ >].*?</\2>)", re.DOTALL)
DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.DOTALL)
SEARCH_TEXT = re.compile(r'<span data-sw-search-text hidden>.*?</span>', re.DOTALL)


class Typesetter:
    """One build's typesetting: the V8 context (started at the first formula the cache
    does not know), the formulas known (read from the cache file at first use) and the
    keys this build asked for, which are what the cache file keeps."""

    def __init__(self, cache_dir=CACHE_DIR):
        self.cache_dir = Path(cache_dir)
        self.cache_file = self.cache_dir / f"{KATEX_KEY}.json"
        self.context = None  # only between a cache miss and the end of the build
        self.known = None  # "D" or "I" + TeX -> KaTeX's HTML
        self.used = set()

    def _katex(self):
        if self.context is None:
            from py_mini_racer import MiniRacer

            context = MiniRacer()
            try:
                context.eval(KATEX.read_text(encoding="utf-8"))
            except BaseException:
                context.close()
                raise
            self.context = context
            atexit.register(self.close)  # a last resort (an interrupted build): still before the interpreter's teardown
        return self.context

    def close(self):
        """Free the V8 context now, if one was started (idempotent)."""
        context, self.context = self.context, None
        if context is not None:
            atexit.unregister(self.close)
            context.close()

    def _known(self):
        if self.known is None:
            try:
                self.known = json.loads(self.cache_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.known = {}
        return self.known

    def typeset(self, tex, display, where):
        """KaTeX's HTML for one formula; a formula it cannot parse stops the build."""
        key = ("D" if display else "I") + tex
        known = self._known()
        self.used.add(key)
        if key not in known:
            try:
                known[key] = self._katex().call("katex.renderToString", tex, {"displayMode": display, "throwOnError": True})
            except Exception as error:  # mini-racer reports KaTeX's ParseError as a JS exception
                message = str(error).splitlines()[0]
                raise PluginError(f"{where}: cannot typeset ${tex}$: {message}") from None
        return known[key]

    def typeset_page(self, output, where):
        """A page's finished HTML with every formula typeset and the hidden search text gone."""
        output = SEARCH_TEXT.sub("", output)
        output = ARITHMATEX.sub(lambda m: self._arithmatex(m, where), output)
        return NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + self._dollars(m[2], where) + m[3], output)

    def _arithmatex(self, match, where):
        tag, source = match.groups()
        tex = html.unescape(source).strip()
        display = tex.startswith("\\[")
        return f'<{tag} class="arithmatex">{self.typeset(tex[2:-2], display, where)}</{tag}>'

    def _dollars(self, text, where):
        """Typeset the $-delimited formulas of notebook Markdown, leaving code alone."""
        def formula(match):
            display, inline = match.groups()
            return self.typeset(html.unescape(display or inline), display is not None, where)

        return outside_code(text, lambda part: DOLLARS.sub(formula, part))

    def save(self):
        """Keep the formulas of this build (and only those) for the next one."""
        if self.known is None:
            return
        kept = {key: self.known[key] for key in sorted(self.used) if key in self.known}
        try:
            if json.loads(self.cache_file.read_text(encoding="utf-8")) == kept:
                return
        except (OSError, ValueError):
            pass
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(f".{os.getpid()}.tmp")  # concurrent builds never share it
        tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.cache_file)
        for old in self.cache_dir.glob("*.json"):  # another KaTeX's results
            if old != self.cache_file:
                old.unlink(missing_ok=True)

    def finish(self):
        """The end of a good build: save the cache, close V8."""
        try:
            self.save()
        finally:
            self.close()


def outside_code(text, change):
    """`text` with `change` applied to what lies outside <pre> and <code> elements."""
    parts = CODE.split(text)
    # CODE.split yields [text, code, tag name, text, code, tag name, ...]
    return "".join(change(part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


# --- the search index: readable text for formulas, never TeX ---------------------------------

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


def mark_for_search(content):
    """A page's content (on_page_content, before the search plugin indexes it) with every
    formula excluded from the index and an inline one that reads as plain text followed
    by that text in a hidden span."""
    content = ARITHMATEX.sub(_search_safe, content)
    return NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + outside_code(m[2], _search_safe_dollars) + m[3], content)


def without_search_text(content):
    """The content without the hidden plain-text copies of formulas (what the page shows)."""
    return SEARCH_TEXT.sub("", content)


def _search_safe(match):
    tag, source = match.groups()
    tex = html.unescape(source).strip()
    out = f'<{tag} class="arithmatex" data-search-exclude="math">{source}</{tag}>'
    readable = plain_text(tex[2:-2]) if tag == "span" else None
    return out + (f"<span data-sw-search-text hidden>{html.escape(readable)}</span>" if readable else "")


def _search_safe_dollars(text):
    return DOLLARS.sub(lambda match: f'<span data-search-exclude="math">{match[0]}</span>', text)
