"""What a reader should know before reading a page (issue 19, item 9), for the template.

- `reading_minutes`: the page's main line (its text outside folded blocks, math, code and
  widgets) at READING_SPEED words a minute, and `folded_minutes` the same for the text
  folded in `<details>`; counted from the page's HTML, never typed.
- `updated`: the date of the site's last commit (SOURCE_DATE_EPOCH, which the plugin sets
  from git before the build, as the sitemap's dates): the same on every build of one
  commit, also of a copy without its history given the same SOURCE_DATE_EPOCH (the
  byte-identity test builds one). A date per page, from `git log -- <page>`, differed there.

overrides/main.html shows them, with the page's front matter `assumes:` (a notebook's is
`jupyter: assumes:` in its jupytext header, which jupytext keeps as notebook metadata), under the page's title, and puts the page's address, `updated` and the licence in the printed footer.
"""
import datetime
import math
import os
import re

import yaml

from bs4 import BeautifulSoup
from mkdocs.plugins import event_priority

from pipeline.paths import ROOT

READING_SPEED = 200  # words a minute: a careful reading of technical prose
FOLDED = "details, .arithmatex, .katex, pre, code, .sw-widget, .sw-fallback, .headerlink, script, style"
WORD = re.compile(r"\S*[^\W\d_]\S*")  # a run of non-space characters with a letter in it


def words(soup):
    return len(WORD.findall(soup.get_text(" ")))


def minutes(count):
    return max(1, math.ceil(count / READING_SPEED)) if count else 0


def site_date():
    """YYYY-MM-DD of SOURCE_DATE_EPOCH, or None when it is unset or 0 (no history)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit() or int(epoch) == 0:
        return None
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()


def notebook_header(source):
    """The YAML header of a jupytext percent script (`# ---` lines at its top), or {}."""
    lines = source.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "# ---":
        return {}
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "# ---"), None)
    if end is None:
        return {}
    return yaml.safe_load("\n".join(line.removeprefix("#").removeprefix(" ") for line in lines[1:end])) or {}


@event_priority(-200)  # after hooks/math.py has taken its plain-text copies of formulas (for search) out again
def on_page_context(context, page, config, nav):
    source = ROOT / config["docs_dir"] / page.file.src_uri
    if not source.is_file():  # a generated page (a snippet's source, the provenance list): no reading path
        return context
    soup = BeautifulSoup(page.content, "html.parser")
    folded = sum(words(details) for details in soup.select("details") if details.find_parent("details") is None)
    for node in soup.select(FOLDED):
        node.decompose()
    page.meta["reading_minutes"] = minutes(words(soup))
    page.meta["folded_minutes"] = minutes(folded)
    page.meta["updated"] = site_date()
    if source.suffix == ".py" and "assumes" not in page.meta:
        page.meta["assumes"] = (notebook_header(source).get("jupyter") or {}).get("assumes")
    return context
