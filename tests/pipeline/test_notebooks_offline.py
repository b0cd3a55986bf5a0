"""The notebooks the site offers for download run where a reader downloads them (issue 19):
converted to .ipynb and executed in a temporary directory outside the checkout, with the
project's own packages (`snippets`, `pipeline`, `hooks`) not importable, importing only the
packages their first cell names; their links are absolute URLs of the published site; and
what they compute agrees with the snippets whose computation they repeat."""
import ast
import json
import re
import sys

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.paths import ROOT

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
OURS = ("snippets", "pipeline", "hooks")  # the checkout's packages: a downloaded notebook has none
IMPORT_NAMES = {"scikit-learn": "sklearn"}  # a package installed by one name, imported by another
TIMEOUT = 120  # seconds for a whole notebook


def site_url():
    """mkdocs.yml's site_url (the file has Python tags that a safe loader does not know)."""
    return re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)


def notebook(path):
    return jupytext.read(path, fmt="py:percent")


def named_packages(nb):
    """The packages the first cell tells the reader to install: `pip install a b c`."""
    found = re.search(r"pip install ([\w\- ]+)", nb.cells[0].source)
    assert found, f"the first cell names no packages to install: {nb.cells[0].source[:200]!r}"
    return found.group(1).split()


def imported_modules(nb):
    modules = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_imports_only_the_standard_library_and_the_packages_it_names(path):
    nb = notebook(path)
    allowed = {IMPORT_NAMES.get(p, p) for p in named_packages(nb)} | set(sys.stdlib_module_names)
    imported = imported_modules(nb)
    assert imported and imported <= allowed, f"{path.name} imports {sorted(imported - allowed)}, not named in its first cell"
    assert not imported & set(OURS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_links_only_to_absolute_urls(path):
    """A relative link (`../../basics/`) works on the site and breaks in a downloaded file.
    Links into the site start with site_url; tests/site/test_links.py checks that each
    resolves in the built site."""
    text = "\n".join(cell.source for cell in notebook(path).cells if cell.cell_type == "markdown")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links, f"{path.name} links to no page of the site"
    assert all(re.match(r"https?://", link) for link in links), [link for link in links if "://" not in link]
    ours = [link for link in links if "shared-weights" in link]
    assert ours and all(link.startswith(site_url()) for link in ours)


BLOCKER = f"""
# Added by the test: the reader's machine has no checkout, so the project's packages are gone.
import sys, importlib.abc
sys.path[:] = [p for p in sys.path if not p.startswith({str(ROOT)!r}) or "/.venv/" in p]
class _NoCheckout(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {OURS!r}:
            raise ModuleNotFoundError(f"{{name}} is not importable outside the checkout")
sys.meta_path.insert(0, _NoCheckout())
for _name in [m for m in sys.modules if m.split(".")[0] in {OURS!r}]:
    del sys.modules[_name]
"""


def run_offline(path, tmp_path, report):
    """Execute the notebook as a reader's .ipynb in tmp_path, its results printed as JSON by
    `report` (a code cell appended by the test); returns what that cell printed."""
    nb = notebook(path)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ipynb = tmp_path / f"{path.stem}.ipynb"
    nbformat.write(nb, ipynb)  # what the site offers for download: the notebook, converted
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(BLOCKER))
    nb.cells.append(nbformat.v4.new_code_cell(report))
    # the blocker must work: a cell importing snippets would fail
    NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    return json.loads(out)


def test_the_blocker_hides_the_checkout(tmp_path):
    path = tmp_path / "imports.py"
    path.write_text("# %% [markdown]\n# pip install numpy\n\n# %%\nimport json\n", encoding="utf-8")
    report = ("import importlib.util, json\n"
              "def importable(name):\n"
              "    try:\n        return importlib.util.find_spec(name) is not None\n"
              "    except ModuleNotFoundError:\n        return False\n"
              f"print(json.dumps({{n: importable(n) for n in {list(OURS)!r}}}))")
    assert run_offline(path, tmp_path, report) == {name: False for name in OURS}


def test_count_the_weights_runs_offline_and_counts_what_the_snippet_counts(tmp_path, snippet_runs):
    report = "import json\nprint(json.dumps([side, filters, int(shared), int(unshared)]))"
    side, filters, shared, unshared = run_offline(ROOT / "docs/notebooks/count-the-weights.py", tmp_path, report)
    values = snippet_runs.values("intro_alexnet")
    assert (side, side, filters) == tuple(values["output_shape"])
    assert (shared, unshared) == (values["params_shared"], values["params_unshared"])


def test_learning_curves_runs_offline_and_trains_what_the_experiment_recorded(tmp_path):
    """The notebook's plain-numpy experiment, seed by seed, gives the test accuracies that
    benchmarks/learning_runs.py recorded for the same models, size and seeds."""
    report = ("import json\nprint(json.dumps({f'{p}|{m}': [float(a) for a in acc] "
              "for (p, m), acc in results.items()}))")
    results = run_offline(ROOT / "docs/notebooks/learning-curves.py", tmp_path, report)
    record = json.loads((ROOT / "benchmarks/results/learning_runs.json").read_text(encoding="utf-8"))
    assert set(results) == {f"{p}|{m}" for p in ("random", "centred") for m in ("dense", "convolutional")}
    for key, accuracies in results.items():
        placement, model = key.split("|")
        recorded = sorted((r["seed"], r["test accuracy"]) for r in record["runs"][placement]
                          if r["model"] == model and r["training examples"] == 100)
        assert [seed for seed, _ in recorded] == list(range(len(accuracies)))
        assert accuracies == [accuracy for _, accuracy in recorded], key
