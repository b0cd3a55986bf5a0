"""The one way in from MkDocs: hooks/site.py builds here once per MkDocs build, and
hooks/macros.py reads the same results (no second build, no second cache lookup)."""
from pipeline import render
from pipeline.building import build as _build
from pipeline.discovery import SnippetError
from pipeline.workers import Workers

results = {}  # name -> Result of the current build
_workers = None  # under `mkdocs serve`: worker processes kept warm between rebuilds
failure = None  # under `mkdocs serve`: why the last rebuild shows the last good results


def serve():
    """Keep the snippet workers between builds (until `shutdown()`): a snippet edit then
    runs in a worker that has numpy and matplotlib loaded already."""
    global _workers
    if _workers is None:
        _workers = Workers()
        _workers.warm()


def shutdown():
    global _workers
    workers, _workers = _workers, None
    if workers is not None:
        workers.close()


def build():
    """Build every snippet (cached by content) for a new MkDocs build; forget the pages
    of the last one (under `mkdocs serve`, a deleted snippet must disappear).

    Under `mkdocs serve`, a snippet that fails after a good build does not fail the
    rebuild (MkDocs' server would then hold every request until a build succeeds): the last
    good results stand in, and `failure` holds the error for the pages to show."""
    global failure
    render.PAGES.reset()
    try:
        fresh = _build(workers=_workers)
    except SnippetError as error:
        if _workers is None or not results:
            raise
        failure = str(error)
        return results
    failure = None
    results.clear()
    results.update(fresh)
    return results
