"""The MkDocs plugin that owns the build (`plugins: - shared-weights` in mkdocs.yml,
registered in pyproject.toml): values flow one way, from the pipeline into the pages.

It holds one build's state, nothing in module globals: the snippets' results, which page
used which value and figure (`render.Pages`), the widgets counted on the page being
rendered, the typesetting (`typeset.Typesetter`: its V8 context and formula cache), the
notebook pages' stylesheet and classes (`notebook_pages.NotebookPages`) and, under
`mkdocs serve`, the snippet workers kept warm between rebuilds (MkDocs keeps a plugin that
has on_startup for the whole serve). mkdocs-macros reads the same results through
`config.plugins` (pipeline/macros.py).

- before anything else, build every snippet (cached by content) and log ran or cached;
- add the figures, a source page per snippet and "Where every number comes from" to the
  site as generated files, whole (never written into docs/, so `serve` does not loop); a
  source page's "edit this page" edits its snippet (the File's documented `edit_uri`);
- on each page: fit a notebook page to the site, keep formulas' TeX out of the search
  index, give the template the page's facts (reading time, date, what it assumes), and
  typeset the formulas of the finished page;
- after the build, write values.json and the notebooks' stylesheet, keep the typeset
  formulas for the next build, and report values and figures no page uses. V8, if a
  formula started it, is closed at every way a build ends (pipeline/typeset.py).

It changes no attribute of MkDocs' or another plugin's objects: it returns what it
changes (Markdown, HTML, files, the template context) from its events, and
tests/pipeline/test_no_patches.py holds it to that.
"""
import hashlib
import json
import logging
import os
import posixpath
import shutil
import subprocess
from html import escape
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File

from pipeline import calculator_presets, pages, render
from pipeline.notebook_pages import NotebookPages
from pipeline.page_facts import facts, reading_minutes
from pipeline.building import build, status_line
from pipeline.coverage import covering_tests
from pipeline.discovery import SnippetError
from pipeline.keys import content_key
from pipeline.paths import ROOT
from pipeline.typeset import Typesetter, mark_for_search, without_search_text
from pipeline.workers import Workers

log = logging.getLogger("mkdocs.plugins.shared-weights")
NAME = "shared-weights"  # the entry point's name in pyproject.toml


def of(config):
    """The plugin of this build, from MkDocs' config (for mkdocs-macros' module)."""
    return config.plugins[NAME]


class SharedWeights(BasePlugin):
    def __init__(self):
        self.workers = None  # under serve: kept between rebuilds
        self.results = {}  # name -> Result of this build (the last good one after a failure under serve)
        self.failure = None  # under serve: why this build shows the last good results
        self.pages = render.Pages()
        self.widgets = {}  # widget name -> how many the page being rendered has so far
        self.typesetter = Typesetter()  # V8 only once a formula is not in the cache
        self.notebooks = NotebookPages()
        self.reading = {}  # hash of a page's HTML -> its reading minutes, for the whole serve session

    def on_startup(self, *, command, dirty):
        if command == "serve":  # a snippet edit runs in a worker that has loaded numpy already
            self.workers = Workers()
            self.workers.warm()

    def on_shutdown(self):
        self.typesetter.close()
        workers, self.workers = self.workers, None
        if workers is not None:
            workers.close()

    @event_priority(100)  # before mkdocs-macros reads the values
    def on_config(self, config):
        os.environ.setdefault("SOURCE_DATE_EPOCH", _last_commit_time())
        _configure_notebooks(config)
        self.typesetter.close()  # every build closes its own; should one not have, before it is dropped
        self.pages, self.widgets = render.Pages(), {}
        self.typesetter, self.notebooks = Typesetter(), NotebookPages()
        try:
            fresh = build(workers=self.workers)
        except SnippetError as error:
            # Under serve, after a good build: MkDocs' server would hold every request until a
            # build succeeds, so the last good results stand in and every page shows the error.
            if self.workers is None or not self.results:
                raise PluginError(f"snippet failed: {error}") from None
            self.failure = str(error)
            log.info("snippet failed; serving the last good results until it is fixed: %s", error)
            return config
        self.results, self.failure = fresh, None
        for result in fresh.values():
            log.info(status_line(result))
        return config

    @event_priority(-100)  # after mkdocs-jupyter's: "Where every number comes from" stays the last page
    def on_files(self, files, config):
        covers = covering_tests()  # once per build, not once per snippet
        for result in self.results.values():
            for figure in result.figures.values():
                for theme, svg in figure.svg.items():
                    files.append(File.generated(config, render.figure_file(result.name, figure.id, theme), content=svg))
            source = (ROOT / result.path).read_text(encoding="utf-8")
            file = File.generated(config, render.source_page(result.name),
                                  content=pages.source_page(result, covers, source))
            if config.repo_url and config.edit_uri:
                # a generated page has no source of its own: "edit this page" edits the snippet.
                # File.edit_uri is relative to the docs' edit_uri and "can be overwritten" (MkDocs 1.6).
                file.edit_uri = "../" + result.path
            files.append(file)
        files.append(File.generated(config, pages.PROVENANCE, content="placeholder: written after every other page"))
        files.append(File.generated(config, calculator_presets.PATH, content=calculator_presets.presets_js()))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri == pages.PROVENANCE:  # rendered last: every other page has rendered
            # values.json is written at the site's root after the build (MkDocs cannot check this link)
            here = posixpath.dirname(files.get_file_from_path(pages.PROVENANCE).dest_uri) or "."
            return pages.provenance_page(self.results, self.pages.used, lambda src_uri: _title(src_uri, files),
                                         values_href=posixpath.relpath("values.json", here), page_order=nav_order(config.nav))
        return markdown

    def on_env(self, env, config, files):
        # MkDocs makes a new Jinja environment for every build; compiling Material's templates
        # again was a fifth of a prose-only rebuild under `mkdocs serve`.
        cache = ROOT / ".cache" / "jinja"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
        return env

    def on_page_content(self, html, page, config, files):
        # No ordering against other plugins is needed: Material's search plugin indexes the
        # page in on_page_context, which always comes after every on_page_content.
        if self.failure:  # under serve, after a snippet failed: every page says so above its text
            html = (f'<div class="admonition failure"><p class="admonition-title">A snippet failed: this page shows '
                    f'the last good values until it is fixed</p><pre><code>{escape(self.failure)}</code></pre></div>\n' + html)
        html = self.notebooks.content(html, page)
        return mark_for_search(html)  # formulas out of the search index, plain-text copies in

    def on_page_context(self, context, page, config, nav):
        source = Path(config.docs_dir) / page.file.src_uri
        context["page_facts"] = facts(without_search_text(page.content), source, page.meta,  # for overrides/main.html
                                      reading=self.reading_minutes)
        return context

    def reading_minutes(self, content):
        """page_facts.reading_minutes, remembered by content: parsing every page's HTML again
        was a fifth of a prose rebuild under serve (py-spy), where one page changes."""
        key = hashlib.sha256(content.encode()).hexdigest()
        if key not in self.reading:
            self.reading[key] = reading_minutes(content)
        return self.reading[key]

    def on_post_page(self, output, page, config):
        self.notebooks.write_download(page)
        return self.typesetter.typeset_page(output, page.file.src_uri)

    def on_post_build(self, config):
        try:
            self._write_records(config)
            self.notebooks.write_stylesheet(config.site_dir)
        finally:
            self.typesetter.finish()  # keep this build's formulas, close V8

    def on_build_error(self, error):
        self.typesetter.close()

    def _write_records(self, config):
        records = pages.records(self.results, self.pages.used)
        path = os.path.join(config.site_dir, "values.json")
        with open(path, "w", encoding="utf-8") as out:
            json.dump(records, out, indent=1, ensure_ascii=False, sort_keys=True)
            out.write("\n")
        unused = [r["name"] for r in records if not r["pages"]]
        unshown = [f"{r.name}.{fid}" for r in self.results.values() for fid in r.figures
                   if f"{r.name}.{fid}" not in self.pages.used]
        if unused:
            log.info("values that no page uses: %s", ", ".join(unused))
        if unshown:
            log.info("figures that no page shows: %s", ", ".join(unshown))


