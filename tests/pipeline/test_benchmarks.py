"""The benchmarks' floor, a bare Material build of the site's Markdown (no plugin, no
hooks, no templates of ours), still builds: `make bench` broke unnoticed once when the
templates came to read the plugin's page facts. Both benchmarks take that floor from
one place, `serve_edit.bare_config`; the build_times case below builds it."""
import importlib.util

import pytest

from conftest import ROOT


def benchmark(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_build_times_bare_build_runs():
    assert benchmark("build_times").measure("bare") > 0  # exits naming the failure otherwise
