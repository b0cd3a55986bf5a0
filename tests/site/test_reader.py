"""The weight of the site as a reader downloads it.

Everything a page loads (HTML, CSS, scripts, fonts, figures, the search index), after
scrolling to the end so lazy images load too, sized as a server would send it with gzip,
is at most PAGE_BUDGET; a notebook page's HTML is at most NOTEBOOK_HTML_BUDGET; the math
runtime is fetched only by pages with math.

Phones and desktops (nothing wider than its column, no page scrolling sideways) are
tests/site/test_layout.py; figures legible in both palettes, tests/site/test_browser.py.
"""
import gzip

import pytest
from bs4 import BeautifulSoup

from conftest import BROWSER_PAGES as PAGES
from layout import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.site]

# Bytes gzip-transferred, every asset included. Raised once, from 250 KB, when the search
# index grew. Measured at e9edfbb (the test's own message, with the budget set to 1 byte):
# the index, which every page downloads, is 58.8 KB; the heaviest pages, Weight sharing and
# Receptive fields, load 256.9 and 255.5 KB. Little margin is left: a page that outgrows it
# should lose weight (its figures, the index) before the budget rises again.
PAGE_BUDGET = 260_000
NOTEBOOK_HTML_BUDGET = 150_000  # bytes of HTML


def gzip_size(body):
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def load_everything(page, url):
    """Open `url`, scroll to the end so lazy content loads, return {url: body bytes}."""
    bodies = {}
    page.on("response", lambda r: bodies.setdefault(r.url, r) if r.ok else None)
    page.goto(url, wait_until="load")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    got = {}
    while len(got) < len(bodies):  # reading a body lets late responses arrive and join `bodies`
        for url_, response in list(bodies.items()):
            if url_ not in got:
                got[url_] = response.body()
    return got


def load_fresh(browser, url):
    """What a reader's browser fetches for `url` on its first visit (a fresh cache)."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        return load_everything(context.new_page(), url)
    finally:
        context.close()


# One test, one visit per page (not a module fixture that visits them all): the pages then
# spread over both xdist workers instead of each worker visiting every page.
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_what_a_page_loads(path, server, browser):
    bodies = load_fresh(browser, server + path)
    sizes = {url: gzip_size(body) for url, body in bodies.items()}
    total = sum(sizes.values())
    biggest = ", ".join(f"{url.rsplit('/', 2)[-2:]}: {size:,}" for url, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:5])
    assert total <= PAGE_BUDGET, f"/{path} loads {total:,} bytes gzipped (budget {PAGE_BUDGET:,}); largest: {biggest}"

    # No page downloads a math runtime (pipeline/typeset.py typesets with KaTeX while building),
    # every formula arrives finished, and KaTeX's fonts are fetched only where there is math.
    html = bodies[server + path]
    soup = BeautifulSoup(html, "html.parser")
    scripts = [url for url in bodies if url.endswith(".js") and ("katex" in url or "math" in url)]
    assert not scripts, f"/{path} fetched {scripts}"
    unset = [n.get_text() for n in soup.select(".arithmatex") if not n.select_one(".katex")]
    notebook_text = " ".join(cell.get_text() for cell in soup.select(".jp-RenderedMarkdown"))
    assert not unset and "$" not in notebook_text, f"/{path}: untypeset math {unset or notebook_text}"
    has_math = bool(soup.select(".katex"))
    fetched_fonts = any("/katex/fonts/" in url for url in bodies)
    assert fetched_fonts == has_math, f"/{path}: math on page {has_math}, KaTeX fonts fetched {fetched_fonts}"

    if path.startswith("notebooks/"):
        assert len(html) <= NOTEBOOK_HTML_BUDGET, f"/{path}: {len(html):,} bytes of HTML"


def test_the_pages_weighed_include_notebooks():
    assert any(path.startswith("notebooks/") for path in PAGES), "no notebook page is weighed: NOTEBOOK_HTML_BUDGET checks nothing"
