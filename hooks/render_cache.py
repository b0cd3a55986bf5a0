"""MkDocs hook: under `mkdocs serve`, a page that did not change is not converted again.

A prose edit changes one page, but MkDocs converts the Markdown of every page on every
rebuild, and Material parses the HTML of every page again for the search index: together
most of a rebuild here once the snippets are cached (issue 11), the generated provenance
page and the ~40 snippet source pages included. This keeps, per page, the result of the
last conversion (HTML, table of contents, title, anchors, links to anchors) and reuses it
when everything the conversion reads is the same: the page's Markdown after the other
hooks and the macros, its place in the site, the list of the site's files (links are
resolved and checked against it) and the Markdown configuration. A page whose conversion
logged anything (a link warning, say) is never reused, so every build reports it again.
Likewise the page's search-index entries are reused while its final HTML, address,
title, metadata and table of contents are the same.

The caches live in this process only: `mkdocs build` converts every page, as before.
MkDocs loads this module afresh for every build, so the state is kept on the classes.

This is the one patch of another tool's internals the project keeps (issue 21), because
it was measured to be needed. `python benchmarks/serve_edit.py --edits 5` on an idle
2-core machine, fresh clones of 152858e (a prose edit to docs/index.md, from saving to
the served page; median of 5): 1.16 s with this hook, 2.77 s with its `hooks:` entry
removed from mkdocs.yml (serve's own rebuilds 2.5-2.9 s); snippet edit 1.64 s and
2.95 s. The target is 1.5 s.
The generated source pages now carry their highlighted listing in their Markdown, which
this cache spares on every rebuild. tests/pipeline/test_serve_rebuild.py fails loudly if
the internals it touches change (Page.render's signature and the attributes it sets,
SearchIndex.add_entry_from_context, the pinned MkDocs and Material versions).
"""
import copy
import hashlib
import logging
from pathlib import Path

from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page

INCLUDES = "--8<--"  # pymdownx.snippets: the page's result also depends on other files


class _Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records = 0

    def emit(self, record):
        self.records += 1


def _signature(page, config, files):
    files_key = getattr(files, "_sw_render_key", None)
    if files_key is None:  # once per build: the site's files, where they go, which are pages
        listing = "\n".join(sorted(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0{f.inclusion}" for f in files))
        config_file = Path(config.config_file_path or "")
        listing += "\n" + (config_file.read_text(encoding="utf-8") if config_file.is_file() else "")
        listing += "\n" + repr((config["markdown_extensions"], config["mdx_configs"], config["validation"]))
        files_key = files._sw_render_key = hashlib.sha256(listing.encode()).hexdigest()
    page_key = f"{page.file.src_uri}\0{page.file.dest_uri}\0{page.file.url}\0{page.markdown}\0{files_key}"
    return hashlib.sha256(page_key.encode()).hexdigest()


def _remembering_render(self, config, files):
    original = Page._sw_original_render
    if self.markdown is None or INCLUDES in self.markdown:
        return original(self, config, files)
    key = _signature(self, config, files)
    kept = Page._sw_rendered.get(self.file.src_uri)
    if kept is not None and kept["key"] == key:
        links = {}
        for src_uri, anchors in kept["links_to_anchors"].items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                break
            links[target] = dict(anchors)
        else:
            self.content = kept["content"]
            self.toc = copy.deepcopy(kept["toc"])
            self._title_from_render = kept["title"]
            self.present_anchor_ids = set(kept["anchors"])
            if kept["links_to_anchors"] is not None:
                self.links_to_anchors = links
            return None

    count = _Count()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(count)
    try:
        original(self, config, files)
    finally:
        for logger in loggers:
            logger.removeHandler(count)
    if count.records:
        Page._sw_rendered.pop(self.file.src_uri, None)
        return None
    links = getattr(self, "links_to_anchors", None)
    Page._sw_rendered[self.file.src_uri] = {
        "key": key,
        "content": self.content,
        "toc": copy.deepcopy(self.toc),
        "title": self._title_from_render,
        "anchors": frozenset(self.present_anchor_ids or ()),
        "links_to_anchors": None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
    }
    return None


if not hasattr(Page, "_sw_original_render"):  # once per process, however often MkDocs reloads hooks
    Page._sw_original_render = Page.render
    Page._sw_rendered = {}  # src_uri -> the last conversion of that page
    Page.render = _remembering_render


def _remembering_index(self, page):
    """SearchIndex.add_entry_from_context, reusing the entries of an unchanged page."""
    original = SearchIndex._sw_original_add
    key = hashlib.sha256("\0".join(
        [page.url, str(page.title), repr(sorted(page.meta.items())), str(page.toc), page.content or ""]).encode()).hexdigest()
    kept = SearchIndex._sw_indexed.get(page.file.src_uri)
    if kept is not None and kept[0] == key:
        self.entries.extend(copy.deepcopy(kept[1]))
        return None
    before = len(self.entries)
    original(self, page)
    SearchIndex._sw_indexed[page.file.src_uri] = (key, copy.deepcopy(self.entries[before:]))
    return None


if not hasattr(SearchIndex, "_sw_original_add"):
    SearchIndex._sw_original_add = SearchIndex.add_entry_from_context
    SearchIndex._sw_indexed = {}  # src_uri -> (key, the entries it added)
    SearchIndex.add_entry_from_context = _remembering_index
