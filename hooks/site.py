"""MkDocs glue for the snippet pipeline; the work itself is done in `snippets/`.

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
from urllib.parse import urljoin

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from snippets import _engine, _render

log = logging.getLogger("mkdocs.hooks.snippets")
PROVENANCE = "provenance.md"
LISTING = "<!-- snippet listing -->"  # in a source page's Markdown; on_page_content puts the code there
results = {}


@event_priority(100)  # before mkdocs-macros reads the values
def on_config(config):
    os.environ.setdefault("SOURCE_DATE_EPOCH", _last_commit_time())
    _render.PAGES.reset()
    results.clear()  # a snippet deleted under `mkdocs serve` must disappear
    try:
        results.update(_engine.build())
    except _engine.SnippetError as error:
        raise PluginError(f"snippet failed: {error}") from None
    for result in results.values():
        log.info(_engine.status_line(result))
    return config


def _last_commit_time():
    """Dates in the site (the sitemap) come from the last commit, not the clock."""
    git = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=60)
    return git.stdout.strip() or "0"


def on_files(files, config):
    covers = _engine.covering_tests()  # once per build, not once per snippet
    for result in results.values():
        for figure in result.figures.values():
            for theme, svg in figure.svg.items():
                files.append(File.generated(config, _render.figure_file(result.name, figure.id, theme), content=svg))
        files.append(File.generated(config, _render.source_page(result.name), content=_source_page(result, covers)))
    files.append(File.generated(config, PROVENANCE, content="placeholder: written after every other page"))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.startswith(_render.SOURCES + "/") and config.repo_url and config.edit_uri:
        # a generated page has no source of its own: "edit this page" edits the snippet
        snippet = page.file.src_uri.removeprefix(_render.SOURCES + "/").removesuffix(".md")
        docs = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri)
        page.edit_url = urljoin(docs, f"../{_engine.PACKAGE}/{snippet}.py")
    if page.file.src_uri == PROVENANCE:  # generated last: every other page has rendered
        return _provenance_page(files)
    return markdown


def on_env(env, config, files):
    # MkDocs makes a new Jinja environment for every build; compiling Material's templates
    # again was a fifth of a prose-only rebuild under `mkdocs serve`.
    cache = _engine.ROOT / ".cache" / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    return env


def on_page_content(html, page, config, files):
    """Put each snippet's highlighted source into its page after Markdown, which would
    spend most of a prose-only rebuild going through the listings again."""
    if page.file.src_uri.startswith(_render.SOURCES + "/"):
        source = (_engine.SNIPPET_DIR / page.file.src_uri.removeprefix(_render.SOURCES + "/")).with_suffix(".py")
        return html.replace(LISTING, _render.python_listing(source.read_text(encoding="utf-8")))
    return html


def on_post_build(config):
    records = _records()
    path = os.path.join(config.site_dir, "values.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(records, out, indent=1, ensure_ascii=False, sort_keys=True)
        out.write("\n")
    unused = [r["name"] for r in records if not r["pages"]]
    unshown = [ref for ref in _figure_refs() if ref not in _render.PAGES.used]
    if unused:
        log.info("values that no page uses: %s", ", ".join(unused))
    if unshown:
        log.info("figures that no page shows: %s", ", ".join(unshown))


def _records():
    records = _engine.value_records(results)
    for record in records:
        record["pages"] = sorted(_render.PAGES.used.get(record["name"], ()))
    return records


def _figure_refs():
    return [f"{r.name}.{fid}" for r in results.values() for fid in r.figures]


# --- generated pages -------------------------------------------------------------------


def _source_page(result, covers):
    lines = [
        # Out of the search index: every page downloads the index, and the snippet
        # listings would be half of it; the provenance page indexes every value name.
        "---\nrender_macros: false\nsearch:\n  exclude: true\n---",
        f"# `{result.path}`\n\n**{result.title}** {result.summary}",
        f"Run it yourself: `python {result.path}` prints these values and writes the figures.",
        "## Values",
    ]
    for key, value in result.values.items():
        name = f"{result.name}.{key}"
        shown = "a table" if _render.is_table(value) else f"`{_render.fmt.text(value)}`"
        tests = ", ".join(f"`{t}`" for t in covers.get(name, [])) or "**none**"
        lines.append(f"### `{key}` {{ #{key} }}\n\n{shown}, tested by {tests}.")
    if result.figures:
        lines.append("## Figures")
    for figure in result.figures.values():
        lines.append(f"### `figure_{figure.id}` {{ #figure-{figure.id} }}\n\n{figure.alt}")
        for theme in figure.svg:
            lines.append(f"![{figure.alt}](../{_render.figure_file(result.name, figure.id, theme)}#only-{theme}){{ loading=lazy }}")
    lines.append(f"## Source\n\n{LISTING}")
    return "\n\n".join(lines) + "\n"


def _provenance_page(files):
    records = _records()
    # values.json is written at the site's root after the build (MkDocs cannot check this link)
    here = posixpath.dirname(files.get_file_from_path(PROVENANCE).dest_uri) or "."
    sections = [
        "# Where every number comes from",
        "Every number and figure on this site is computed by a snippet in `snippets/` when the "
        "site is built, and checked by a test against an independent computation. This page "
        f"lists them all; the same list is published as <a href=\"{posixpath.relpath('values.json', here)}\">values.json</a>.",
    ]
    for result in results.values():
        rows = "\n".join(_provenance_row(r, files) for r in records if r["snippet"] == result.path)
        sections.append(
            f"## [`{result.path}`]({_render.source_page(result.name)})\n\n{result.title}\n\n"
            # the snippet's heading and title stay searchable; its rows would double the index
            f"<div data-search-exclude markdown>\n\n"
            f"| value | shown as | on pages | tested by |\n|---|---|---|---|\n{rows}\n\n</div>"
        )
    return "\n\n".join(sections) + "\n"


def _provenance_row(record, files):
    snippet, key = record["name"].split(".", 1)
    pages = ", ".join(f"[{_title(p, files)}]({p})" for p in record["pages"]) or "not used on a page"
    tests = "<br>".join(f"`{t}`" for t in record["tests"]) or "**untested**"
    text = "table" if record["text"] is None else record["text"]
    return f"| [`{key}`]({_render.source_page(snippet)}#{key}) | {text} | {pages} | {tests} |"


def _title(src_uri, files):
    """A page's title (known: every other page is rendered before this one)."""
    file = files.get_file_from_path(src_uri)
    return file.page.title if file and file.page and file.page.title else src_uri
