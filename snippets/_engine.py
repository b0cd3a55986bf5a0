"""Run the snippets, cache their results by content, export their values and figures.

Plain Python with no MkDocs in it: `python -m snippets`, `python snippets/<name>.py`,
the tests and the MkDocs hooks all come through here. A snippet's cache key hashes
its own source, every project module it imports (transitively), this engine, and the
versions of Python and of the third-party packages those files import. A prose edit
therefore reruns nothing, and an edit to a shared module reruns exactly the snippets
that import it.
"""
import ast
import concurrent.futures
import dataclasses
import hashlib
import importlib
import importlib.metadata
import inspect
import io
import json
import multiprocessing
import os
import sys
import time
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import threadpoolctl

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "snippets"
SNIPPET_DIR = ROOT / PACKAGE
TEST_DIR = ROOT / "tests"
CACHE_DIR = ROOT / ".cache" / "snippets"
THEMES = ("light", "dark")
FIGURE_PREFIX = "figure_"


class SnippetError(Exception):
    """A snippet is broken; the message names the snippet and what went wrong."""


@dataclass
class Figure:
    id: str
    alt: str
    svg: dict  # theme name -> SVG text


@dataclass
class Result:
    name: str
    title: str
    summary: str
    values: dict
    figures: dict
    key: str
    seconds: float  # how long compute and drawing took when the snippet last ran
    cached: bool = False

    @property
    def path(self):
        return f"{PACKAGE}/{self.name}.py"


# --- discovery and dependencies ----------------------------------------------------


def discover():
    """Names of all snippets: the modules of `snippets/` not starting with `_`."""
    return sorted(p.stem for p in SNIPPET_DIR.glob("*.py") if not p.stem.startswith("_"))


def snippet_file(name):
    path = SNIPPET_DIR / f"{name}.py"
    if not path.is_file():
        raise SnippetError(f"no snippet named {name!r} (expected {path.relative_to(ROOT)})")
    return path


def project_imports(path):
    """The project files that the Python file at `path` imports, directly or not."""
    seen, todo = set(), [Path(path)]
    while todo:
        for module in _imported_modules(todo.pop()):
            for dep in _module_files(module):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
    return seen


def _imported_modules(file):
    return _parsed(*_version_of(file))[0]


def _version_of(file):
    """(path, mtime, size): what the parse cache below is keyed on."""
    stat = Path(file).stat()
    return str(file), stat.st_mtime_ns, stat.st_size


@cache
def _parsed(path, mtime_ns, size):
    """The modules a file imports and the names in its `DATA = [...]`, parsed once per
    version of the file: `mkdocs serve` computes every snippet's content key on every
    rebuild, and parsing and walking the same sources again took seconds."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    data = next((ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", None) == "DATA" for t in node.targets)), [])
    return tuple(modules), tuple(data)


def _module_files(module):
    """The files that importing `module` executes, if it is one of ours."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return []
    files = []
    for depth in range(1, len(parts) + 1):
        base = ROOT.joinpath(*parts[:depth])
        if (base / "__init__.py").is_file():
            files.append(base / "__init__.py")
        elif base.with_suffix(".py").is_file():
            files.append(base.with_suffix(".py"))
    return files


def data_files(path):
    """Files named in a module-level `DATA = ["relative/path", ...]` of the file at `path`:
    recorded inputs (a benchmark's measurements, say) that a snippet reads."""
    names = _parsed(*_version_of(path))[1]
    missing = [n for n in names if not (ROOT / n).is_file()]
    if missing:
        raise SnippetError(f"{Path(path).relative_to(ROOT)}: DATA names missing files {missing}")
    return [ROOT / n for n in names]


def content_key(path):
    """Hash of everything the result of running the file at `path` depends on."""
    code = {Path(path), Path(__file__), *project_imports(path)}
    files = sorted(code | {data for file in code for data in data_files(file)})
    return _digest(tuple(_version_of(file) for file in files), tuple(sorted(code)))


@cache
def _digest(file_versions, code):
    """content_key's hash, once per version of the files (both hooks ask for every key)."""
    digest = hashlib.sha256()
    for path, _, _ in file_versions:
        file = Path(path)
        digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    digest.update(_versions(code).encode())
    return digest.hexdigest()


