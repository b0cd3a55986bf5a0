"""Printed output renders the same however the kernel splits it into messages.

A cell that prints, flushes and prints again reaches nbclient as two stream messages, or
as one when both lines were buffered together: the same notebook rendered as one `<pre>`
in one build and two in the next. nbconvert's own CoalesceStreamsPreprocessor merges
consecutive stream outputs of one name, once pipeline/jupyter/jupyter_nbconvert_config.json
enables it and runs it after execution (nbconvert's default order runs it before)."""
import json

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

from conftest import ROOT, build_project, make_project

CONFIG = ROOT / "pipeline" / "jupyter" / "jupyter_nbconvert_config.json"


def stream(name, text):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_the_config_merges_streams_after_execution_and_keeps_nbconverts_other_steps():
    config = Config(json.loads(CONFIG.read_text(encoding="utf-8")))
    ours = config.Exporter.default_preprocessors
    theirs = HTMLExporter.default_preprocessors.default()
    assert sorted(ours) == sorted(theirs), "nbconvert's preprocessors changed: update the config"
    assert ours.index("nbconvert.preprocessors.CoalesceStreamsPreprocessor") == ours.index("nbconvert.preprocessors.ExecutePreprocessor") + 1
    assert config.CoalesceStreamsPreprocessor.enabled is True


def test_nbconverts_merge_joins_consecutive_streams_of_one_name_and_nothing_else():
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    result = nbformat.v4.new_output("execute_result", data={"text/plain": "3"}, execution_count=1)
    outputs = [stream("stdout", "a\n"), stream("stdout", "b\n"), stream("stderr", "warn\n"),
               stream("stdout", "c\n"), result, stream("stdout", "d\n"), stream("stdout", "e")]
    cell = nbformat.v4.new_code_cell(outputs=outputs)
    merged, _ = CoalesceStreamsPreprocessor(enabled=True).preprocess_cell(cell, {}, 0)
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in merged.outputs] == [
        ("stream", "stdout", "a\nb\n"),
        ("stream", "stderr", "warn\n"),
        ("stream", "stdout", "c\n"),
        ("execute_result", None, None),
        ("stream", "stdout", "d\ne"),
    ]


PRINTS_TWICE = """# %% [markdown]
# # Prints twice

# %%
import sys
import time

print("first line")
sys.stdout.flush()
time.sleep(0.5)  # longer than ipykernel's flush interval: the lines leave in two messages
print("second line")
"""


@pytest.mark.slow
def test_a_cell_that_prints_twice_renders_one_output(tmp_path):
    root = make_project(tmp_path, {"index.md": "# Page\n"}, notebooks={"notebooks/twice.py": PRINTS_TWICE})
    result = build_project(root)
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((root / "site" / "notebooks" / "twice" / "index.html").read_text(encoding="utf-8"), "html.parser")
    printed = [node.get_text() for node in soup.select(".jp-OutputArea-output pre")]
    assert printed == ["first line\nsecond line\n"], printed
