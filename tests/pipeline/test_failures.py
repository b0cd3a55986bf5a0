"""Loud failures: each way a page or a snippet can be broken stops the strict build
with a message that names the page, the snippet and the name."""
import pytest

from conftest import build_project, make_project

pytestmark = pytest.mark.slow  # each test builds a throwaway project with MkDocs

GOOD = "# Page\n\nShared: {{ intro_alexnet.params_shared }}.\n"

RAISES = '''"""A snippet that fails.

It divides by zero on purpose.
"""


def compute():
    return {"ratio": 1 / 0}
'''

NOTEBOOK_WITH_ERROR = """# %% [markdown]
# # A notebook whose second cell fails

# %%
x = 1

# %%
raise ValueError("this cell fails on purpose")
"""


def build(tmp_path, pages, **kwargs):
    return build_project(make_project(tmp_path, pages, **kwargs))


def test_a_good_page_builds(tmp_path):
    """The control: the same small project, unbroken, builds cleanly."""
    result = build(tmp_path, {"index.md": GOOD}, snippets=["intro_alexnet"])
    assert result.returncode == 0, result.stderr
    assert 'data-value="intro_alexnet.params_shared"' in (tmp_path / "site" / "index.html").read_text()


def test_a_snippet_that_raises_stops_the_build_with_its_traceback(tmp_path):
    result = build(tmp_path, {"index.md": "# Page\n"}, extra_snippets={"demo/broken": RAISES})
    assert result.returncode != 0
    assert "snippets/demo/broken.py: compute() raised" in result.stderr
    assert "ZeroDivisionError" in result.stderr and "Traceback" in result.stderr


def test_an_unknown_value_stops_the_build_naming_page_and_name(tmp_path):
    page = "# Page\n\n{{ intro_alexnet.params_sharred }}\n"
    result = build(tmp_path, {"index.md": page}, snippets=["intro_alexnet"])
    assert result.returncode != 0
    assert "index.md: unknown value 'params_sharred' of snippet 'intro_alexnet'" in result.stderr


def test_an_unknown_snippet_stops_the_build_naming_page_and_name(tmp_path):
    page = "# Page\n\n{{ intro_alexnetg.params_shared }}\n"
    result = build(tmp_path, {"index.md": page}, snippets=["intro_alexnet"])
    assert result.returncode != 0
    assert "index.md" in result.stderr and "'intro_alexnetg' is undefined" in result.stderr


def test_an_unknown_figure_stops_the_build_naming_page_and_name(tmp_path):
    page = '# Page\n\n{{ figure("intro_alexnet.parms") }}\n'
    result = build(tmp_path, {"index.md": page}, snippets=["intro_alexnet"])
    assert result.returncode != 0
    assert "index.md: unknown figure 'intro_alexnet.parms'" in result.stderr


def test_an_include_of_a_missing_file_stops_the_build(tmp_path):
    page = '# Page\n\n```python\n--8<-- "snippets/no_such_snippet.py"\n```\n'
    result = build(tmp_path, {"index.md": page})
    assert result.returncode != 0
    assert "no_such_snippet.py" in result.stderr


@pytest.mark.parametrize("link", ["[gone](missing.md)", "[gone](index.md#no-such-heading)"])
def test_a_broken_link_or_anchor_stops_the_build(tmp_path, link):
    result = build(tmp_path, {"index.md": f"# Page\n\n{link}\n"})
    assert result.returncode != 0
    target = link.split("(")[1].rstrip(")")
    assert f"Doc file 'index.md' contains a link '{target}'" in result.stderr


def test_a_notebook_cell_error_stops_the_build(tmp_path):
    result = build(tmp_path, {"index.md": "# Page\n"}, notebooks={"notebooks/bad.py": NOTEBOOK_WITH_ERROR})
    assert result.returncode != 0
    assert "this cell fails on purpose" in result.stderr


def test_unused_values_and_unshown_figures_are_reported(tmp_path):
    result = build(tmp_path, {"index.md": GOOD}, snippets=["intro_alexnet"])
    assert result.returncode == 0, result.stderr
    unused = next(line for line in result.stderr.splitlines() if "values that no page uses" in line)
    assert "intro_alexnet.neurons" in unused and "intro_alexnet.params_shared" not in unused
    assert "figures that no page shows: intro_alexnet.params" in result.stderr


HANGS = '''"""A snippet that never returns.

It waits forever on purpose.
"""
import time

TIME_LIMIT = 2  # seconds: the default is minutes


def wait_forever():
    while True:
        time.sleep(0.05)


def compute():
    wait_forever()
'''

DIES = '''"""A snippet whose process dies.

It ends its interpreter on purpose.
"""
import os


def compute():
    os._exit(7)
'''


def test_a_snippet_that_hangs_is_stopped_at_its_time_limit_naming_it_and_where_it_was(tmp_path):
    result = build(tmp_path, {"index.md": "# Page\n"}, extra_snippets={"demo/hangs": HANGS})
    assert result.returncode != 0
    assert "snippets/demo/hangs.py: still running after its time limit of 2 s, stopped" in result.stderr
    assert "line 12 in wait_forever" in result.stderr and "in compute" in result.stderr  # the stack dump


def test_a_snippet_whose_process_dies_is_named(tmp_path):
    result = build(tmp_path, {"index.md": "# Page\n"}, extra_snippets={"demo/dies": DIES})
    assert result.returncode != 0
    assert "snippets/demo/dies.py: the process running it died (exit code 7)" in result.stderr
    assert "BrokenProcessPool" not in result.stderr
