"""What a reader should know before reading a page (issue 19, item 9), for the template.

- `reading_minutes`: the page's main line (its text outside folded blocks, math, code and
  widgets) at READING_SPEED words a minute, and `folded_minutes` the same for the text
  folded in `<details>`; counted from the page's HTML, never typed.
- `updated`: the date of the last commit that changed the page's source (git log), the
  same on every build of one commit; none outside a git checkout.

overrides/main.html shows them, with the page's front matter `assumes:` (a notebook's is
`jupyter: assumes:` in its jupytext header, which jupytext keeps as notebook metadata), under the page's title, and puts the page's address, `updated` and the licence in the printed footer.
"""
import math
import re
import subprocess

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


def last_commit_date(path):
    """YYYY-MM-DD of the last commit that changed `path`, or None."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


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
    page.meta["updated"] = last_commit_date(source)
    if source.suffix == ".py" and "assumes" not in page.meta:
        page.meta["assumes"] = (notebook_header(source).get("jupyter") or {}).get("assumes")
    return context
