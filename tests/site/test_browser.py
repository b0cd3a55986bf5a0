"""Every page of the built site, in a real browser, in the light and the dark palette.

Debian's Chromium (driven by Playwright) loads each page from a local HTTP server and
the test asserts that the page

- logs no console error and throws no uncaught exception;
- has no failed request (network error or HTTP status >= 400, lazy images included)
  and requests nothing from any host but the local server;
- has all its math typeset by KaTeX (pipeline/typeset.py does it while the site is built);
- has no axe-core accessibility violation (all rules axe runs by default);

and the open search dialog, showing results, has no axe violation either. The theme
overrides that fix Material's violations are checked against Material's own partials.

The pages are listed without building (from docs/, the notebooks mkdocs-jupyter
includes and the pages the plugin, pipeline/plugin.py, generates) so that each page is its own test;
`test_every_built_page_is_checked` walks the built site and fails if that list misses
a page. Set SW_SCREENSHOTS=<dir> to also save a full-page screenshot of every page in
both palettes.
"""
import os
import re
from pathlib import Path, PurePath
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import BROWSER_PAGES, PAGES, ROOT, WIDGETS_MOUNTED, built_pages
PALETTES = ["light", "dark"]
SETTLE_MS = 15_000  # the longest a page may take to load and typeset its math




@pytest.mark.site
def test_every_built_page_is_checked(site):
    missing = sorted(set(built_pages(site)) - set(PAGES))
    assert not missing, f"pages in the built site that the browser tests do not visit: {missing}"


# --- theme overrides -----------------------------------------------------------------------

# Partials in overrides/ are Material's own with one change each: upstream text -> ours.
OVERRIDDEN_PARTIALS = {
    # the search dialog gets an accessible name (axe: aria-dialog-name)
    "partials/search.html": (
        'data-md-component="search" role="dialog">',
        'data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
    ),
    # no request to api.github.com for the repository's stars and forks
    "partials/source.html": (
        'class="md-source" data-md-component="source">',
        'class="md-source">',
    ),
}


@pytest.mark.parametrize("partial", OVERRIDDEN_PARTIALS)
def test_overridden_partial_is_materials_with_one_change(partial):
    """If a Material upgrade changes one of these partials, copy it again from Material
    and make the same change (the comment at the top of the override says which)."""
    import material

    def body(template):  # without the leading {#- ... -#} comment
        return re.sub(r"\A\{#-.*?-#\}\n", "", template, flags=re.DOTALL)

    upstream_text, our_text = OVERRIDDEN_PARTIALS[partial]
    upstream = body((Path(material.__file__).parent / "templates" / partial).read_text(encoding="utf-8"))
    ours = body((ROOT / "overrides" / partial).read_text(encoding="utf-8"))
    assert upstream.count(upstream_text) == 1, f"Material's {partial} changed: redo the override"
    assert ours == upstream.replace(upstream_text, our_text), f"overrides/{partial} differs from Material's beyond the one change"


# --- server and browser --------------------------------------------------------------------


