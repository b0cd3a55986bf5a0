"""Which snippets exist, and what each one's result depends on.

A snippet is `snippets/<topic>/<stem>.py` (a stem not starting with `_`); its name, the
one pages use (`{{ <topic>_<stem>.value }}`), is `<topic>_<stem>`.
"""
import ast
from functools import cache
from pathlib import Path

from pipeline.paths import LIB, PACKAGE, ROOT, SNIPPET_DIR


class SnippetError(Exception):
    """A snippet is broken; the message names the snippet and what went wrong."""


def topics():
    """The topic packages: folders of snippets/ with an __init__.py, except lib/."""
    return sorted(p.parent.name for p in SNIPPET_DIR.glob("*/__init__.py") if p.parent.name != LIB)


def snippet_files():
    """{name: path} of every snippet (one look at the folders: ask once per build)."""
    return {f"{topic}_{path.stem}": path for topic in topics()
            for path in sorted((SNIPPET_DIR / topic).glob("*.py")) if not path.stem.startswith("_")}


def discover():
    """Names of all snippets, sorted."""
    return sorted(snippet_files())


def snippet_file(name, files=None):
    """The path of the named snippet; `files`, if given, is a `snippet_files()` already made."""
    path = (snippet_files() if files is None else files).get(name)
    if path is None:
        topic, _, stem = name.partition("_")
        raise SnippetError(f"no snippet named {name!r} (expected {PACKAGE}/{topic}/{stem}.py)")
    return path


def name_of(path):
    """The snippet name of the file at `path` (snippets/<topic>/<stem>.py)."""
    path = Path(path).resolve()
    return f"{path.parent.name}_{path.stem}"


def module_of(name):
    """The import name of a snippet: snippets.<topic>.<stem>."""
    path = snippet_file(name)
    return f"{PACKAGE}.{path.parent.name}.{path.stem}"


def project_imports(path):
    """The project files that the Python file at `path` imports, directly or not."""
    seen, todo = set(), [Path(path)]
    while todo:
        for module in imported_modules(todo.pop()):
            for dep in _module_files(module):
                if dep not in seen:
                    seen.add(dep)
                    todo.append(dep)
    return seen


def imported_modules(file):
    """The module names a file imports (absolute imports, anywhere in the file)."""
    return _parsed(*version_of(file))[0]


def version_of(file):
    """(path, mtime, size): what the parse cache below is keyed on."""
    stat = Path(file).stat()
    return str(file), stat.st_mtime_ns, stat.st_size


@cache
def _parsed(path, mtime_ns, size):
    """The modules a file imports and the names in its `DATA = [...]`, parsed once per
    version of the file: `mkdocs serve` computes every snippet's content key on every
    rebuild, and parsing the same sources again took seconds."""
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
    names = _parsed(*version_of(path))[1]
    missing = [n for n in names if not (ROOT / n).is_file()]
    if missing:
        raise SnippetError(f"{Path(path).relative_to(ROOT)}: DATA names missing files {missing}")
    return [ROOT / n for n in names]
