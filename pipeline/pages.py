"""The pages the pipeline writes itself: one source page per snippet, and "Where every
number comes from". Markdown only, whole (nothing filled in later); the plugin
(pipeline/plugin.py) adds them to the site."""
from pipeline import render
from pipeline.records import value_records

PROVENANCE = "provenance.md"


def source_page(result, covers, source):
    """Markdown of a snippet's source page: its values, the tests that cover each (`covers`:
    `coverage.covering_tests()`), its figures, and its `source`, highlighted (as HTML, which
    Markdown passes through: highlighting it with Markdown would spend most of a rebuild)."""
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
        shown = "a table" if render.is_table(value) else f"`{render.fmt.text(value)}`"
        tests = ", ".join(f"`{t}`" for t in covers.get(name, [])) or "**none**"
        lines.append(f"### `{key}` {{ #{key} }}\n\n{shown}, tested by {tests}.")
    if result.figures:
        lines.append("## Figures")
    for figure in result.figures.values():
        lines.append(f"### `figure_{figure.id}` {{ #figure-{figure.id} }}\n\n{figure.alt}")
        for theme in figure.svg:
            lines.append(f"![{figure.alt}](../{render.figure_file(result.name, figure.id, theme)}#only-{theme}){{ loading=lazy }}")
    lines.append(f"## Source\n\n{render.python_listing(source)}")
    return "\n\n".join(lines) + "\n"


def records(results, used):
    """value_records with the pages that used each value (`used`: `Pages.used`, known once
    they have rendered)."""
    found = value_records(results)
    for record in found:
        record["pages"] = sorted(used.get(record["name"], ()))
    return found


# A filter box over both lists (docs/assets/widgets/filter.js), mounted like the widgets:
# hidden until its script runs, so without JavaScript the page is the full lists.
FILTER = ('<div class="sw-widget" id="sw-filter" data-sw-widget="filter" hidden></div>\n'
          f'<script type="module" src="{"../" * PROVENANCE.count("/")}../assets/widgets/boot.js"></script>')


def provenance_page(results, used, title_of, values_href, page_order=()):
    """Markdown of "Where every number comes from": a way in by page (in the order of the
    navigation, `page_order`), then every snippet with its values. `title_of(src_uri)`
    names a page and `values_href` is the link from this page to values.json."""
    rows_of = records(results, used)
    snippets_of = {}  # page -> snippets whose values or figures it shows, in snippet order
    for result in results.values():
        showing = {p for name, pages_ in used.items() if name.split(".", 1)[0] == result.name for p in pages_}
        for page in showing:
            snippets_of.setdefault(page, []).append(result)
    order = [p for p in page_order if p in snippets_of] + sorted(p for p in snippets_of if p not in page_order)
    sections = [
        "# Where every number comes from",
        "Every number and figure on this site is computed by a snippet, a short Python script "
        "in `snippets/`, when the site is built, and checked by a test against an independent "
        "computation. Hover over a number on any page to see what it is and which script "
        "computed it; click it to come to that script.",
        "This page is the index the other way round. Start from the page you are reading under "
        "**By page**: it lists the scripts behind that page. Each script's section under "
        "**By snippet** lists its values, how they are shown, the pages that use them and the "
        "tests that check them. The same list is published as "
        f"<a href=\"{values_href}\">values.json</a>. "
        "Your browser's find (Ctrl+F) goes straight to a value by its name.",
        FILTER,
        "## By page",
    ]
    by_page = [f"**[{title_of(page)}]({page})**: " + ", ".join(f"[`{r.path}`](#{r.name})" for r in snippets_of[page]) + "."
               for page in order]
    # links only, and every snippet heading is indexed below: kept out of the search index
    sections.append("<div data-search-exclude markdown>\n\n" + "\n\n".join(by_page) + "\n\n</div>")
    sections.append("## By snippet")
    for result in results.values():
        rows = "\n".join(_row(r, title_of) for r in rows_of if r["snippet"] == result.path)
        sections.append(
            f"### [`{result.path}`]({render.source_page(result.name)}) {{ #{result.name} }}\n\n{result.title}\n\n"
            # the snippet's heading and title stay searchable; its rows would double the index
            f"<div data-search-exclude markdown>\n\n"
            f"| value | shown as | on pages | tested by |\n|---|---|---|---|\n{rows}\n\n</div>"
        )
    return "\n\n".join(sections) + "\n"


def _row(record, title_of):
    snippet, key = record["name"].split(".", 1)
    pages = ", ".join(f"[{title_of(p)}]({p})" for p in record["pages"]) or "not used on a page"
    tests = "<br>".join(f"`{t}`" for t in record["tests"]) or "**untested**"
    text = "table" if record["text"] is None else record["text"]
    return f"| [`{key}`]({render.source_page(snippet)}#{key}) | {text} | {pages} | {tests} |"
