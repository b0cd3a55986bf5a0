"""Whole builds: deterministic output, and notebooks that follow the modules they import."""
import subprocess

import pytest

from conftest import ROOT, build_project, make_project, mkdocs_build, project_path

NOTEBOOK = """# %% [markdown]
# # Reads a shared module

# %%
from snippets.lib import helper

print("answer", helper.ANSWER)
"""


def differing_files(left, right):
    """Relative paths whose bytes differ between two trees, or that exist in only one."""
    files = lambda root: {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    both, either = files(left) & files(right), files(left) ^ files(right)
    return sorted(either | {f for f in both if (left / f).read_bytes() != (right / f).read_bytes()})


@pytest.mark.site
def test_a_clean_build_is_byte_identical_to_the_session_build(site, project_copy):
    """The session's build (the one every site test reads; clean on a fresh clone, from the
    snippet cache otherwise) and a clean build of a copy of the project must not differ
    by a byte: nothing depends on time, on the order workers finish, or on the cache."""
    # The copy has no git history: its dates (the sitemap's) come from the same commit as the session's.
    commit_time = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout.strip()
    clean = mkdocs_build(project_copy / "mkdocs.yml", project_copy / "clean",
                         env={"PYTHONPATH": project_path(project_copy), "SOURCE_DATE_EPOCH": commit_time or "0"})
    assert clean.returncode == 0, clean.stderr[-3000:]
    assert "ran in" in clean.stderr and "cached" not in clean.stderr.split("Building documentation")[0]
    assert differing_files(site, project_copy / "clean") == []


@pytest.mark.slow
def test_a_notebook_reruns_when_a_module_it_imports_changes(tmp_path):
    root = make_project(tmp_path, {"index.md": "# Page\n"}, notebooks={"notebooks/reads.py": NOTEBOOK})
    (root / "snippets" / "lib" / "helper.py").write_text("ANSWER = 42\n")
    page = root / "site" / "notebooks" / "reads" / "index.html"
    assert build_project(root).returncode == 0
    assert "answer 42" in page.read_text()
    assert "Cache hit" in build_project(root).stderr  # unchanged: served from mkdocs-jupyter's cache
    (root / "snippets" / "lib" / "helper.py").write_text("ANSWER = 43\n")
    rebuilt = build_project(root)
    assert rebuilt.returncode == 0 and "Cache hit" not in rebuilt.stderr
    assert "answer 43" in page.read_text()
