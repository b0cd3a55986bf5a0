"""The old name of `measurement`, kept only because pipeline/ still imports it (branch
build owns pipeline/): delete this file once pipeline/render.py, pipeline/running.py and
tests/pipeline/test_engine.py import `snippets.lib.measurement`."""
from snippets.lib.measurement import half_width, is_measurement, measure  # noqa: F401
