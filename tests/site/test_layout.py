"""The layout check of tests/layout.py, on a page written here: it must tell a table that
scrolls in a box of its own from one that sticks out of its column and one that a box cuts
off (tests/site/test_browser.py runs the check on every page of the site)."""
from layout import OVERFLOWS, PHONE


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
    assert [p.split(" under ")[1].split(" ")[0] for p in phone[:3]] == ["#a", "#b", "#c"]
    assert "no cue" in phone[0] and "wider than its column" in phone[1] and "cut off" in phone[2]
    assert phone[3].startswith("the page scrolls sideways by")  # the table that sticks out, 500 px in 390
    assert any("needs scrolling" in p and "#a" in p for p in desktop)