def _versions(files):
    """Python's version and that of every third-party package the files import."""
    top_level = {m.split(".")[0] for f in files for m in _imported_modules(f)}
    third_party = sorted(top_level - set(sys.stdlib_module_names) - {PACKAGE})
    versions = [f"python {sys.version.split()[0]}"]
    for module in third_party:
        versions += [f"{dist} {_version(dist)}" for dist in _distributions().get(module, [module])]
    return "\n".join(versions)


@cache
def _version(dist):
    """An installed distribution's version, read once per process (installing a package
    means restarting `mkdocs serve`)."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


@cache
def _distributions():
    return importlib.metadata.packages_distributions()


# --- running one snippet -------------------------------------------------------------


def run(name):
    """Run a snippet afresh: compute its values and draw its figures.

    BLAS runs on one thread, so the values never depend on how many cores computed them
    (a multi-threaded matrix product may sum in another order)."""
    with threadpoolctl.threadpool_limits(limits=1):
        return _run(name)


def _run(name):
    path = snippet_file(name)
    key = content_key(path)
    start = time.perf_counter()
    module = _fresh_import(name)
    title, summary = _header(module, path)
    raw = _call(name, "compute()", module.compute)
    if not isinstance(raw, dict):
        raise SnippetError(f"{path.relative_to(ROOT)}: compute() must return a dict, got {type(raw).__name__}")
    values = {k: plain(name, k, v) for k, v in raw.items() if not k.startswith("_")}
    figures = {fid: _draw(name, fid, fn, raw) for fid, fn in _figure_functions(module)}
    seconds = time.perf_counter() - start
    return Result(name, title, summary, values, figures, key, seconds)


def _fresh_import(name):
    """Import the snippet with fresh copies of our modules, so edits are seen."""
    for module in [m for m in sys.modules if m.startswith(f"{PACKAGE}.") and not m.startswith(f"{PACKAGE}._")]:
        del sys.modules[module]  # snippets and snippets.lib.*; the engine's own modules stay
    try:
        return importlib.import_module(f"{PACKAGE}.{name}")
    except Exception:
        raise SnippetError(f"{PACKAGE}/{name}.py failed to import:\n{traceback.format_exc()}") from None


def _header(module, path):
    doc = inspect.getdoc(module)
    if not doc or not hasattr(module, "compute"):
        raise SnippetError(f"{path.relative_to(ROOT)}: a snippet needs a docstring (title, then one sentence) and compute()")
    title, _, rest = doc.partition("\n")
    return title.strip(), " ".join(rest.split())


def _call(name, what, fn, *args):
    try:
        return fn(*args)
    except Exception:
        raise SnippetError(f"{PACKAGE}/{name}.py: {what} raised:\n{traceback.format_exc()}") from None


def plain(name, key, value):
    """A value as plain JSON-able Python; anything else is an error naming it."""
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # numpy scalar
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise SnippetError(f"{PACKAGE}/{name}.py: value {key!r} is not finite ({value})")
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, dict) for v in value) and value:
        return [{str(c): plain(name, f"{key}[{i}].{c}", v) for c, v in row.items()} for i, row in enumerate(value)]
    if isinstance(value, (tuple, list)):
        return [plain(name, f"{key}[{i}]", v) for i, v in enumerate(value)]
    if value is None:
        return None
    raise SnippetError(
        f"{PACKAGE}/{name}.py: value {key!r} has type {type(value).__name__}; "
        "values are numbers, strings, shapes or tables (prefix private data with '_')"
    )


def _figure_functions(module):
    for attr, fn in sorted(vars(module).items()):
        if attr.startswith(FIGURE_PREFIX) and callable(fn) and fn.__module__ == module.__name__:
            yield attr.removeprefix(FIGURE_PREFIX), fn


def _draw(name, fid, fn, values):
    alt = inspect.getdoc(fn)
    if not alt:
        raise SnippetError(f"{PACKAGE}/{name}.py: {fn.__name__} needs a docstring; it is the figure's alt text")
    style = importlib.import_module(f"{PACKAGE}.lib.style")
    svg = {}
    for theme in THEMES:
        with style.use(theme):
            fig = _call(name, f"{fn.__name__}() in the {theme} style", fn, values)
            svg[theme] = _svg(fig, salt=f"{name}.{fid}")
    return Figure(fid, " ".join(alt.split()), svg)


def _svg(fig, salt):
    """Deterministic SVG text: fixed id salt, no date."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


