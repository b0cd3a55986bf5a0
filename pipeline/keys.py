"""The content key a snippet's result is cached on.

It hashes the snippet's source, every project module it imports (transitively), the
data files they record, the code that runs snippets (`running.py`), and the versions of
Python and of the third-party packages those files import. A prose edit therefore reruns
nothing, and an edit to a shared module reruns exactly the snippets that import it.
"""
import hashlib
import importlib.metadata
import sys
from functools import cache
from pathlib import Path

from pipeline.discovery import data_files, imported_modules, project_imports, version_of
from pipeline.paths import PACKAGE, ROOT

RUNNER = Path(__file__).with_name("running.py")  # how values and figures are made


def content_key(path):
    """Hash of everything the result of running the file at `path` depends on."""
    code = {Path(path), RUNNER, *project_imports(path)}
    files = sorted(code | {data for file in code for data in data_files(file)})
    return _digest(tuple(version_of(file) for file in files), tuple(sorted(code)))


@cache
def _digest(file_versions, code):
    """content_key's hash, once per version of the files (a rebuild asks for every key)."""
    digest = hashlib.sha256()
    for path, _, _ in file_versions:
        file = Path(path)
        digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    digest.update(_versions(code).encode())
    return digest.hexdigest()


def _versions(files):
    """Python's version and that of every third-party package the files import."""
    top_level = {m.split(".")[0] for f in files for m in imported_modules(f)}
    third_party = sorted(top_level - set(sys.stdlib_module_names) - {PACKAGE, "pipeline"})
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


def code_key(path):
    """Hash of a script and the project code it imports, without the snippet runner: what a
    benchmark records next to its measurements, so a test can tell when they went stale."""
    code = {Path(path).resolve(), *project_imports(path)}
    return _digest(tuple(version_of(file) for file in sorted(code)), tuple(sorted(code)))
