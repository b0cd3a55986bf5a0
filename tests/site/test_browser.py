"""Every page of the built site, in a real browser, in the light and the dark palette.

Debian's Chromium (driven by Playwright) loads each page from a local HTTP server and
the test asserts that the page

- logs no console error and throws no uncaught exception;
- has no failed request (network error or HTTP status >= 400, lazy images included)
  and requests nothing from any host but the local server;
- has all its math typeset by KaTeX (pipeline/typeset.py does it while the site is built);
- has no axe-core accessibility violation (all rules axe runs by default in the light
  palette; in the dark one, the rules whose outcome depends on colour: only the CSS
  differs between the palettes, the markup, both figure variants included, is the same);
- shows every figure legibly: on a screenshot of each figure as shown, the strokes (drawn
  pixels outside filled areas: text, lines, markers, outlines) reach WCAG 1.4.11's 3:1
  against the page's background in their upper quartile, their anti-aliased edges and
  faint grid lines aside (axe does not look inside an image);
- lays out within its column (tests/layout.py): the light palette is read on a desktop
  (1280 px), the dark one on a phone (390 px, twice the pixels, touch), so one visit per
  page and palette checks both widths (the layout does not depend on the palette);

and the open search dialog, showing results, has no axe violation either. The theme
overrides that fix Material's violations are checked against Material's own partials.

The pages are listed without building (from docs/, the notebooks mkdocs-jupyter
includes and the pages the plugin, pipeline/plugin.py, generates) so that each page is its own test;
`test_every_built_page_is_checked` walks the built site and fails if that list misses
a page. Set SW_SCREENSHOTS=<dir> to also save a full-page screenshot of every page in
both palettes.
"""
import io
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import BROWSER_PAGES, PAGES, ROOT, WIDGETS_MOUNTED, built_pages
from layout import DESKTOP, OVERFLOWS, PHONE
PALETTES = ["light", "dark"]
# What each palette is read on (see the docstring): the screens of tests/layout.py.
SCREENS = {"light": {"viewport": DESKTOP},
           "dark": {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}}
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
    """One browser context per palette, on its screen; Material follows prefers-color-scheme."""
    ctx = browser.new_context(color_scheme=request.param, **SCREENS[request.param])
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


# Only the CSS differs between the palettes: the dark pass runs what depends on colour.
COLOUR_RULES = {"resultTypes": ["violations"],
                "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}

# --- legibility of figures: the graphics counterpart of axe's colour contrast for text ---

INK = 1.25  # a pixel this much lighter or darker than the background is drawn on
LEGIBLE = 3.0  # WCAG 2.1 (1.4.11): graphics need 3:1 against what is next to them
FILL = 7  # pixels: ink that fills a FILL x FILL square is an area (a cell, a band), not a stroke

BACKGROUND = """() => getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)"""


def luminance(rgb):
    """WCAG relative luminance of sRGB values in 0..255 (array of shape (..., 3))."""
    c = np.asarray(rgb, dtype=float) / 255
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a, b):
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    return (hi + 0.05) / (lo + 0.05)


def _in_flat_squares(pixels, drawn, side):
    """The drawn pixels that lie in some side x side square of a single colour."""
    code = np.where(drawn, pixels.astype(np.int64) @ np.array([1 << 16, 1 << 8, 1]), -1)
    rows, cols = code.shape[0] - side + 1, code.shape[1] - side + 1
    covered = np.zeros(drawn.shape, dtype=bool)
    if rows <= 0 or cols <= 0:
        return covered
    corner = code[:rows, :cols]  # each square by its top-left pixel
    flat = corner >= 0
    for dr in range(side):
        for dc in range(side):
            flat &= code[dr:dr + rows, dc:dc + cols] == corner
    for dr in range(side):
        for dc in range(side):
            covered[dr:dr + rows, dc:dc + cols] |= flat
    return covered


