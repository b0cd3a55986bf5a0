"""MkDocs glue for the snippet pipeline; the work itself is done in `pipeline/`.

- before anything else, build every snippet (cached by content) and log ran or cached;
- add the figures, a source page per snippet and "Where every number comes from" to
  the site as generated files (never written into docs/, so `serve` does not loop);
- after the build, write values.json and report values and figures no page uses.
"""
import json
import logging
import os
import posixpath
import subprocess
from html import escape
from urllib.parse import urljoin

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from pipeline import pages, render, site
from pipeline.building import status_line
from pipeline.coverage import covering_tests
from pipeline.discovery import SnippetError
from pipeline.paths import ROOT

log = logging.getLogger("mkdocs.hooks.snippets")


def on_startup(command, dirty):
    if command == "serve":
        site.serve()


def on_shutdown():
    site.shutdown()


@event_priority(100)  # before mkdocs-macros reads the values
def on_config(config):
    os.environ.setdefault("SOURCE_DATE_EPOCH", _last_commit_time())
    try:
        results = site.build()
    except SnippetError as error:
        raise PluginError(f"snippet failed: {error}") from None
    if site.failure:
        log.info("snippet failed; serving the last good results until it is fixed: %s", site.failure)
    else:
        for result in results.values():
            log.info(status_line(result))
    return config


def _last_commit_time():
    """Dates in the site (the sitemap) come from the last commit, not the clock."""
    git = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=60)
    return git.stdout.strip() or "0"


def on_files(files, config):
    covers = covering_tests()  # once per build, not once per snippet
    for result in site.results.values():
        for figure in result.figures.values():
            for theme, svg in figure.svg.items():
                files.append(File.generated(config, render.figure_file(result.name, figure.id, theme), content=svg))
        files.append(File.generated(config, render.source_page(result.name), content=pages.source_page(result, covers)))
    files.append(File.generated(config, pages.PROVENANCE, content="placeholder: written after every other page"))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.startswith(render.SOURCES + "/") and config.repo_url and config.edit_uri:
        # a generated page has no source of its own: "edit this page" edits the snippet
        name = page.file.src_uri.removeprefix(render.SOURCES + "/").removesuffix(".md")
        docs = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri)
        page.edit_url = urljoin(docs, "../" + site.results[name].path)
    if page.file.src_uri == pages.PROVENANCE:  # generated last: every other page has rendered
        # values.json is written at the site's root after the build (MkDocs cannot check this link)
        here = posixpath.dirname(files.get_file_from_path(pages.PROVENANCE).dest_uri) or "."
        return pages.provenance_page(site.results, lambda src_uri: _title(src_uri, files),
                                     values_href=posixpath.relpath("values.json", here), page_order=nav_order(config.nav))
    return markdown


def on_env(env, config, files):
    # MkDocs makes a new Jinja environment for every build; compiling Material's templates
    # again was a fifth of a prose-only rebuild under `mkdocs serve`.
    cache = ROOT / ".cache" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    return env


def on_page_content(html, page, config, files):
    """Put each snippet's highlighted source into its page after Markdown, which would
    spend most of a prose-only rebuild going through the listings again. Under serve,
    after a snippet failed, every page says so above its text."""
    if page.file.src_uri.startswith(render.SOURCES + "/"):
        name = page.file.src_uri.removeprefix(render.SOURCES + "/").removesuffix(".md")
        html = html.replace(pages.LISTING, render.python_listing((ROOT / site.results[name].path).read_text(encoding="utf-8")))
    if site.failure:
        html = (f'<div class="admonition failure"><p class="admonition-title">A snippet failed: this page shows '
                f'the last good values until it is fixed</p><pre><code>{escape(site.failure)}</code></pre></div>\n' + html)
    return html


def on_post_build(config):
    records = pages.records(site.results)
    path = os.path.join(config.site_dir, "values.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(records, out, indent=1, ensure_ascii=False, sort_keys=True)
        out.write("\n")
    unused = [r["name"] for r in records if not r["pages"]]
    unshown = [ref for ref in _figure_refs() if ref not in render.PAGES.used]
    if unused:
        log.info("values that no page uses: %s", ", ".join(unused))
    if unshown:
        log.info("figures that no page shows: %s", ", ".join(unshown))


def nav_order(nav):
    """The pages of the navigation, in order: ['index.md', 'basics.md', ...]."""
    order = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        order += nav_order(value) if isinstance(value, list) else [value]
    return order


def _figure_refs():
    return [f"{r.name}.{fid}" for r in site.results.values() for fid in r.figures]


def _title(src_uri, files):
    """A page's title (known: every other page is rendered before this one)."""
    file = files.get_file_from_path(src_uri)
    return file.page.title if file and file.page and file.page.title else src_uri
