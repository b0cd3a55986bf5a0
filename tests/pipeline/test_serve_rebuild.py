"""What keeps a rebuild under `mkdocs serve` fast (issue 11) must never serve stale results:
the covering tests are parsed once per version of a test file, and a page's conversion
is reused only while everything it reads is unchanged."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
import yaml

from conftest import make_project, project_path, run_with_timeout
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
                              env={"PYTHONPATH": project_path(root), "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["edit shown"] and out["other page unchanged"]
    assert "index.md" in out["converted"] and "other.md" not in out["converted"]
    assert out["broken link"] == ["failed: Abort", "failed: Abort"]  # strict fails again: never cached


# --- `mkdocs serve` of a throwaway project: snippet edits show, a broken snippet is named ----

SNIPPET = '''"""A value to edit.

The page shows it.
"""
import time

TIME_LIMIT = 2  # seconds
ANSWER, SLEEP = 41, 0


def compute():
    time.sleep(SLEEP)
    return {"answer": ANSWER}
'''


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _page(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _until(predicate, timeout, what, serve, log):
    """Wait for `predicate`; fail showing serve's log if it does not come or serve exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and serve.poll() is None:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"{what}: not within {timeout} s (serve {'exited' if serve.poll() is not None else 'running'}); "
                f"its log:\n{log.read_text()[-3000:]}")


@pytest.mark.slow
def test_serve_reruns_an_edited_snippet_and_keeps_the_last_good_site_when_one_hangs(tmp_path):
    snippet = "snippets/demo/edited.py"
    root = make_project(tmp_path, {"index.md": "# Home\n\nThe answer is {{ demo_edited.answer }}.\n"},
                        extra_snippets={"demo/edited": SNIPPET})
    port = _free_port()
    url = f"http://127.0.0.1:{port}{urllib.parse.urlsplit(yaml.safe_load((root / 'mkdocs.yml').read_text())['site_url']).path}"
    log = tmp_path.parent / f"{tmp_path.name}-serve.log"  # outside what serve watches
    shown = lambda: (re.findall(r'data-value="demo_edited.answer"[^>]*>(\d+)<', _page(url)) or [None])[0]
    with open(log, "w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                 cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                 env={**os.environ, "PYTHONPATH": project_path(root), "NO_MKDOCS_2_WARNING": "1"})
        try:
            _until(lambda: shown() == "41", 180, "the first page", serve, log)
            edit = lambda answer, sleep=0: (root / snippet).write_text(SNIPPET.replace("41, 0", f"{answer}, {sleep}"))
            edit(42)  # snippets/ is watched: the snippet runs again and its page shows the new value
            _until(lambda: shown() == "42", 60, "the snippet edit", serve, log)
            edit(43, sleep=600)  # hangs: stopped at its time limit, named, the last good site still served
            _until(lambda: "still running after its time limit of 2 s" in log.read_text(), 60, "the hang's error", serve, log)
            assert f"{snippet}: still running" in log.read_text() and "in compute" in log.read_text()
            assert shown() == "42", "the last good site is no longer served"
            assert "still running after its time limit" in _page(url), "the page does not show the error"
            edit(44)  # fixed: serve recovers
            _until(lambda: shown() == "44", 60, "the recovery", serve, log)
        finally:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(timeout=30)


def test_the_internals_the_render_cache_touches_are_still_there():
    """hooks/render_cache.py is the one patch of MkDocs and Material the project keeps: it
    replaces Page.render and SearchIndex.add_entry_from_context and copies attributes that
    Page.render sets. Any change there must fail here, loudly, before serve shows stale pages."""
    import importlib.metadata
    import inspect

    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    render = getattr(Page, "_sw_original_render", Page.render)
    assert list(inspect.signature(render).parameters) == ["self", "config", "files"]
    source = inspect.getsource(render)
    for attribute in ("self.content", "self.toc", "self._title_from_render", "self.present_anchor_ids",
                      "self.links_to_anchors"):
        assert attribute in source, f"MkDocs' Page.render no longer sets {attribute}: redo hooks/render_cache.py"
    add = getattr(SearchIndex, "_sw_original_add", SearchIndex.add_entry_from_context)
    assert list(inspect.signature(add).parameters) == ["self", "page"]
    assert "self.entries" in inspect.getsource(SearchIndex), "Material's SearchIndex no longer keeps self.entries"
    assert importlib.metadata.version("mkdocs") == "1.6.1"  # the versions this was checked against
    assert importlib.metadata.version("mkdocs-material") == "9.8.1"
