"""The layout check: nothing is wider than its column, and nothing is cut off (issue 19, item 6).

In Chromium, with every folded block opened and the widgets mounted, for every formula
(`.katex-display`), table (generated, Markdown or a widget's), image and SVG drawing:

- **on a phone (390 px)** it fits its text column, or it sits in a box of its own that
  scrolls sideways (`overflow-x: auto`), that box fits the column (Material runs it to the
  screen's edges by a negative margin, which counts as the column) and shows that it
  scrolls (the shadows of site.css: a formula cut at the screen's edge read as cut off);
- **on a desktop (1280 px)** it fits its column and nothing needs to scroll: no such box
  is narrower than its content (the calculator's table showed half its "start" column
  and no ✕ buttons);
- at both widths, no box that hides overflow (`overflow: hidden` or `clip`) cuts it, and
  the page itself never scrolls sideways (whatever sticks out: a long word, a code line).

tests/site/test_browser.py runs OVERFLOWS on every page it visits, last (it opens the folded
blocks): the light palette on a desktop, the dark one on a phone (SCREENS there).
tests/site/test_layout.py checks the check on a page written by hand.
"""

# The two screens of every browser test (a phone and a desktop), named here once.
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
  const sideways = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (sideways > 0) found.push(`the page scrolls sideways by ${sideways} px`);
  return Array.from(new Set(found));
}"""
