"""The search index holds readable text: no TeX, and the words a learner types find the
sections that answer them."""
import json
import re

import pytest

pytestmark = pytest.mark.site

TEX = re.compile(r"\\[()\[\]]|\\(?:text|frac|mathrm|sqrt|times|cdot|sum|lfloor|left|right)\b|\$[^$\s][^$]*\$")


@pytest.fixture(scope="module")
def index(site):
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_no_entry_holds_tex(index):
    offenders = [(d["location"], m[0]) for d in index for m in [TEX.search(d["title"] + " " + d["text"])] if m]
    assert not offenders, f"TeX in the search index: {offenders[:10]}"


def test_formulas_are_indexed_as_text(index):
    """An inline formula that reads as plain text is indexed as that text."""
    text = " ".join(d["text"] for d in index if d["location"].startswith("basics/"))
    assert "K × K" in text


@pytest.mark.parametrize("words, where", [
    ("computational cost", "weight-sharing/#does-sharing-save-compute"),
    ("computational cost", "basics/#multiply-adds"),
    ("computational cost", "parameter-arithmetic/#sharing-cuts-parameters-not-multiply-adds"),
    ("depth slice", "basics/#depth-slice"),
    ("padding", "basics/#padding"),
    ("stride", "basics/#stride"),
    ("max pooling", "basics/#pooling"),
    ("global average pooling", "basics/#global-average-pooling"),
    ("feature map", "basics/#feature-map"),
])
def test_a_learners_words_find_the_section_that_answers_them(index, words, where):
    """The section's title or text holds the words (Material's search matches them there)."""
    entry = next((d for d in index if d["location"] == where), None)
    assert entry is not None, f"no section {where} in the index"
    assert words.lower() in (entry["title"] + " " + entry["text"]).lower()


@pytest.mark.browser
@pytest.mark.parametrize("words, page", [
    ("depth slice", "basics/"),
    ("padding", "basics/"),
    ("computational cost", "weight-sharing/"),
])
def test_the_search_box_finds_them(server, browser, words, page):
    """Typed into the search box, a learner's words bring the page that answers them among
    the first results."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(server, wait_until="networkidle")
        tab.click(".md-search__input")
        tab.keyboard.type(words)
        tab.wait_for_selector(".md-search-result__item")
        hrefs = tab.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    finally:
        context.close()
    assert any(f"/{page}" in href for href in hrefs[:3]), f"{words!r}: first results {hrefs[:3]}"
