"""A core page's main line, the words a reader meets without opening a folded block, is
at most 1,500 words (issue 19): the path stays short, depth folds away.

The count is `tests/site/mainline.py`'s (text outside `<details>`, math, code, widgets and
their fallback sentences; a word holds a letter). `python tests/site/mainline.py site/`
prints every page's count.
"""
import importlib.util
from pathlib import Path

import pytest

# mainline.py is also a script; tests/site is no package ("site" is the standard library's)
_spec = importlib.util.spec_from_file_location("mainline", Path(__file__).with_name("mainline.py"))
mainline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mainline)
CORE, LIMIT, main_line_words = mainline.CORE, mainline.LIMIT, mainline.main_line_words

pytestmark = pytest.mark.site


@pytest.mark.parametrize("page", CORE)
def test_a_core_pages_main_line_is_at_most_the_limit(site, page):
    words = main_line_words((site / page / "index.html").read_text(encoding="utf-8"))
    assert words <= LIMIT, (f"{page}: its main line is {words:,} words, over the limit of {LIMIT:,} "
                            f"by {words - LIMIT:,}; fold proofs, conventions and audit detail into "
                            "`???` blocks or move them to a reference page")


# --- the count itself, on a tiny page ------------------------------------------------------


def test_the_count_leaves_out_folded_blocks_math_code_and_widgets():
    page = ("<html><body><article><h1>Title here</h1><p>Two words 3.5 and 10 seeds.</p>"
            "<details><summary>Hidden</summary><p>many folded words</p></details>"
            '<div class="arithmatex"><span class="katex">x plus y</span></div><pre>code words</pre>'
            '<div class="sw-widget">Play Pause</div><p class="sw-fallback">No script</p>'
            '<a class="headerlink">¶</a></article></body></html>')
    # "Title here" (2) + "Two words ... and ... seeds." (4): numbers are not words
    assert main_line_words(page) == 6
