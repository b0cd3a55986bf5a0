"""The benchmarks' floor, a bare Material build of the site's Markdown (no plugin, no
hooks, no templates of ours), still builds: `make bench` broke unnoticed once when the
templates came to read the plugin's page facts."""
import importlib.util

import pytest

from conftest import ROOT, mkdocs_build


def benchmark(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_build_times_bare_build_runs():
    assert benchmark("build_times").measure("bare") > 0  # exits naming the failure otherwise


@pytest.mark.slow
def test_serve_edit_bare_config_builds(project_copy):
    config = project_copy / benchmark("serve_edit").bare_config(project_copy)
    built = mkdocs_build(config, project_copy / "bare-site")
    # the dangling links to the generated pages make the strict build abort at its end; a page error must not happen
    assert "Error building page" not in built.stderr and "Traceback" not in built.stderr, built.stderr[-3000:]
    assert (project_copy / "bare-site" / "index.html").is_file(), built.stderr[-3000:]
