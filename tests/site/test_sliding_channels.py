"""The sliding filter with several channels, filters, groups and a bias, in V8, against the
reference layers (snippets/lib/layers.py conv2d and conv_transpose2d).

For seeded random settings in the widget's ranges (1–3 input channels, 1–2 filters,
groups, a bias, PyTorch's rounded-down sizes and, transposed, its output padding) every
output of `slideChannels` equals the reference layer's, each output's products are the
window's taps over the filter's input channels, the rows and columns it marks as never
read are those no window reaches (enumerated here), and `reach` lists every cell a kernel
entry multiplies. An off-by-one in conv.js fails the comparison.
"""
import json
import random

import numpy as np
import pytest

from jsmodules import WIDGETS, Modules
from snippets.lib import layers

SEED = 31
CASES = 500

RUN = """(cases => cases.map(([x, w, options]) => {
  const r = __sw_conv.slideChannels(x, w, options);
  if (r.error) return {error: r.error};
  const unreadRows = r.read.map((read, i) => read ? null : i).filter(i => i !== null);
  const reach = r.channels === 1 && r.filters === 1 ? __sw_conv.reach(__sw_conv.plan(x[0].length, w[0][0].length, options), 0, 0) : null;
  return {out: r.out, unread: unreadRows, reach,
          counts: r.steps.map(t => t.products.length), sums: r.steps.every(t => t.sum === r.out[t.f][t.i][t.j])};
}))"""


def random_case(rng):
    transposed = rng.random() < 0.3
    groups = rng.choice([1, 1, 2, 3])
    channels = rng.choice([c for c in (1, 2, 3) if c % groups == 0] or [groups])
    filters = rng.choice([f for f in (1, 2) if f % groups == 0] or [groups])
    n, k = rng.randint(3, 9), rng.randint(1, 5)
    stride, padding, dilation = rng.randint(1, 3), rng.randint(0, 3), rng.randint(1, 3)
    x = [[[rng.randint(-3, 3) for _ in range(n)] for _ in range(n)] for _ in range(channels)]
    shape = (channels, filters // groups) if transposed else (filters, channels // groups)
    w = [[[[rng.randint(-2, 2) for _ in range(k)] for _ in range(k)] for _ in range(shape[1])] for _ in range(shape[0])]
    options = {"stride": stride, "padding": padding, "dilation": dilation, "transposed": transposed, "groups": groups,
               "bias": [rng.randint(-2, 2) for _ in range(filters)] if rng.random() < 0.5 else None}
    if transposed and rng.random() < 0.5:
        options["outputPadding"] = rng.randint(0, 2)
    return x, w, options


def expected(x, w, options):
    """The reference layer's output (filters, rows, cols) and the rows no window reads, or None if refused."""
    x, w = np.array(x, float)[None], np.array(w, float)
    bias = np.array(options["bias"], float) if options["bias"] else None
    geometry = {key: options[key] for key in ("stride", "padding", "dilation")}
    try:
        if options["transposed"]:
            out = layers.conv_transpose2d(x, w, bias, output_padding=options.get("outputPadding", 0),
                                          groups=options["groups"], **geometry)[0]
            return (out, []) if out.size else None
        out = layers.conv2d(x, w, bias, groups=options["groups"], **geometry)[0]
    except ValueError:
        return None
    # Which padded rows does some window read? Enumerate every output row and tap.
    size, k = x.shape[-1] + 2 * options["padding"], w.shape[-1]
    read = {i * options["stride"] + a * options["dilation"] for i in range(out.shape[-2]) for a in range(k)}
    return out, [r for r in range(size) if r not in read]


@pytest.fixture(scope="module")
def cases():
    rng = random.Random(SEED)
    made = [random_case(rng) for _ in range(CASES)]
    return made, [expected(*case) for case in made]


def compare(js, cases):
    made, want = cases
    got = js.evaluate(f"{RUN}({json.dumps(made)})")
    bad = []
    for (x, w, options), mine, expect in zip(made, got, want):
        if expect is None:
            if "error" not in mine:
                bad.append((options, "not refused"))
            continue
        out, unread = expect
        if "error" in mine or not np.array_equal(np.array(mine["out"]), out) or not mine["sums"]:
            bad.append((options, mine.get("error") or "outputs"))
        elif mine["unread"] != unread:
            bad.append((options, f"unread {mine['unread']} != {unread}"))
        elif set(mine["counts"]) != {len(x) // options["groups"] * len(w[0][0]) ** 2}:
            bad.append((options, "products per output"))
        elif mine["reach"] is not None and not options["transposed"]:
            s = options["stride"]
            cells = sorted({(i * s, j * s) for i in range(out.shape[-1]) for j in range(out.shape[-1])})
            if [tuple(c) for c in mine["reach"]] != cells:  # tap (0, 0) sits at each window's corner
                bad.append((options, "reach"))
    return bad


def test_channels_filters_groups_and_bias_equal_the_reference(cases):
    made, want = cases
    kinds = {"refused": sum(w is None for w in want), "rounded down": sum(bool(w and w[1]) for w in want),
             "transposed": sum(o["transposed"] for _, _, o in made), "grouped": sum(o["groups"] > 1 for _, _, o in made)}
    assert all(v >= 20 for v in kinds.values()), kinds
    with Modules("conv") as js:
        bad = compare(js, cases)
    assert not bad, f"{len(bad)} of {CASES} differ; first: {bad[:2]}"


MUTATIONS = {
    "channel of a weight": ("w[f][c % cin]", "w[f][(c + 1) % cin]"),
    "bias": ("t.w * t.x, b);", "t.w * t.x, b + (b ? 1 : 0));"),
    "output padding": ("size = stretched + 2 * border + op;", "size = stretched + 2 * border;"),
    "rows read": ("read[i * s + a * d] = true;", "read[i * s + a] = true;"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_the_comparison_catches_an_off_by_one(mutation, cases):
    old, new = MUTATIONS[mutation]
    assert (WIDGETS / "conv.js").read_text(encoding="utf-8").count(old) == 1, f"mutation {mutation!r} no longer applies"
    with Modules("conv", mutate={"conv": lambda text: text.replace(old, new)}) as js:
        assert compare(js, cases), f"mutation {mutation!r} went unnoticed"
