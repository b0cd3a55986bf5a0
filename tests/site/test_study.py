"""For a reader who studies or teaches from the site (issue 19, item 9).

- Every page of the reading path says, under its title, how long it takes to read and
  what it assumes beyond the pages before it. The reading time is the page's main line
  (tests/site/mainline.py's count) at 200 words a minute, rounded up, and the folded
  details' words likewise: computed at build time (pipeline/page_facts.py), never typed.
  What a page assumes is its front matter `assumes:`.
- Printed (Chromium's print media, after the `beforeprint` event on which Material opens
  every folded block), a page shows no widget control, only the widget's static
  fallback, keeps every exercise answer folded, and ends with a footer holding the
  page's address, the date of its last commit and the licence.
"""
import importlib.util
import math
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import WIDGETS_MOUNTED
from layout import DESKTOP
from pipeline.paths import ROOT

pytestmark = pytest.mark.site

_spec = importlib.util.spec_from_file_location("mainline", Path(__file__).with_name("mainline.py"))
mainline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mainline)

WORDS_A_MINUTE = 200
NOT_ON_THE_PATH = ("index.md", "glossary.md", "references.md", "provenance.md")  # consulted, not read in order


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def path_pages():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["nav"]
    files = [next(iter(item.values())) for item in nav]
    return [f for f in files if f not in NOT_ON_THE_PATH]


def url_of(page):
    return re.sub(r"\.(md|py)$", "", page).removesuffix("/index") + "/"


def read(site, page):
    return (site / url_of(page) / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", path_pages())
def test_a_page_states_its_reading_time_from_its_words(site, page):
    html = read(site, page)
    facts = BeautifulSoup(html, "html.parser").select_one("article .sw-page-facts .sw-reading-time")
    assert facts is not None, f"{page}: no reading time under the title"
    stated = [int(n) for n in re.findall(r"\d+", facts.get_text())]
    expected = math.ceil(mainline.main_line_words(html) / WORDS_A_MINUTE)
    assert stated and stated[0] == max(1, expected), (
        f"{page}: says {facts.get_text().strip()!r}; its main line of {mainline.main_line_words(html):,} words "
        f"takes {expected} min at {WORDS_A_MINUTE} words a minute")


@pytest.mark.parametrize("page", path_pages())
def test_a_page_states_what_it_assumes(site, page):
    assumes = BeautifulSoup(read(site, page), "html.parser").select_one("article .sw-page-facts .sw-assumes")
    assert assumes is not None and len(assumes.get_text().split()) > 2, (
        f"{page}: says nothing of what it assumes beyond the pages before it (front matter `assumes:`)")


# --- printing ---------------------------------------------------------------------------------

PRINTED = r"""() => {
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const controls = Array.from(document.querySelectorAll('article .sw-widget input, article .sw-widget select, article .sw-widget button, article .sw-widget svg'))
    .filter(shown).map(el => el.tagName.toLowerCase() + ' ' + (el.getAttribute('aria-label') || el.textContent.trim()).slice(0, 40));
  const answers = Array.from(document.querySelectorAll('article details'))
    .filter(d => /^\s*Answer/.test(d.querySelector('summary') ? d.querySelector('summary').textContent : ''))
    .filter(d => Array.from(d.children).some(c => c.tagName !== 'SUMMARY' && shown(c)))
    .map(d => d.textContent.replace(/\s+/g, ' ').trim().slice(0, 60));
  const fallbacks = Array.from(document.querySelectorAll('article .sw-fallback')).filter(el => !shown(el)).length;
  const footer = document.querySelector('article .sw-print-footer');
  return {controls, answers, hiddenFallbacks: fallbacks, footer: footer && shown(footer) ? footer.textContent.replace(/\s+/g, ' ').trim() : null};
}"""

# Pages with widgets and exercise answers.
PRINT_PAGES = ["basics/", "weight-sharing/", "calculator/", "equivariance/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PRINT_PAGES)
def test_a_printed_page_shows_no_controls_and_no_answers(server, browser, path):
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    try:
        tab.goto(server + path, wait_until="networkidle")
        tab.wait_for_function(WIDGETS_MOUNTED)
        tab.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # Material opens folded blocks
        tab.emulate_media(media="print")
        tab.wait_for_timeout(100)
        printed = tab.evaluate(PRINTED)
        pdf = tab.pdf(format="A4")
    finally:
        context.close()
    assert pdf.startswith(b"%PDF"), f"/{path}: Chromium printed no PDF"
    assert not printed["controls"], f"/{path}: the printed page shows widget controls: {printed['controls'][:5]}"
    assert not printed["answers"], f"/{path}: the printed page shows exercise answers: {printed['answers'][:3]}"
    assert not printed["hiddenFallbacks"], f"/{path}: a widget's static fallback is hidden in print"
    footer = printed["footer"] or ""
    assert f"/{path}" in footer and "CC BY 4.0" in footer and re.search(r"\d{4}-\d\d-\d\d", footer), (
        f"/{path}: the printed footer should give the page's address, its date and the licence, it says {footer!r}")


def test_the_reading_time_is_not_typed():
    """No page types its own reading time: it is the template's, from the page's words."""
    typed = [p.name for p in (ROOT / "docs").rglob("*.md") if re.search(r"reading time|min(?:ute)?s? read", p.read_text(encoding="utf-8"), re.I)]
    assert not typed, f"pages that type a reading time: {typed}"
