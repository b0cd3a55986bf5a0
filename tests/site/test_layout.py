"""Nothing is wider than its column, and nothing is cut off (issue 19, item 6).

In Chromium, with every folded block opened and the widgets mounted, for every formula
(`.katex-display`), table (generated, Markdown or a widget's), image and SVG drawing:

- **on a phone (390 px)** it fits its text column, or it sits in a box of its own that
  scrolls sideways (`overflow-x: auto`), that box fits the column (Material runs it to the
  screen's edges by a negative margin, which counts as the column) and shows that it
  scrolls (the shadows of site.css: a formula cut at the screen's edge read as cut off);
- **on a desktop (1280 px)** it fits its column and nothing needs to scroll: no such box
  is narrower than its content (the calculator's table showed half its "start" column
  and no ✕ buttons);
- at both widths, no box that hides overflow (`overflow: hidden` or `clip`) cuts it.
"""
import pytest

from conftest import PAGES, WIDGETS_MOUNTED

pytestmark = [pytest.mark.browser, pytest.mark.site]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

OVERFLOWS = r"""(desktop) => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  const column = document.querySelector('.md-content__inner');
  const edge = column.getBoundingClientRect().right + 1;
  const style = el => getComputedStyle(el).overflowX;
  const name = el => {
    const value = el.closest('[data-value]'), widget = el.closest('[data-sw-widget]');
    const where = value ? value.dataset.value : widget ? 'widget ' + widget.dataset.swWidget
      : (el.closest('figure') || {}).id || '';
    const heading = (() => { let n = el; while (n && n !== column) {
      let p = n.previousElementSibling; while (p) { if (/^H[1-6]$/.test(p.tagName) && p.id) return p.id; p = p.previousElementSibling; }
      n = n.parentElement; } return ''; })();
    return `${el.tagName.toLowerCase()}${el.classList.length ? '.' + el.classList[0] : ''} under #${heading}${where ? ' (' + where + ')' : ''}`
      + ` "${el.textContent.replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
  };
  const found = [];
  const items = document.querySelectorAll('article .katex-display, article table, article img, article svg');
  for (const el of items) {
    if (!el.getClientRects().length || el.closest('svg') !== el && el.tagName === 'svg' && el.parentElement.closest('svg')) continue;
    if (el.closest('.md-search, .md-sidebar, .headerlink, .md-content__button')) continue;
    const rect = el.getBoundingClientRect();
    let box = el.parentElement;
    while (box && box !== column && style(box) === 'visible') box = box.parentElement;
    if (box && box !== column && (style(box) === 'hidden' || style(box) === 'clip')) {
      if (rect.right > box.getBoundingClientRect().right + 1) found.push(`${name(el)} is cut off by a box that hides overflow`);
      continue;
    }
    if (box && box !== column) {  // it scrolls inside a box of its own
      // Material pulls its table scroll wrapper past the text by a negative margin, on purpose
      const pulled = Math.max(0, -parseFloat(getComputedStyle(box).marginRight) || 0);
      if (box.getBoundingClientRect().right > edge + pulled) found.push(`${name(el)}: its scrolling box is wider than the column`);
      else if (desktop && box.scrollWidth > box.clientWidth + 1) found.push(`${name(el)} needs scrolling at ${innerWidth} px (${box.scrollWidth} px in ${box.clientWidth} px)`);
      else if (box.scrollWidth > box.clientWidth + 1) {  // it scrolls: a shadow at its edge must say so
        const look = getComputedStyle(box);
        if (!/gradient/.test(look.backgroundImage) || !/local/.test(look.backgroundAttachment))
          found.push(`${name(el)} scrolls, but its box shows no cue that it does (site.css: scrolling shadows)`);
      }
      continue;
    }
    if (rect.right > edge) found.push(`${name(el)} is ${Math.round(rect.right - edge)} px wider than its column`);
  }
  return Array.from(new Set(found));
}"""


@pytest.fixture(scope="module", params=["phone", "desktop"])
def tab(request, browser):
    if request.param == "phone":
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.desktop = request.param == "desktop"
    yield page
    context.close()


@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith("sources/")], ids=lambda p: p or "home")
def test_nothing_is_wider_than_its_column_or_cut_off(path, server, tab):
    tab.goto(server + path, wait_until="networkidle")
    tab.wait_for_function(WIDGETS_MOUNTED)
    tab.wait_for_timeout(100)
    found = tab.evaluate(OVERFLOWS, tab.desktop)
    width = DESKTOP["width"] if tab.desktop else PHONE["width"]
    assert not found, f"/{path} at {width} px:\n" + "\n".join(found)


# --- the check itself, on a page written here -----------------------------------------------

TINY = """<!doctype html><html><body><div class="md-content__inner" style="width:300px">
<article><h2 id="a">A</h2>
<div style="overflow-x:auto"><table id="ok"><tr><td style="min-width:500px">wide, scrolls</td></tr></table></div>
<h2 id="b">B</h2><table id="wide"><tr><td style="min-width:500px">wide, sticks out</td></tr></table>
<h2 id="c">C</h2><div style="overflow:hidden"><table><tr><td style="min-width:500px">cut</td></tr></table></div>
</article></div></body></html>"""


def test_the_check_tells_scrolling_from_sticking_out_and_cutting(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.set_content(TINY)
        phone, desktop = page.evaluate(OVERFLOWS, False), page.evaluate(OVERFLOWS, True)
    finally:
        context.close()
    assert [p.split(" under ")[1].split(" ")[0] for p in phone] == ["#a", "#b", "#c"]
    assert "no cue" in phone[0] and "wider than its column" in phone[1] and "cut off" in phone[2]
    assert any("needs scrolling" in p and "#a" in p for p in desktop)