def ink_contrast(png, background):
    """Contrast with the background of every stroke pixel: drawn (not background) and not
    inside a filled area. Text, lines, markers and outlines carry a figure; a filled area
    (a heat-map cell, a shaded band) is read by its outline and the text on it, and a
    median over all drawn pixels would be the fill's colour alone."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    ratios = contrast(luminance(pixels), luminance(background))
    drawn = ratios >= INK
    return ratios[drawn & ~_in_flat_squares(pixels, drawn, FILL)]


def illegible_figures(page):
    """What is wrong with the figures the page shows (the other palette's variants are hidden)."""
    background = page.evaluate(BACKGROUND)
    found, images, checked = [], page.locator("figure.sw-figure img").all(), 0
    for image in images:
        if not image.is_visible():
            continue
        checked += 1
        ink, name = ink_contrast(image.screenshot(), background), image.get_attribute("src")
        if ink.size <= 500:
            found.append(f"{name}: almost nothing drawn")
        # A stroke's anti-aliased edges and faint grid lines sit below 3:1; the cores of text,
        # lines and outlines must not. Measured on every figure (2026-12-05), the upper quartile
        # was 4.6 to 6.3 in both palettes; a figure drawn in the other palette's ink is near 1.
        elif np.percentile(ink, 75) < LEGIBLE:
            found.append(f"{name}: upper-quartile contrast {np.percentile(ink, 75):.2f}, below {LEGIBLE}:1")
    if images and not checked:
        found.append(f"{len(images)} figures in the page, none shown to check")
    return found


def _drawing(paper, *strokes):
    """An 80 x 40 PNG on `paper` with each (colour, box) of `strokes` painted in order."""
    drawing = Image.new("RGB", (80, 40), paper)
    for colour, box in strokes:
        drawing.paste(colour, box)
    buffer = io.BytesIO()
    drawing.save(buffer, format="PNG")
    return buffer.getvalue()


STROKES = [(5, 5, 75, 7), (5, 20, 7, 38), (30, 12, 70, 13)]  # lines 1 and 2 px wide


def test_the_legibility_measure_tells_dark_ink_on_dark_paper():
    """The measure fails a light-palette figure shown on the dark page, and passes it on white."""
    dark_page, light_page, text = (30, 33, 41), (255, 255, 255), (31, 35, 40)  # the light palette's text colour
    lines = [(text, box) for box in STROKES]
    assert ink_contrast(_drawing(dark_page, *lines), dark_page).size == 0  # indistinguishable: no ink at all
    assert np.percentile(ink_contrast(_drawing(light_page, *lines), light_page), 75) > 10


def test_the_legibility_measure_reads_strokes_not_fills():
    """A pale filled cell with a dark outline is legible; pale lines are not."""
    white, pale, dark = (255, 255, 255), (215, 220, 228), (31, 35, 40)
    outline = [(dark, box) for box in [(10, 10, 70, 11), (10, 29, 70, 30), (10, 10, 11, 30), (69, 10, 70, 30)]]
    outlined = ink_contrast(_drawing(white, (pale, (10, 10, 70, 30)), *outline), white)
    assert np.percentile(outlined, 75) > 10 and outlined.size < 60 * 20 / 2  # the outline counts, the fill does not
    assert np.percentile(ink_contrast(_drawing(white, *[(pale, box) for box in STROKES]), white), 75) < LEGIBLE


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

        for problem in illegible_figures(page):
            note("illegible figures", problem)

        rules = COLOUR_RULES if context.palette == "dark" else {"resultTypes": ["violations"]}
        for violation in axe.run(page, options=rules).response["violations"]:
            note("axe violations", axe_report(violation))

        width = SCREENS[context.palette]["viewport"]["width"]
        for problem in page.evaluate(OVERFLOWS, width == DESKTOP["width"]):  # last: it opens every folded block
            note(f"layout at {width} px", problem)
    finally:
        page.close()

    report = "\n".join(f"{kind}:\n" + "\n".join("  - " + item.replace("\n", "\n    ") for item in items)
                       for kind, items in problems.items())
    if problems:
        pytest.fail(f"/{path} in the {context.palette} palette:\n{report}", pytrace=False)


@pytest.mark.browser
@pytest.mark.site
def test_search_dialog_with_results(server, context, axe):
    """The open search dialog, showing results, has no axe violation either (on a desktop
    in the light palette, on a phone in the dark one)."""
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server, wait_until="networkidle")
        opener = page.locator('label.md-header__button[for="__search"]')
        if opener.is_visible():  # a phone (the dark palette's screen): the header's search button opens it
            opener.click()
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
