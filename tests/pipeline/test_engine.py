"""The pipeline: discovery, content caching, the command line, figures."""
import json
import sys

from conftest import ROOT, make_project, run_with_timeout

from pipeline.discovery import SnippetError, discover, project_imports, snippet_file
from pipeline.running import fresh_import, header, plain, run

USES_HELPER = '''"""Uses a shared helper.

Imports a module of the lib.
"""
from snippets.lib import helper


def compute():
    return {"answer": helper.ANSWER}
'''

STANDS_ALONE = '''"""Imports nothing of ours.

Returns a constant.
"""


def compute():
    return {"seven": 7}
'''


def run_python(root, *args):
    result = run_with_timeout([sys.executable, *args], cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def statuses(stdout):
    """{snippet path: 'ran' or 'cached'} from the build log."""
    return {line.split(":")[0]: line.split(": ")[1].split()[0] for line in stdout.splitlines() if line.startswith("snippets/")}


def test_cache_reruns_exactly_what_an_edit_touches(tmp_path):
    root = make_project(tmp_path, {"index.md": "# Page\n"}, extra_snippets={"demo/uses_helper": USES_HELPER, "demo/stands_alone": STANDS_ALONE})
    (root / "snippets" / "lib" / "helper.py").write_text("ANSWER = 42\n")
    first = statuses(run_python(root, "-m", "pipeline"))
    assert first == {"snippets/demo/stands_alone.py": "ran", "snippets/demo/uses_helper.py": "ran"}

    (root / "docs" / "index.md").write_text("# Page\n\nA prose edit.\n")
    assert set(statuses(run_python(root, "-m", "pipeline")).values()) == {"cached"}

    (root / "snippets" / "lib" / "helper.py").write_text("ANSWER = 43\n")
    after_lib_edit = statuses(run_python(root, "-m", "pipeline"))
    assert after_lib_edit == {"snippets/demo/stands_alone.py": "cached", "snippets/demo/uses_helper.py": "ran"}
    values = json.loads((root / "build" / "values.json").read_text())
    assert {"demo_uses_helper.answer": 43, "demo_stands_alone.seven": 7} == {v["name"]: v["value"] for v in values}


READS_DATA = '''"""Reads recorded data.

Returns a measurement from a file.
"""
import json
from pathlib import Path

DATA = ["benchmarks/results/measured.json"]
ROOT = Path(__file__).resolve().parents[2]


def compute():
    return {"seconds": json.loads((ROOT / DATA[0]).read_text())["seconds"]}
'''


def test_recorded_data_files_join_the_cache_key(tmp_path):
    root = make_project(tmp_path, {"index.md": "# Page\n"}, extra_snippets={"demo/reads_data": READS_DATA})
    data = root / "benchmarks" / "results" / "measured.json"
    data.parent.mkdir(parents=True)
    data.write_text('{"seconds": 1.5}')
    assert statuses(run_python(root, "-m", "pipeline")) == {"snippets/demo/reads_data.py": "ran"}
    assert statuses(run_python(root, "-m", "pipeline")) == {"snippets/demo/reads_data.py": "cached"}
    data.write_text('{"seconds": 2.5}')
    assert statuses(run_python(root, "-m", "pipeline")) == {"snippets/demo/reads_data.py": "ran"}
    assert json.loads((root / "build" / "values.json").read_text())[0]["value"] == 2.5


SUMS_PRODUCTS = '''"""Sums a large matrix product.

Its last digits depend on the order in which BLAS adds.
"""
import numpy as np

SEED = 7


def compute():
    a = np.random.default_rng(SEED).normal(size=(400, 400))
    return {"total": float((a @ a @ a).sum())}
'''


def test_values_are_the_same_in_worker_processes_and_in_process(tmp_path):
    root = make_project(tmp_path, {"index.md": "# Page\n"}, extra_snippets={"demo/sums": SUMS_PRODUCTS, "demo/stands_alone": STANDS_ALONE})
    run_python(root, "-m", "pipeline", "--no-cache")  # two snippets: run in worker processes
    from_workers = {v["name"]: v["value"] for v in json.loads((root / "build" / "values.json").read_text())}
    in_process = run_python(root, "-c", "from pipeline.running import run; print(repr(run('demo_sums').values['total']))")
    assert repr(from_workers["demo_sums.total"]) == in_process.strip()


def test_dependencies_are_followed_through_imports():
    deps = {p.relative_to(ROOT).as_posix() for p in project_imports(snippet_file("intro_alexnet"))}
    assert "snippets/lib/style.py" in deps and "snippets/lib/__init__.py" in deps
    assert "snippets/lib/layers.py" not in deps  # not imported, so its edits do not rerun this snippet


def test_a_snippet_runs_alone_and_prints_its_values(tmp_path):
    stdout = run_python(ROOT, str(ROOT / "snippets" / "intro" / "alexnet.py"))
    assert "params_shared" in stdout and "34,944" in stdout  # 96 × (11·11·3 + 1), counted by hand
    assert "figure: build/figures/intro_alexnet/params.light.svg" in stdout


def test_every_snippet_follows_the_contract():
    for name in discover():
        module = fresh_import(name)
        title, summary = header(module, name)
        assert title and summary, f"{name}: docstring needs a title line and a sentence"
        assert callable(module.compute), name
        source = snippet_file(name).read_text()
        assert 'if __name__ == "__main__":' in source, f"{name} does not run alone"
        common = snippet_file(name).with_name("_common.py")
        seeded = source + (common.read_text() if common.is_file() else "")  # seeds may be shared by the topic
        if "random" in source:
            assert "SEED" in seeded or "seed" in seeded, f"{name} draws random numbers without a seed"


def test_figures_are_deterministic_svg_in_two_themes():
    first = run("intro_alexnet").figures["params"]
    second = run("intro_alexnet").figures["params"]
    assert first.svg == second.svg  # byte-identical when drawn twice
    assert set(first.svg) == {"light", "dark"} and first.svg["light"] != first.svg["dark"]
    assert "<dc:date>" not in first.svg["light"]
    assert first.alt and len(first.alt.split()) >= 8  # the alt text says what the figure shows


def test_a_value_of_the_wrong_type_is_named():
    import numpy as np
    import pytest

    with pytest.raises(SnippetError, match="value 'curve' has type ndarray"):
        plain("demo", "curve", np.arange(3.0))
    assert plain("demo", "n", np.int64(3)) == 3 and type(plain("demo", "n", np.int64(3))) is int


def test_a_measurement_is_a_value_and_renders_with_its_spread():
    import numpy as np
    import pytest

    from pipeline.render import Pages, Value
    from snippets.lib import measurement

    m = plain("demo", "accuracy", measurement.measure(np.array([0.5, 0.6, 0.55, 0.52])))
    assert m["n"] == 4 and type(m["mean"]) is float and m["kind"] == "measurement"
    value = Value(Pages(), "demo", "accuracy", m, "snippets/demo/x.py")
    assert value.pct().text().endswith("% (4 seeds)") and " ± " in value.pct().text()
    assert value.min.pct().text() == "50%" and value.n.text() == "4"
    with pytest.raises(SnippetError, match="value 'd' has type dict"):
        plain("demo", "d", {"mean": 1.0})  # only a measurement is a dict value