# --- the cache ------------------------------------------------------------------------

_memory = {}  # name -> Result; spares the disk during `mkdocs serve`


def cached(name, key):
    """The snippet's cached result if its content key still matches, else None."""
    hit = _memory.get(name)
    if hit is None or hit.key != key:
        hit = _read_cache(name, key)
    if hit is None:
        return None
    _memory[name] = hit
    return dataclasses.replace(hit, cached=True)


def load_or_run(name, use_cache=True):
    """The snippet's result: from the cache when its content key matches, else run it."""
    return build([name], use_cache)[name]


def build(names=None, use_cache=True):
    """Results of the named snippets (all by default), in the order given.

    Cached results are reused; the others run, in parallel worker processes when there
    are several (a clean build), in this process when there is one (an edit under serve)."""
    names = list(names or discover())
    results = {}
    if use_cache:
        for name in names:
            hit = cached(name, content_key(snippet_file(name)))
            if hit is not None:
                results[name] = hit
    stale = [name for name in names if name not in results]
    for result in _run_all(stale):
        results[result.name] = result
        if use_cache:
            _write_cache(result)
            _memory[result.name] = result
    return {name: results[name] for name in names}


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


def status_line(result):
    """One line for the build log: ran or cached, and how long."""
    if result.cached:
        return f"{result.path}: cached (ran in {result.seconds:.2f} s when computed)"
    return f"{result.path}: ran in {result.seconds:.2f} s"


# --- what covers what -------------------------------------------------------------------


def covering_tests():
    """Map 'snippet.value' to the tests marked `@pytest.mark.covers(snippet, value, ...)`."""
    covers = {}
    for file in sorted(TEST_DIR.glob("test_*.py")):
        for snippet, value, test_id in _covers_in(*_version_of(file)):
            covers.setdefault(f"{snippet}.{value}", []).append(test_id)
    return covers


@cache
def _covers_in(path, mtime_ns, size):
    """(snippet, value, test id) for each `covers` marker of a test file, parsed once per
    version of the file: parsing every test file took seconds of each serve rebuild."""
    file = Path(path)
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=path)
    found = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for snippet, names in _covers_markers(fn):
                test_id = f"{file.relative_to(ROOT).as_posix()}::{fn.name}"
                found += [(snippet, value, test_id) for value in names]
    return tuple(found)


def _covers_markers(fn):
    for deco in fn.decorator_list:
        if isinstance(deco, ast.Call) and ast.unparse(deco.func).endswith("mark.covers"):
            args = [a.value for a in deco.args if isinstance(a, ast.Constant)]
            if args:
                yield args[0], args[1:]


def value_records(results, covers=None):
    """One record per value: name, raw value, default text, snippet path, tests."""
    from snippets.lib import fmt

    covers = covering_tests() if covers is None else covers
    records = []
    for result in results.values():
        for key, value in result.values.items():
            name = f"{result.name}.{key}"
            records.append({
                "name": name,
                "value": value,
                "text": None if isinstance(value, list) and value and isinstance(value[0], dict) else fmt.text(value),
                "snippet": result.path,
                "tests": covers.get(name, []),
            })
    return records


# --- the command line ---------------------------------------------------------------------


def show(file):
    """`python snippets/<name>.py`: run the snippet, print its values, write its figures."""
    from snippets.lib import fmt

    result = run(Path(file).stem)
    print(f"{result.title}  ({result.path}, {result.seconds:.2f} s)\n")
    width = max((len(k) for k in result.values), default=0)
    for key, value in result.values.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            print(f"{key:<{width}}  table of {len(value)} rows:")
            for row in value:
                print(" " * (width + 4) + " | ".join(fmt.text(v) if v is not None else "" for v in row.values()))
        else:
            print(f"{key:<{width}}  {fmt.text(value)}")
    for path in write_figures({result.name: result}, ROOT / "build" / "figures"):
        print(f"figure: {path.relative_to(ROOT)}")


def write_figures(results, out_dir):
    """Write every figure as <out_dir>/<snippet>/<id>.<theme>.svg; return the paths."""
    paths = []
    for result in results.values():
        for fig in result.figures.values():
            for theme, svg in fig.svg.items():
                path = Path(out_dir) / result.name / f"{fig.id}.{theme}.svg"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(svg, encoding="utf-8")
                paths.append(path)
    return paths
