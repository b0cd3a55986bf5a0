"""The one way in from MkDocs: hooks/site.py builds here once per MkDocs build, and
hooks/macros.py reads the same results (no second build, no second cache lookup)."""
from pipeline import render
from pipeline.building import build as _build

results = {}  # name -> Result of the current build


def build():
    """Build every snippet (cached by content) for a new MkDocs build; forget the pages
    of the last one (under `mkdocs serve`, a deleted snippet must disappear)."""
    render.PAGES.reset()
    results.clear()
    results.update(_build())
    return results
