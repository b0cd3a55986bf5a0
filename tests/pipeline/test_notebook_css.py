"""The notebook stylesheet trimmer in pipeline/notebook_pages.py, on CSS written out by hand."""
from pipeline.notebook_pages import trim_css


CSS = """
.jupyter-wrapper{--used:red;--unused:blue;--chain:var(--used)}
.jupyter-wrapper .jp-Cell{color:var(--chain)}
.jupyter-wrapper .jp-Widget{color:green}
.jupyter-wrapper :root{--never:1px}
.jupyter-wrapper body{margin:0}
.a,.jp-Missing{color:black}
@media (max-width:600px){.jupyter-wrapper .jp-Cell{margin:0}.jp-Missing{margin:1px}}
@media print{.jp-Missing{display:none}}
@keyframes spin{from{opacity:0}}
"""


def test_keeps_what_can_match_and_what_is_read():
    out = trim_css(CSS, {"jupyter-wrapper", "jp-Cell", "a"})
    assert ".jupyter-wrapper .jp-Cell{color:var(--chain)}" in out
    assert "--used:red" in out and "--chain:var(--used)" in out  # read, directly or through another
    assert "--unused" not in out and "--never" not in out
    assert "jp-Widget" not in out  # no page has that class
    assert ":root" not in out and "body" not in out  # cannot match inside a div
    assert ".a,.jp-Missing{color:black}" in out  # one matching branch keeps the rule
    assert "@media (max-width:600px){.jupyter-wrapper .jp-Cell{margin:0}}" in out.replace("\n", "")
    assert "@media print" not in out  # nothing left inside it
    assert "@keyframes spin" in out
