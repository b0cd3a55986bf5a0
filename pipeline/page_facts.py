"""What a reader should know before reading a page (issue 19, item 9), for the template:
the plugin (pipeline/plugin.py) puts `facts(...)` into each page's template context as
`page_facts`, and overrides/main.html reads them from there.

- `reading_minutes`: the page's main line (its text outside folded blocks, math, code and
  widgets) at READING_SPEED words a minute, and `folded_minutes` the same for the text
  folded in `<details>`; counted from the page's HTML, never typed.
- `updated`: the date of the site's last commit (SOURCE_DATE_EPOCH, which the plugin sets
  from git before the build, as the sitemap's dates): the same on every build of one
  commit, also of a copy without its history given the same SOURCE_DATE_EPOCH (the
  byte-identity test builds one). A date per page, from `git log -- <page>`, differed there.
- `assumes`: the page's front matter `assumes:` (a notebook's is `jupyter: assumes:` in its
  jupytext header, which jupytext keeps as notebook metadata).

overrides/main.html shows them under the page's title, and puts the page's address,
`updated` and the licence in the printed footer.
"""
import datetime
import math
import os
import re

import yaml

from bs4 import BeautifulSoup

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


def reading_minutes(content):
    """(minutes for the main line, minutes for the folded text) of a page whose HTML is
    `content` (without the hidden search text of formulas, pipeline/typeset.py)."""
    soup = BeautifulSoup(content, "html.parser")
    folded = sum(words(details) for details in soup.select("details") if details.find_parent("details") is None)
    for node in soup.select(FOLDED):
        node.decompose()
    return minutes(words(soup)), minutes(folded)


def facts(content, source, meta, reading=reading_minutes):
    """The facts of a page whose HTML is `content`, whose file is `source` and whose front
    matter is `meta`; {} for a generated page (a snippet's source, the provenance list): no
    reading path. `reading` counts the minutes (the plugin passes a memo of reading_minutes)."""
    if not source.is_file():
        return {}
    assumes = meta.get("assumes")
    if source.suffix == ".py" and "assumes" not in meta:
        assumes = (notebook_header(source).get("jupyter") or {}).get("assumes")
    main, folded = reading(content)
    return {"reading_minutes": main, "folded_minutes": folded, "updated": site_date(), "assumes": assumes}
