"""How long a page's main line is: the words a reader meets without opening anything.

The main line is the article's text outside folded blocks (`<details>`, Material's `???`),
math, code, widgets and their no-JavaScript fallback sentences, and the permalink signs.
A word is a run of non-space characters holding at least one letter, so the numbers of a
table or a measurement do not count, their units do.

    python tests/site/mainline.py site/     # prints each page's count, core pages marked
"""
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

# The core pages: the path a learner follows. Their main line stays under LIMIT words.
CORE = ["basics", "weight-sharing-in-numbers", "weight-sharing", "parameter-arithmetic",
        "receptive-fields", "equivariance", "symmetry", "beyond-convolutions", "statistical-efficiency"]
LIMIT = 1500
FOLDED = ("details, .arithmatex, .katex, pre, code, .sw-widget, .sw-fallback, .headerlink, script, style,"
          " .sw-page-facts, .sw-print-footer")  # the last two: the template's notes about the page
WORD = re.compile(r"\S*[^\W\d_]\S*")


def main_line(html):
    """The main line's text of one built page."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    for node in article.select(FOLDED):
        node.decompose()
    return article.get_text(" ")


def main_line_words(html):
    return len(WORD.findall(main_line(html)))


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    for page in sorted(site.glob("*/index.html")):
        name = page.parent.name
        if name in ("sources", "provenance", "figures"):
            continue
        words = main_line_words(page.read_text(encoding="utf-8"))
        flag = ("OVER" if words > LIMIT else "ok") if name in CORE else ""
        print(f"{words:6d}  {name:32s} {flag}")
