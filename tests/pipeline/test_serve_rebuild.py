"""What keeps a rebuild under `mkdocs serve` fast (issue 11) must never serve stale results:
the covering tests are parsed once per version of a test file, and a page's conversion
is reused only while everything it reads is unchanged."""
import json
import sys

import pytest

from conftest import make_project, run_with_timeout
from pipeline import coverage


def test_covering_tests_sees_an_edited_test_file(tmp_path, monkeypatch):
    monkeypatch.setattr(coverage, "ROOT", tmp_path)
    monkeypatch.setattr(coverage, "TEST_DIR", tmp_path / "tests")
    test_file = tmp_path / "tests" / "test_x.py"
    test_file.parent.mkdir()
    test_file.write_text('import pytest\n\n@pytest.mark.covers("snip", "a")\ndef test_a(values):\n    pass\n')
    assert coverage.covering_tests() == {"snip.a": ["tests/test_x.py::test_a"]}
    assert coverage.covering_tests() == {"snip.a": ["tests/test_x.py::test_a"]}  # from the parse cache
    test_file.write_text(test_file.read_text() + '\n\n@pytest.mark.covers("snip", "a", "b")\ndef test_ab(values):\n    pass\n')
    assert coverage.covering_tests() == {"snip.a": ["tests/test_x.py::test_a", "tests/test_x.py::test_ab"],
                                        "snip.b": ["tests/test_x.py::test_ab"]}
    test_file.unlink()
    assert coverage.covering_tests() == {}


REBUILDS = '''
import json, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page

def once():
    try:
        build(load_config("mkdocs.yml", strict=True))  # what `mkdocs serve` does on every change
    except (Exception, SystemExit) as error:
        return "failed: " + type(error).__name__
    return {page: Path(f"site/{page}").read_text(encoding="utf-8") for page in ("index.html", "other/index.html")}

first = once()
converted = []
original = Page._sw_original_render
Page._sw_original_render = lambda page, config, files: (converted.append(page.file.src_uri), original(page, config, files))[1]
index = Path("docs/index.md")
index.write_text(index.read_text() + "\\nAn edit to the prose.\\n")
second = once()
out = {"edit shown": "An edit to the prose." in second["index.html"],
       "other page unchanged": second["other/index.html"] == first["other/index.html"],
       "converted": sorted(converted)}
Path("docs/other.md").write_text("# Other\\n\\nA [broken link](missing.md).\\n")
out["broken link"] = [once(), once()]
print(json.dumps(out))
'''


@pytest.mark.slow
def test_only_the_edited_page_is_converted_again_and_warnings_repeat(tmp_path):
    root = make_project(tmp_path, {"index.md": "# Home\n\nSee [the other page](other.md#other).\n",
                                   "other.md": "# Other\n\nText with $x^2$.\n"})
    result = run_with_timeout([sys.executable, "-c", REBUILDS], cwd=root,
                              env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["edit shown"] and out["other page unchanged"]
    assert "index.md" in out["converted"] and "other.md" not in out["converted"]
    assert out["broken link"] == ["failed: Abort", "failed: Abort"]  # strict fails again: never cached