JUPYTER_CONFIG = Path(__file__).with_name("jupyter")  # nbconvert's own options for the notebooks
NOTEBOOK_CACHE = ROOT / ".cache" / "mkdocs-jupyter"
NOTEBOOK_GLUE = Path(__file__).with_name("notebook_pages.py")


def _configure_notebooks(config):
    """mkdocs-jupyter and nbconvert, through their own options: nbconvert reads
    pipeline/jupyter/ (stream outputs merged after execution), and mkdocs-jupyter caches
    converted notebooks in a folder named by everything their result depends on besides
    their own bytes (which its key hashes): the project modules they import, the notebook
    page glue (pipeline/notebook_pages.py) and that nbconvert config. An edit to snippets/lib reruns the notebooks that could
    see it, and only then."""
    paths = [str(JUPYTER_CONFIG), *filter(None, os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None:
        return
    docs = Path(config.docs_dir)
    notebooks = sorted(p for pattern in jupyter.config["include"] for p in docs.glob(pattern) if p.is_file())
    digest = hashlib.sha256()
    for file in [*notebooks, NOTEBOOK_GLUE, *sorted(JUPYTER_CONFIG.glob("*.json"))]:
        digest.update(file.resolve().relative_to(ROOT).as_posix().encode() + b"\0")  # the same in any checkout
    for notebook in notebooks:
        digest.update(content_key(notebook).encode())
    for file in [NOTEBOOK_GLUE, *sorted(JUPYTER_CONFIG.glob("*.json"))]:
        digest.update(file.read_bytes() if file.is_file() else b"")
    key = digest.hexdigest()[:16]
    jupyter.config["cache_dir"] = str(NOTEBOOK_CACHE / key)  # the plugin's documented option, set for this build
    for old in NOTEBOOK_CACHE.glob("*"):
        if old.is_dir() and old.name != key:
            shutil.rmtree(old, ignore_errors=True)


def _last_commit_time():
    """Dates in the site (the sitemap) come from the last commit, not the clock."""
    git = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=60)
    return git.stdout.strip() or "0"


def nav_order(nav):
    """The pages of the navigation, in order: ['index.md', 'basics.md', ...]."""
    order = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        order += nav_order(value) if isinstance(value, list) else [value]
    return order


def _title(src_uri, files):
    """A page's title (known: every other page is rendered before this one)."""
    file = files.get_file_from_path(src_uri)
    return file.page.title if file and file.page and file.page.title else src_uri
