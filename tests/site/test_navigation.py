"""Navigation a reader can trust: every label in the sidebar is the title of the page it
opens, and the learning path on the home page visits the pages in the sidebar's order."""
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from pipeline.paths import ROOT

pytestmark = pytest.mark.site


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold !!python tags; the nav needs none of them."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_entries(nav):
    """[(label, page)] of the navigation, depth first; a section yields its label with None."""
    entries = []
    for item in nav:
        (label, value), = item.items()
        if isinstance(value, list):
            entries.append((label, None))
            entries += nav_entries(value)
        else:
            entries.append((label, value))
    return entries


NAV = nav_entries(yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["nav"])


def url_of(page):
    stem = re.sub(r"\.(md|py)$", "", page)
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def test_the_navigation_has_no_sections_and_the_basics_come_first():
    assert all(page is not None for _, page in NAV), "a section in the nav: every step is its own page"
    assert [page for _, page in NAV][:3] == ["index.md", "basics.md", "weight-sharing-in-numbers.md"]


def test_every_nav_label_is_the_title_of_its_page(site):
    for label, page in NAV:
        soup = BeautifulSoup((site / url_of(page) / "index.html").read_text(encoding="utf-8"), "html.parser")
        h1 = soup.select_one("article h1")
        assert h1 is not None, page
        title = h1.get_text(" ", strip=True).removesuffix("¶").strip()
        if page == "index.md":
            assert label == "Home"
            continue
        assert label == title, f"{page}: the sidebar says {label!r}, the page {title!r}"
        assert soup.title.get_text().startswith(label), f"{page}: the browser tab says {soup.title.get_text()!r}"


def test_the_home_page_path_visits_the_pages_in_nav_order(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.find(id="a-path-through-the-site")
    assert heading is not None
    linked = []
    for node in heading.find_all_next():
        if node.name == "h2":
            break
        if node.name == "a" and node.get("href") and not node["href"].startswith(("http", "#")) and (
                "references" not in node["href"] or "#" not in node["href"]):  # a citation is not a step of the path
            target = node["href"].split("#")[0].removeprefix("./")
            if target not in linked:
                linked.append(target)
    expected = [url_of(page) for _, page in NAV if page != "index.md"]
    assert linked == expected
