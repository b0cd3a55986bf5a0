"""Results of many snippets: reuse what the cache holds, run the rest in parallel."""
import concurrent.futures
import dataclasses
import json
import multiprocessing
import os

from pipeline.discovery import snippet_file, snippet_files
from pipeline.keys import content_key
from pipeline.paths import CACHE_DIR
from pipeline.running import Figure, Result, run

_memory = {}  # name -> Result; spares the disk during `mkdocs serve`


def build(names=None, use_cache=True):
    """Results of the named snippets (all by default), in the order given.

    Cached results are reused; the others run, in parallel worker processes when there
    are several (a clean build), in this process when there is one (an edit under serve)."""
    files = snippet_files()
    names = list(names or sorted(files))
    results = {}
    if use_cache:
        for name in names:
            hit = cached(name, content_key(snippet_file(name, files)))
            if hit is not None:
                results[name] = hit
    stale = [name for name in names if name not in results]
    for result in _run_all(stale):
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


def _run_all(names):
    workers = min(len(names), os.cpu_count() or 1)
    if workers <= 1:
        return [run(name) for name in names]
    # Longest first (by their last known time) so the slowest snippet starts at once.
    order = sorted(names, key=lambda n: -_last_seconds(n))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state shared
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(run, order))


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
    data["figures"] = {fid: Figure(**fig) for fid, fig in data["figures"].items()}
    return Result(**data)


def _write_cache(result):
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    data = dict(vars(result), cached=False)
    data["figures"] = {fid: vars(fig) for fid, fig in result.figures.items()}
    tmp = _cache_file(result.name).with_suffix(f".{os.getpid()}.tmp")  # concurrent builds never share it
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(_cache_file(result.name))
