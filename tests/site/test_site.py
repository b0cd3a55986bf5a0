"""The built site: provenance of every number, figures, notebooks, nothing from outside."""
import copy
import json
import re

import pytest
from bs4 import BeautifulSoup

from pipeline.building import build
from pipeline.discovery import snippet_file
from pipeline.paths import ROOT

pytestmark = pytest.mark.site

GENERATED_PAGES = ("provenance/", "sources/")  # written by the plugin from the values themselves
REFERENCE_PAGES = ("references/",)  # bibliographic numbers: volumes, pages, DOIs and arXiv numbers


def pages(site):
    """{url path: parsed HTML} of every page of the built site."""
    found = {}
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix() + "/"
        found["" if url == "./" else url] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return found


@pytest.fixture(scope="module")
def built(site):
    return pages(site)


@pytest.fixture(scope="module")
def records(site):
    return {r["name"]: r for r in json.loads((site / "values.json").read_text(encoding="utf-8"))}


def test_values_json_lists_every_value_with_its_provenance(records):
    expected = {f"{r.name}.{key}" for r in build().values() for key in r.values}
    assert set(records) == expected
    for name, record in records.items():
        assert record["snippet"] == snippet_file(name.split(".")[0]).relative_to(ROOT).as_posix()
        assert {"value", "text", "pages", "tests"} <= set(record)


def test_every_value_is_covered_by_a_test(records):
    uncovered = sorted(name for name, record in records.items() if not record["tests"])
    assert not uncovered, f"values that no test covers: {uncovered}"


def test_every_generated_number_carries_its_name_and_source(built, records):
    seen = 0
    for url, soup in built.items():
        for link in soup.select("a.sw-value"):
            name = link["data-value"]
            assert name in records, f"{url}: {name} is not in values.json"
            snippet, key = name.split(".", 1)
            assert link["href"].endswith(f"sources/{snippet}/#{key}"), f"{url}: {name} links to {link['href']}"
            # the tooltip says in words what the number is and which script computed it,
            # never an internal id such as intro_alexnet.image
            assert link["title"].endswith(f"(computed by {snippet_file(snippet).relative_to(ROOT).as_posix()})"), link["title"]
            assert name not in link["title"], f"{url}: {link['title']!r}"
            shown = link.get_text()
            assert records[name]["text"] is None or shown, f"{url}: {name} renders empty"
            seen += 1
            if url not in records[name]["pages"] and not url.startswith(GENERATED_PAGES):
                assert any(url.startswith(p.removesuffix(".md").removesuffix("index")) for p in records[name]["pages"]), (url, name)
    assert seen > 0


NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{3,})(?![\w])")
YEAR = re.compile(r"^(19|20)\d\d$")
# "figure 9.6", "section 9.2": a place in a cited work, not a result
CITED_PLACE = re.compile(r"\b(?:figure|section|chapter|table|equation)\s+\d+(?:\.\d+)*", re.IGNORECASE)


def typed_numbers(soup):
    """Numbers in the prose of a page that no snippet produced."""
    article = copy.copy(soup.select_one("article"))  # decompose() below must not touch the shared page
    for hidden in article.select("pre, code, .arithmatex, .katex, [data-value], .jp-InputArea, .jp-OutputArea, .headerlink, script, style,"
                                 " .sw-print-footer"):  # the licence's version, "CC BY 4.0"
        hidden.decompose()
    text = CITED_PLACE.sub("", article.get_text(" "))
    return [n for n in NUMBER.findall(text) if not YEAR.match(n)]


def test_no_number_in_prose_is_typed_by_hand(built):
    offenders = {url: typed_numbers(soup) for url, soup in built.items() if not url.startswith(GENERATED_PAGES + REFERENCE_PAGES) and url != "404.html/"}
    offenders = {url: found for url, found in offenders.items() if found}
    assert not offenders, f"numbers typed into prose instead of generated: {offenders}"


