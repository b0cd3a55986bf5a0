"""Whole builds: deterministic output, and notebooks that follow the modules they import."""
import functools
import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, build_project, make_project, mkdocs_build, project_path
from pipeline import render
from pipeline.discovery import discover

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


# Two clean builds give the same bytes. Proved in two halves, without a second run of every
# snippet (a clean build is ~35 CPU-seconds, and the session has run each snippet already):
# every snippet run afresh in-process gives the values and figure files the site has, and a
# build of a copy that reuses the session build's snippet results, everything else (notebooks,
# formulas, pages, search index, sitemap) done afresh, gives the session's site to the byte.


@pytest.mark.site
@pytest.mark.parametrize("name", discover())
def test_a_fresh_run_of_the_snippet_gives_the_values_and_figures_the_site_has(name, site, snippet_runs):
    """The session's own run of the snippet (in this process, not in a build's worker;
    tests/snippet_runs.py) against values.json and the figure files of the build."""
    result = snippet_runs(name).result
    shown = {r["name"].partition(".")[2]: r["value"] for r in site_values(site) if r["name"].partition(".")[0] == name}
    assert shown == result.values  # JSON on both sides: floats to the last bit, tables row by row
    drawn = {render.figure_file(name, figure.id, theme): svg for figure in result.figures.values()
             for theme, svg in figure.svg.items()}
    in_site = {path.relative_to(site).as_posix() for path in (site / render.FIGURES / name).glob("*.svg")}
    assert in_site == set(drawn)
    different = [path for path, svg in drawn.items() if (site / path).read_text(encoding="utf-8") != svg]
    assert not different, f"{name}: figures that differ from the site's: {different}"


def copy_env(project_copy):
    """A build of a copy: its own code first, and the session's commit date (the copy has no
    git history; the sitemap's dates come from the same commit as the session's)."""
    commit_time = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout.strip()
    return {"PYTHONPATH": project_path(project_copy), "SOURCE_DATE_EPOCH": commit_time or "0"}


@functools.cache
def site_values(site):
    return json.loads((site / "values.json").read_text(encoding="utf-8"))


@pytest.mark.site
def test_a_build_reusing_the_snippet_results_is_byte_identical_to_the_session_build(site, project_copy):
    """A copy of the project, given the snippet results of the session's build (.cache/snippets:
    the session's build is a clean one on a fresh clone, as in CI) and nothing else of its
    caches, must build the session's site to the byte: nothing depends on time, on the order
    workers finish, on the folder or on the caches."""
    shutil.copytree(ROOT / ".cache" / "snippets", project_copy / ".cache" / "snippets")
    build = mkdocs_build(project_copy / "mkdocs.yml", project_copy / "again", env=copy_env(project_copy))
    assert build.returncode == 0, build.stderr[-3000:]
    snippet_lines = [line for line in build.stderr.splitlines() if " snippets/" in line and ".py: " in line]
    assert len(snippet_lines) == len(discover()) and all(": cached (" in line for line in snippet_lines), snippet_lines
    assert "Cache hit" not in build.stderr  # the notebooks ran again
    assert differing_files(site, project_copy / "again") == []


GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.mark.site
def test_properdocs_builds_the_same_site_but_its_name(site, project_copy):
    """ProperDocs 1.6.7, the maintained fork of MkDocs 1.x (MkDocs 1.6.1 is the last 1.x),
    builds the session's site to the byte but the generator tag: switching is `properdocs`
    (pinned in requirements.txt) wherever `mkdocs` runs. Given all the session's caches
    (snippets, notebooks, formulas), so it costs a few seconds."""
    for cache in (ROOT / ".cache").iterdir():
        shutil.copytree(cache, project_copy / ".cache" / cache.name)
    build = mkdocs_build(project_copy / "mkdocs.yml", project_copy / "proper", env=copy_env(project_copy), tool="properdocs")
    assert build.returncode == 0, build.stderr[-3000:]
    differing = differing_files(site, project_copy / "proper")
    named = [f for f in differing if f.endswith(".html")
             and GENERATOR.sub(b"", (site / f).read_bytes()) == GENERATOR.sub(b"", (project_copy / "proper" / f).read_bytes())]
    assert named, "no page names its generator: the comparison reads the wrong files"
    assert [f for f in differing if f not in named] == []


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
