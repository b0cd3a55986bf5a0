"""Results of many snippets: reuse what the cache holds, run the rest in worker processes,
each under a time limit."""
import dataclasses
import json
import os

from pipeline.discovery import snippet_file, snippet_files
from pipeline.keys import content_key
from pipeline.paths import CACHE_DIR
from pipeline.running import Result
from pipeline.workers import Workers

_memory = {}  # name -> Result; spares the disk during `mkdocs serve`


def build(names=None, use_cache=True, workers=None):
    """Results of the named snippets (all by default), in the order given.

    Cached results are reused; the others run in worker processes (pipeline/workers.py),
    each under its time limit: `workers`, if given, is a `Workers` kept between builds
    (warm under `mkdocs serve`), else one is started for this build and stopped after."""
    files = snippet_files()
    names = list(names or sorted(files))
    results = {}
    if use_cache:
        for name in names:
            hit = cached(name, content_key(snippet_file(name, files)))
            if hit is not None:
                results[name] = hit
    stale = [name for name in names if name not in results]
    for result in _run_all(stale, workers):
        results[result.name] = result
        if use_cache:
            _write_cache(result)
            _memory[result.name] = result
    return {name: results[name] for name in names}


def load_or_run(name, use_cache=True):
    """The snippet's result: from the cache when its content key matches, else run it."""
    return build([name], use_cache)[name]


def cached(name, key):
    """The snippet's cached result if its content key still matches, else None."""
    hit = _memory.get(name)
    if hit is None or hit.key != key:
        hit = _read_cache(name, key)
    if hit is None:
        return None
    _memory[name] = hit
    return dataclasses.replace(hit, cached=True)


def status_line(result):
    """One line for the build log: ran or cached, and how long."""
    if result.cached:
        return f"{result.path}: cached (ran in {result.seconds:.2f} s when computed)"
    return f"{result.path}: ran in {result.seconds:.2f} s"


def _run_all(names, workers=None):
    if not names:
        return []
    # Longest first (by their last known time) so the slowest snippet starts at once.
    order = sorted(names, key=lambda n: -_last_seconds(n))
    if workers is not None:
        return workers.run(order)
    with Workers(min(len(names), os.cpu_count() or 1)) as own:
        return own.run(order)


def _last_seconds(name):
    try:
        return json.loads(_cache_file(name).read_text(encoding="utf-8"))["seconds"]
    except (OSError, ValueError, KeyError):
        return 0.0


def _cache_file(name):
    return CACHE_DIR / f"{name}.json"


def _read_cache(name, key):
    try:
        data = json.loads(_cache_file(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key:
        return None
    return Result.from_dict(data)


def _write_cache(result):
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    data = dict(result.as_dict(), cached=False)
    tmp = _cache_file(result.name).with_suffix(f".{os.getpid()}.tmp")  # concurrent builds never share it
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(_cache_file(result.name))