def test_the_typed_number_check_catches_a_typed_number():
    soup = BeautifulSoup('<article><p>It has 34,944 weights, 0.5 of them, in <a data-value="x.y">1,234</a> places'
                         " (Krizhevsky, 2012, section 3.5) with a 3×3 kernel, figure 9.6 gives 2.5.</p>"
                         "<pre>12,345</pre></article>", "html.parser")
    assert typed_numbers(soup) == ["34,944", "0.5", "2.5"]


def test_every_figure_has_both_palettes_alt_text_and_names_its_script(site, built):
    figures = 0
    for url, soup in built.items():
        for figure in soup.select("figure.sw-figure"):
            images = figure.select("img")
            assert [img["src"].rsplit("#", 1)[1] for img in images] == ["only-light", "only-dark"], url
            for img in images:
                assert len(img["alt"].split()) >= 8, f"{url}: alt text too short: {img['alt']!r}"
                svg = (site / url / img["src"].split("#")[0]).resolve()
                assert svg.is_file() and svg.read_text().lstrip().startswith("<?xml"), svg
            assert re.search(r"snippets/\w+/\w+\.py", figure.select_one("figcaption").get_text()), url
            figures += 1
    assert figures >= 1


def test_nothing_is_loaded_from_outside_the_site(built):
    for url, soup in built.items():
        for tag in soup.select("script[src], link[href], img[src], iframe[src], source[src], audio[src], video[src]"):
            ref = tag.get("src") or tag.get("href")
            if tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"]):
                continue
            assert not re.match(r"^(https?:)?//", ref), f"{url}: {tag.name} loads {ref}"
        for style in soup.select("style"):
            assert not re.search(r"@import|url\((['\"])?(https?:)?//", style.get_text()), url


def test_notebooks_offer_an_ipynb_and_carry_no_mathjax(site, built):
    notebook_pages = [url for url in built if url.startswith("notebooks/")]
    assert notebook_pages
    for url in notebook_pages:
        soup = built[url]
        download = soup.select_one("p.sw-download a[download]")
        ipynb = site / url / download["href"]
        assert ipynb.suffix == ".ipynb" and json.loads(ipynb.read_text())["cells"], url
        html = str(soup)
        assert "MathJax" not in html and "x-mathjax-config" not in html and "mermaid.esm" not in html, url
        assert soup.select(".jp-OutputArea-output"), f"{url} was not executed"
        ids = [node["id"] for node in soup.select("[id]")]
        assert len(ids) == len(set(ids)), f"{url}: ids used twice: {sorted({i for i in ids if ids.count(i) > 1})[:5]}"
        for button in soup.select("clipboard-copy[for]"):  # the copy button copies its own cell's code
            target = soup.find(id=button["for"])
            assert target is not None and target.find_parent(class_="jp-CodeCell") is button.find_parent(class_="jp-CodeCell"), url


def test_provenance_page_has_a_way_in_by_page(built, records):
    """Before the long list by snippet, every page that shows numbers is listed with the
    scripts behind it, each linked to that script's section below."""
    page = built["provenance/"]
    by_page, by_snippet = page.find(id="by-page"), page.find(id="by-snippet")
    assert by_page and by_snippet
    ids = {tag["id"] for tag in page.select("[id]")}
    listed = []
    for node in by_page.find_all_next():
        if node is by_snippet:
            break
        if node.name == "p" and node.strong and node.strong.a:
            listed.append(node.strong.a["href"])
            for link in node.select("a[href^='#']"):
                assert link["href"][1:] in ids, link["href"]
    pages_with_values = {p for r in records.values() for p in r["pages"]}
    assert len(listed) == len(pages_with_values)
    assert listed[0].startswith("../basics/")  # in the order of the navigation


def test_provenance_page_lists_every_value(built, records):
    listed = {a.get_text() for a in built["provenance/"].select("table a code")}
    assert {name.split(".", 1)[1] for name in records} <= listed
