"""Which tests cover which values: `@pytest.mark.covers(snippet, value, ...)` markers."""
import ast
from functools import cache
from pathlib import Path

from pipeline.discovery import version_of
from pipeline.paths import ROOT, TEST_DIR


def covering_tests():
    """Map 'snippet.value' to the ids of the tests whose covers marker names it.

    Each test file is parsed once per version of it: `mkdocs serve` asks on every rebuild."""
    covers = {}
    for file in sorted(TEST_DIR.rglob("test_*.py")):
        for test_id, snippet, names in _markers(*version_of(file)):
            for value in names:
                covers.setdefault(f"{snippet}.{value}", []).append(test_id)
    return covers


@cache
def _markers(path, mtime_ns, size):
    file = Path(path)
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=path)
    found = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for snippet, names in _covers_markers(fn):
                found.append((f"{file.relative_to(ROOT).as_posix()}::{fn.name}", snippet, tuple(names)))
    return tuple(found)


def _covers_markers(fn):
    for deco in fn.decorator_list:
        if isinstance(deco, ast.Call) and ast.unparse(deco.func).endswith("mark.covers"):
            args = [a.value for a in deco.args if isinstance(a, ast.Constant)]
            if args:
                yield args[0], args[1:]