@pytest.fixture(scope="session", params=PALETTES)
def context(request, browser):
    """One browser context per palette; Material follows prefers-color-scheme."""
    ctx = browser.new_context(color_scheme=request.param, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(SETTLE_MS)
    ctx.palette = request.param
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


# --- what the page must satisfy ------------------------------------------------------------

ALL_ARITHMATEX_TYPESET = """() => Array.from(document.querySelectorAll('.arithmatex'))
    .every(node => node.querySelector('.katex'))"""

UNTYPESET_ARITHMATEX = """() => Array.from(document.querySelectorAll('.arithmatex'))
    .filter(node => !node.querySelector('.katex'))
    .map(node => node.textContent.trim().slice(0, 80))"""

# Text in notebook pages that still holds a $...$ pair; code and typeset math aside.
RAW_NOTEBOOK_MATH = r"""() => {
  const found = [];
  document.querySelectorAll('.jupyter-wrapper').forEach(wrapper => {
    const walker = document.createTreeWalker(wrapper, NodeFilter.SHOW_TEXT, {
      acceptNode: node => node.parentElement.closest('pre, code, script, style, .katex, .highlight')
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    while (walker.nextNode()) {
      if (/\$[^$]+\$/.test(walker.currentNode.textContent)) found.push(walker.currentNode.textContent.trim().slice(0, 80));
    }
  });
  return found;
}"""

# CSS transitions (the search dialog fades in): axe must see the colours they end at.
NO_RUNNING_ANIMATIONS = "() => document.getAnimations().every(a => a.playState !== 'running')"

ALL_IMAGES_SETTLED = "() => Array.from(document.images).every(img => img.complete)"

BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(img => !img.complete || img.naturalWidth === 0)
    .map(img => img.getAttribute('src'))"""

# A figure carries information: its image needs a real alt text (axe accepts alt="").
FIGURES_WITHOUT_ALT = """() => Array.from(document.querySelectorAll('.md-content figure img'))
    .filter(img => (img.getAttribute('alt') || '').trim().length < 10)
    .map(img => `${img.getAttribute('src')} alt=${JSON.stringify(img.getAttribute('alt'))}`)"""


def axe_report(violation, shown=8):
    """One axe violation as text: rule, impact, summary, and each offending node."""
    v = violation
    lines = [f"{v['id']} ({v['impact']}): {v['help']}, {len(v['nodes'])} node(s); {v['helpUrl'].split('?')[0]}"]
    for node in v["nodes"][:shown]:
        # a target is a list of selectors, one per shadow root or iframe on the way
        target = " >>> ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
        summary = " ".join((node.get("failureSummary") or "").split()).removeprefix("Fix any of the following: ")
        lines.append(f"  {target}: {summary[:400]}")
    if len(v["nodes"]) > shown:
        lines.append(f"  ... and {len(v['nodes']) - shown} more")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.site
@pytest.mark.parametrize("path", BROWSER_PAGES, ids=lambda p: p or "home")
def test_page(path, server, context, axe):
    page = context.new_page()
    problems = {}

    def note(kind, text):
        problems.setdefault(kind, []).append(text)

    origin = urlsplit(server).netloc
    page.on("console", lambda msg: msg.type == "error" and note("console errors", f"{msg.text} ({msg.location.get('url')})"))
    page.on("pageerror", lambda error: note("page errors", str(error)))
    page.on("requestfailed", lambda req: note("failed requests", f"{req.url}: {req.failure}"))
    page.on("response", lambda res: res.status >= 400 and note("failed requests", f"{res.url}: HTTP {res.status}"))

    def on_request(req):
        url = urlsplit(req.url)
        if url.scheme not in ("data", "blob") and url.netloc != origin:
            note("requests to other hosts", req.url)
    page.on("request", on_request)

    try:
        response = page.goto(server + path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

        # lazy images: load them all (both palettes' figures) so a broken one is caught
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')")
        # let everything settle; math that is still untypeset is reported below
        settled = [ALL_IMAGES_SETTLED, NO_RUNNING_ANIMATIONS, WIDGETS_MOUNTED]
        if page.locator(".arithmatex").count():
            settled.append(ALL_ARITHMATEX_TYPESET)
        if page.locator(".jupyter-wrapper").count():
            settled.append(f"() => ({RAW_NOTEBOOK_MATH})().length === 0")
        for condition in settled:
            try:
                page.wait_for_function(condition, timeout=SETTLE_MS)
            except PlaywrightTimeout:
                pass
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")

        for formula in page.evaluate(UNTYPESET_ARITHMATEX):
            note("math not typeset", formula)
        for text in page.evaluate(RAW_NOTEBOOK_MATH):
            note("raw $...$ left in notebook", text)
        for error in page.locator(".katex-error").all_text_contents():
            note("KaTeX errors", error)
        for src in page.evaluate(BROKEN_IMAGES):
            note("images that did not load", src)
        for img in page.evaluate(FIGURES_WITHOUT_ALT):
            note("figures without alt text", img)

        if os.environ.get("SW_SCREENSHOTS"):
            shots = Path(os.environ["SW_SCREENSHOTS"])
            shots.mkdir(parents=True, exist_ok=True)
            name = (path.strip("/").replace("/", "_") or "home") + f".{context.palette}.png"
            page.screenshot(path=shots / name, full_page=True)

        for violation in axe.run(page).response["violations"]:
            note("axe violations", axe_report(violation))
    finally:
        page.close()

    report = "\n".join(f"{kind}:\n" + "\n".join("  - " + item.replace("\n", "\n    ") for item in items)
                       for kind, items in problems.items())
    if problems:
        pytest.fail(f"/{path} in the {context.palette} palette:\n{report}", pytrace=False)


@pytest.mark.browser
@pytest.mark.site
def test_search_dialog_with_results(server, context, axe):
    """The open search dialog, showing results, has no axe violation either."""
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server, wait_until="networkidle")
        page.click(".md-search__input")
        page.keyboard.type("weight sharing")
        page.wait_for_selector(".md-search-result__item mark")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(NO_RUNNING_ANIMATIONS)
        violations = [axe_report(v) for v in axe.run(page).response["violations"]]
    finally:
        page.close()
    problems = [f"console errors: {errors}"] * bool(errors) + violations
    if problems:
        pytest.fail(f"search dialog in the {context.palette} palette:\n" + "\n".join(problems), pytrace=False)
