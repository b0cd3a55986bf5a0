"""Pointing in the tied matrix: what a kernel weight and an output touch, in V8, against the
equivalent matrix of the reference convolution (snippets/lib/layers.py).

For every control combination of the widget: `reach(m, tap)` is the set of input pixels
whose column of the convolution's equivalent matrix holds weight `tap` somewhere, with
weights drawn at random so that equal entries mean the same weight; `windowOf(m, row)` is
the nonzero columns of that row, each with the weight it holds; `conv.taps` is the weight
of every entry, so a weight keeps its colour when padding renumbers the free parameters.
An off-by-one in matrix.js fails the comparison.
"""
import itertools
import json

import numpy as np
import pytest

from jsmodules import Modules
from snippets.lib import layers
from snippets.lib.dense_equivalent import equivalent_matrix

SEED = 29
SIZES = itertools.product(range(3, 10), range(1, 6), range(1, 4), range(0, 3))  # the widget's ranges


def expected(n, k, stride, padding, rng):
    w = rng.permutation(k * k).reshape(1, 1, k, k) + 1.0  # distinct weights, none zero
    try:
        m = equivalent_matrix(lambda x: layers.conv2d(x, w, stride=stride, padding=padding), (1, n, n))
    except ValueError:
        return None
    tap_of = {float(v): t for t, v in enumerate(w.ravel())}
    taps = [[tap_of[float(v)] if v else -1 for v in row] for row in m]
    reach = {t: sorted({c for row in taps for c, x in enumerate(row) if x == t}) for t in range(k * k)}
    windows = [[[c, x] for c, x in enumerate(row) if x >= 0] for row in taps]
    return {"taps": [x for row in taps for x in row], "reach": reach, "windows": windows}


@pytest.fixture(scope="module")
def cases():
    rng = np.random.default_rng(SEED)
    return [(case, expected(*case, rng)) for case in SIZES]


POINT = """(cases => cases.map(([n, k, stride, padding]) => {
  const m = __sw_matrix.matrices(n, k, {stride, padding});
  if (m.error) return null;
  return {taps: m.conv.taps, reach: [...Array(k * k).keys()].map(t => __sw_matrix.reach(m, t)),
          windows: [...Array(m.rows).keys()].map(r => __sw_matrix.windowOf(m, r))};
}))"""


def compare(js, cases):
    """The settings whose pointing differs from the reference (all evaluated in one call)."""
    got = js.evaluate(f"{POINT}({json.dumps([list(case) for case, _ in cases])})")
    bad = []
    for ((n, k, stride, padding), want), mine in zip(cases, got):
        if want is None or mine is None:
            if (want is None) != (mine is None):
                bad.append((n, k, stride, padding, "error or not"))
            continue
        if mine["taps"] != want["taps"]:
            bad.append((n, k, stride, padding, "taps"))
        elif mine["reach"] != [want["reach"][t] for t in range(k * k)]:
            bad.append((n, k, stride, padding, "reach"))
        elif mine["windows"] != want["windows"]:
            bad.append((n, k, stride, padding, "windows"))
    return bad


def test_weights_and_outputs_touch_what_the_reference_matrix_says(cases):
    with Modules("matrix") as js:
        bad = compare(js, cases)
    assert sum(w is not None for _, w in cases) > 300
    assert not bad, f"{len(bad)} of {len(cases)} settings differ; first: {bad[0]}"


MUTATIONS = {
    "tap index": ("taps[row * cols + r * n + c] = a * k + b;", "taps[row * cols + r * n + c] = a * k + b + (a > 0 ? 1 : 0);"),
    "reach column": ("pixels.add(e % m.cols)", "pixels.add((e + 1) % m.cols)"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_the_comparison_catches_an_off_by_one(mutation, cases):
    old, new = MUTATIONS[mutation]
    with Modules("matrix", mutate={"matrix": lambda text: text.replace(old, new)}) as js:
        assert compare(js, cases), f"mutation {mutation!r} went unnoticed"
