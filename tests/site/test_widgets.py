"""The interactive figures' arithmetic against the Python reference code, and the widgets
in the browser.

Each widget computes with one small pure JavaScript module in docs/assets/widgets/
(stack.js, conv.js, matrix.js, presets.js: no DOM). These tests evaluate the module in V8
through mini-racer (`conftest.widget_modules`, no browser and no build) on many seeded
random cases (for the sliding filter and the tied matrix: every control combination in
the widget's ranges, invalid ones included) and require exact equality with
`snippets/lib`: counting and receptive fields for the calculator, the reference layers for
the sliding filter, equivalent matrices for the tied matrix. A mutation test evaluates
each module with an off-by-one and checks that the comparison notices. What needs a DOM
is checked in the browser on the built site (marked `browser`): mounted after Material's
instant navigation, keyboard-operable, the right module wired to the page, no console error.
"""
import gzip
import itertools
import random
import re

import numpy as np
import pytest

from conftest import ROOT, walk_mismatches, widget_modules
from layout import DESKTOP, PHONE
from pipeline import calculator_presets
from snippets.lib import architectures, layers, receptive
from snippets.lib.dense_equivalent import distinct_weights, equivalent_matrix, parameter_index_matrix
from snippets.lib.accounting import walk
from snippets.lib.specs import AvgPoolSpec, BatchNormSpec, ConvSpec, DenseSpec, FlattenSpec, MaxPoolSpec, ReLUSpec



def in_browser(test):
    """A test on the built site in Chromium."""
    return pytest.mark.site(pytest.mark.browser(test))


SEED = 15
READY = "() => window.sharedWeights?.calculator?.{}"  # what a widget exposes, under its name (dom.js)


# --- the calculator: stack.js walk against counting.walk and receptive.fields ------------


def to_spec(layer):
    """A calculator layer (JSON) as the layer spec of snippets/lib."""
    op, get = layer["op"], layer.get
    geometry = {k: tuple(v) if isinstance(v, list) else v for k, v in layer.items() if k in ("kernel", "stride", "padding", "dilation")}
    if op == "conv":
        return ConvSpec(layer["out"], groups=get("groups", 1), bias=get("bias", True), **geometry)
    if op in ("maxpool", "avgpool"):
        return (MaxPoolSpec if op == "maxpool" else AvgPoolSpec)(**geometry)
    if op == "dense":
        return DenseSpec(layer["out"], bias=get("bias", True))
    return {"flatten": FlattenSpec, "relu": ReLUSpec, "batchnorm": BatchNormSpec}[op]()


def hwc(shape):
    return [*shape[1:], shape[0]] if len(shape) == 3 else list(shape)


def expected_walk(input_hwc, stack):
    """What walk(input, layers) must return, or ('error', index of the failing layer)."""
    chw = (input_hwc[2], input_hwc[0], input_hwc[1])
    specs = [to_spec(layer) for layer in stack]
    for n in range(1, len(specs) + 1):
        try:
            walk(specs[:n], chw)
        except ValueError:
            return ("error", n)
    rows = walk(specs, chw)
    fields = receptive.fields(specs, chw)
    out = []
    for i, row in enumerate(rows):
        f = fields[i].field if i < len(fields) else None
        out.append({"shape": hwc(row.out_shape), "params": row.params, "nontrainable": row.non_trainable,
                    "macs": row.macs, "rf": f and list(f.size), "jump": f and list(f.jump), "start": f and list(f.start),
                    "centre": f and list(f.centre((0, 0)))})
    return out


def random_size(rng, low, high):
    return rng.randint(low, high) if rng.random() < 0.8 else [rng.randint(low, high), rng.randint(low, high)]


def random_pair(v):
    return v if isinstance(v, list) else [v, v]


def random_stack(rng):
    """A random stack: mostly valid, sometimes with a window too large, groups that do
    not divide, a dense layer on a feature map or a convolution after a flatten."""
    input_hwc = [rng.randint(4, 96), rng.randint(4, 96), rng.choice([1, 2, 3, 4, 6, 8, 12, 16])]
    stack, flat = [], False
    for _ in range(rng.randint(1, 8)):
        op = rng.choices(["conv", "maxpool", "avgpool", "relu", "batchnorm", "flatten", "dense"],
                         [6, 2, 2, 1, 1, 1, 1] if not flat else [0.3, 0, 0, 1, 0.5, 0, 5])[0]
        if op == "conv":
            layer = {"op": "conv", "out": rng.choice([1, 2, 3, 4, 6, 8, 12, 16, 24, 32]), "kernel": random_size(rng, 1, 5),
                     "stride": random_size(rng, 1, 3), "padding": random_size(rng, 0, 3),
                     "dilation": random_size(rng, 1, 3), "groups": rng.choice([1] * 8 + [2, 3, 4]), "bias": rng.random() < 0.7}
            for key in ("stride", "padding", "dilation", "groups", "bias"):  # PyTorch's defaults when omitted
                if rng.random() < 0.15:
                    del layer[key]
        elif op in ("maxpool", "avgpool"):
            layer = {"op": op, "kernel": random_size(rng, 1, 4)}
            layer["padding"] = rng.randint(0, min(random_pair(layer["kernel"])) // 2)  # PyTorch refuses more (tests/site/test_calculator_model.py)
            if rng.random() < 0.7:
                layer["stride"] = random_size(rng, 1, 3)
        elif op == "dense":
            layer = {"op": "dense", "out": rng.randint(1, 100), "bias": rng.random() < 0.8}
        else:
            layer = {"op": op}
        flat = flat or op == "flatten"
        stack.append(layer)
    return input_hwc, stack


STACK_CASES = 600
EVAL_WALK = """cases => cases.map(([input, layers]) => {
  try { return window.sharedWeights.stack.walk(input, layers); } catch (e) { return {error: e.message}; }
})"""


@pytest.fixture(scope="module")
def stack_cases():
    rng = random.Random(SEED)
    cases = [random_stack(rng) for _ in range(STACK_CASES)]
    return cases, [expected_walk(*case) for case in cases]


@pytest.fixture(scope="module")
def stack_js():
    with widget_modules("stack.js", "presets.js") as evaluate:
        yield evaluate


@pytest.fixture(scope="module")
def calculator_page(server, browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(server + "calculator/", wait_until="networkidle")
    page.wait_for_function(READY.format("walk"))
    page.errors = errors
    yield page
    context.close()


def test_calculator_walk_equals_counting_and_receptive_fields(stack_js, stack_cases):
    cases, expected = stack_cases
    invalid = sum(isinstance(e, tuple) for e in expected)
    assert 50 <= invalid <= STACK_CASES - 300, f"{invalid} invalid stacks: the generator needs rebalancing"
    results = stack_js(EVAL_WALK, [list(c) for c in cases])
    bad = walk_mismatches(cases, results, expected)
    assert not bad, f"{len(bad)} of {len(cases)} stacks differ; first: {bad[0]}"


PRESETS = ["lenet5", "alexnet_2012", "vgg16", "mobilenet_v1"]
WALK_PRESETS = """() => Object.fromEntries(Object.entries(window.sharedWeights.presets.PRESETS)
  .map(([key, p]) => [key, {name: p.name, rows: window.sharedWeights.stack.walk(p.input, p.layers)}]))"""


def test_presets_equal_the_architectures_page(stack_js, snippet_runs):
    """Totals equal the values Real architectures shows (snippet arch_layers); the last
    receptive field equals receptive.fields of the full network (activations included)."""
    shown = snippet_runs.values("arch_layers")
    table = {row["network"]: row for row in shown["totals"]}
    got = stack_js(WALK_PRESETS, None)
    assert sorted(got) == sorted(PRESETS)
    for key in PRESETS:
        rows, row = got[key]["rows"], table[got[key]["name"]]
        assert sum(r["params"] for r in rows) == shown[f"{key}_params"] == row["parameters"], key
        assert sum(r["macs"] for r in rows) == shown[f"{key}_macs"] == row["multiply-adds"], key
        assert sum(r["nontrainable"] for r in rows) == row["non-trainable"], key
        network, chw = architectures.NETWORKS[key](), architectures.INPUT[key]
        assert rows[-1]["shape"] == hwc(walk(network, chw)[-1].out_shape), key
        field = receptive.fields(network, chw)[-1].field
        last = [r for r in rows if r["rf"]][-1]
        assert (last["rf"], last["jump"], last["start"]) == (list(field.size), list(field.jump), list(field.start)), key


@pytest.mark.site
def test_the_site_serves_the_generated_presets(site):
    """presets.js is generated at build time (pipeline/calculator_presets.py); the module the
    V8 tests load is the one the site serves."""
    assert (site / "assets" / "widgets" / "presets.js").read_text(encoding="utf-8") == calculator_presets.presets_js()


# --- mutation: an off-by-one in a module must fail the comparison ----------------------------


def evaluate_mutated(module, mutation, script, arg, others=()):
    """`script` evaluated on `arg` with `old` text replaced by `new`: in the widget module,
    or in the module a mutation (module, old, new) names (one `module` imports)."""
    with widget_modules(module, *others, mutation=mutation if len(mutation) == 3 else (module, *mutation)) as evaluate:
        return evaluate(script, arg)


STACK_MUTATIONS = {
    "output size": ("- d * (k - 1) - 1) / s)", "- d * (k - 1)) / s)"),
    "receptive field": ("n + g.dilation[a] * (g.kernel[a] - 1) * field.jump[a]", "n + g.dilation[a] * g.kernel[a] * field.jump[a]"),
    "start": ("st - g.before[a] * field.jump[a]", "st - g.before[a] * field.jump[a] - 1"),
    "grouped parameters": ("links = out * (c / groups)", "links = out * c"),
    "dense bias": ("d * out + (bias ? out : 0)", "d * out + out"),
}


@pytest.mark.parametrize("mutation", STACK_MUTATIONS)
def test_the_calculator_comparison_catches_an_off_by_one(mutation, stack_cases):
    cases, expected = stack_cases
    results = evaluate_mutated("stack.js", STACK_MUTATIONS[mutation], EVAL_WALK, [list(c) for c in cases])
    assert len(walk_mismatches(cases, results, expected)) > 0


# --- the sliding filter: conv.js against layers.conv2d and conv_transpose2d -----------------

SLIDING_RANGES = {"n": range(3, 10), "k": range(1, 6), "stride": range(1, 4), "padding": range(0, 4),
                  "dilation": range(1, 4), "transposed": (False, True), "convolve": (False, True)}
EVAL_SLIDE = """cases => cases.map(([x, w, options]) => {
  try {
    const r = window.sharedWeights.conv.slide(x, w, options);
    return r.error ? {error: r.error} : {out: r.out, steps: r.steps.length,
      sums: r.steps.every(t => t.sum === r.out[t.i][t.j] && t.products.length === w.length ** 2)};
  } catch (e) { return {error: 'threw ' + e.message}; }
})"""


def expected_slide(x, w, stride, padding, dilation, transposed, convolve):
    """The reference layer's output, or why the widget must refuse the combination.
    `convolve`: convolution as signal processing defines it, which is the library's
    cross-correlation with the kernel turned half a turn (numpy's flip of both axes)."""
    if convolve:
        w = np.flip(w, (0, 1))
    batch, weights = x[None, None].astype(float), w[None, None].astype(float)
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    if transposed:
        out = layers.conv_transpose2d(batch, weights, **options)[0, 0]
        return out if out.size else "less than 1"
    try:
        return layers.conv2d(batch, weights, **options)[0, 0]  # rounded down, as PyTorch does
    except ValueError:
        return "more than the padded input"


@pytest.fixture(scope="module")
def slide_cases():
    rng = np.random.default_rng(SEED)
    cases = []
    for n, k, stride, padding, dilation, transposed, convolve in itertools.product(*SLIDING_RANGES.values()):
        x, w = rng.integers(-3, 4, (n, n)), rng.integers(-2, 3, (k, k))
        options = {"stride": stride, "padding": padding, "dilation": dilation, "transposed": transposed,
                   "convolve": convolve}
        cases.append((x.tolist(), w.tolist(), options))
    expected = [expected_slide(np.array(x), np.array(w), **o) for x, w, o in cases]
    return cases, expected


def slide_mismatches(results, cases, expected):
    bad = []
    for case, got, want in zip(cases, results, expected):
        if isinstance(want, str):
            if want not in got.get("error", ""):
                bad.append((case[2], len(case[0]), len(case[1]), got.get("error") or "no error", want))
        elif "error" in got or not np.array_equal(np.array(got["out"]), want) or not got["sums"] or got["steps"] != want.size:
            bad.append((case[2], len(case[0]), len(case[1]), got.get("error") or got["out"], want.tolist()))
    return bad


@pytest.fixture(scope="module")
def sliding_js():
    with widget_modules("conv.js", "matrix.js") as evaluate:
        yield evaluate


def test_sliding_filter_equals_the_reference_layers_for_every_control_combination(sliding_js, slide_cases):
    cases, expected = slide_cases
    assert len(cases) == np.prod([len(r) for r in SLIDING_RANGES.values()])
    refused = {reason: sum(e == reason for e in expected if isinstance(e, str))
               for reason in ("more than the padded input", "less than 1")}
    assert all(refused.values()), refused  # every kind of invalid combination is exercised
    results = sliding_js(EVAL_SLIDE, cases)
    bad = slide_mismatches(results, cases, expected)
    assert not bad, f"{len(bad)} of {len(cases)} combinations differ; first: {bad[:3]}"


CONV_MUTATIONS = {
    "transposed output size": ("const out = size - span + 1;", "const out = size - span + 2;"),
    "window position": ("row: i * g.step + a * g.dilation", "row: i * g.step + a * g.dilation + (i ? 1 : 0)"),
    "rounding down": ("stack.js", "return Math.floor((n + p + after", "return Math.ceil((n + p + after"),  # the rule conv.js imports
    "transposed border": ("border = d * (k - 1) - p", "border = d * (k - 1) - p + 1"),
    "convolution not flipped": ("border: p, flip: convolve, read };", "border: p, flip: false, read };"),
}


@pytest.mark.parametrize("mutation", CONV_MUTATIONS)
def test_the_sliding_comparison_catches_an_off_by_one(mutation, slide_cases):
    cases, expected = slide_cases
    results = evaluate_mutated("conv.js", CONV_MUTATIONS[mutation], EVAL_SLIDE, cases)
    assert len(slide_mismatches(results, cases, expected)) > 0


# --- the tied matrix: matrix.js against equivalent matrices of the reference layers ----------

TIED_RANGES = {"n": range(3, 10), "k": range(1, 6), "stride": range(1, 4), "padding": range(0, 3)}
EVAL_TIED = """cases => cases.map(([n, k, stride, padding]) => {
  const m = window.sharedWeights.matrix.matrices(n, k, {stride, padding});
  if (m.error) return {error: m.error};
  const pack = key => ({ids: m[key].ids, free: m[key].free, nonzero: m[key].nonzero});
  return {shape: [m.rows, m.cols], dense: pack('dense'), local: pack('local'), conv: pack('conv')};
})"""


def expected_tied(n, k, stride, padding, rng):
    """Index matrix, free weights and nonzero entries of each layer, from its equivalent
    matrix with continuous random weights (as snippets/sharing/tied.py builds them)."""
    geometry = {"stride": stride, "padding": padding}
    try:
        out = layers.conv2d(np.zeros((1, 1, n, n)), np.zeros((1, 1, k, k)), **geometry).shape[-1]
    except ValueError:
        return None
    w_dense, w_local, w_conv = (rng.normal(size=(out * out, n * n)), rng.normal(size=(out, out, 1, 1, k, k)),
                                rng.normal(size=(1, 1, k, k)))
    apply = {"dense": lambda x: layers.dense(x.reshape(len(x), -1), w_dense),
             "local": lambda x: layers.locally_connected2d(x, w_local, **geometry),
             "conv": lambda x: layers.conv2d(x, w_conv, **geometry)}
    found = {}
    for name, layer in apply.items():
        m = equivalent_matrix(layer, (1, n, n))
        found[name] = {"ids": parameter_index_matrix(m).ravel().tolist(), "free": distinct_weights(m),
                       "nonzero": int(np.count_nonzero(m))}
    return {"shape": [out * out, n * n], **found}


@pytest.fixture(scope="module")
def tied_cases():
    rng = np.random.default_rng(SEED)
    cases = list(itertools.product(*TIED_RANGES.values()))
    return cases, [expected_tied(*case, rng) for case in cases]


def tied_mismatches(results, cases, expected):
    return [(case, got.get("error") or {k: v for k, v in got.items() if k != "dense"}, want and want["conv"])
            for case, got, want in zip(cases, results, expected)
            if (want is None) != ("error" in got) or (want is not None and got != want)]


def test_tied_matrices_equal_the_equivalent_matrices_for_every_control_combination(sliding_js, tied_cases):
    cases, expected = tied_cases
    assert len(cases) == np.prod([len(r) for r in TIED_RANGES.values()])
    assert 0 < sum(e is None for e in expected) < len(cases) // 4
    results = sliding_js(EVAL_TIED, cases)
    bad = tied_mismatches(results, cases, expected)
    assert not bad, f"{len(bad)} of {len(cases)} combinations differ; first: {bad[0]}"


MATRIX_MUTATIONS = {
    "output size": ("const out = outputSize(n, k, stride, padding);", "const out = outputSize(n, k, stride, padding + 1) - 1;"),
    "padding taps": ("r >= n || c >= n", "r > n || c >= n"),
    "conv tying": ("conv[row * cols + r * n + c] = a * k + b", "conv[row * cols + r * n + c] = (a * k + b) % 4"),
}


@pytest.mark.parametrize("mutation", MATRIX_MUTATIONS)
def test_the_tied_matrix_comparison_catches_an_off_by_one(mutation, tied_cases):
    cases, expected = tied_cases
    results = evaluate_mutated("matrix.js", MATRIX_MUTATIONS[mutation], EVAL_TIED, cases)
    assert len(tied_mismatches(results, cases, expected)) > 0


# --- the widgets in the browser: instant navigation, keyboard, motion, weight -----------------

TITLE = "text => (document.querySelector('article h1') || {}).textContent.startsWith(text)"
MOUNTED = "sel => { const el = document.querySelector(sel); return el && el.hasAttribute('data-sw-ready') && !el.hidden; }"


@in_browser
def test_widgets_mount_after_instant_navigation(server, browser):
    """Material swaps the page content without reloading: the widgets of every page that
    is reached that way mount, also when their module was loaded by an earlier page."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    # Material navigates instantly to the URLs of sitemap.xml, which names the published
    # site: served here, the sitemap names this server instead.
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)

    def local_sitemap(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(site_url, server))

    page.route("**/sitemap.xml", local_sitemap)
    try:
        page.goto(server, wait_until="networkidle")
        page.evaluate("window.swNoReload = true")
        page.click("article a[href$='weight-sharing/']")
        for widget in ("#sw-sliding", "#sw-tied"):
            page.wait_for_function(MOUNTED, arg=widget)
        page.click("a.md-footer__link--next")  # Parameter arithmetic: no widget
        page.wait_for_function(TITLE, arg="Parameter arithmetic")
        assert page.locator("[data-sw-widget]").count() == 0
        page.click("article a[href$='calculator/']")
        page.wait_for_function(MOUNTED, arg="#sw-calculator")
        page.go_back()
        page.wait_for_function(TITLE, arg="Parameter arithmetic")
        page.go_back()
        page.wait_for_function(MOUNTED, arg="#sw-sliding")  # second visit: the module is already loaded
        assert page.evaluate("window.swNoReload === true"), "the navigation reloaded the page: not instant"
    finally:
        context.close()
    assert not errors


@in_browser
def test_sliding_filter_by_keyboard_alone(server, browser):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(server + "basics/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-sliding")
        widget = page.locator("#sw-sliding")
        status = widget.locator(".sw-products")
        page.wait_for_timeout(1500)
        assert status.inner_text().startswith("Step 1 of"), "the animation started by itself"
        kernel = widget.get_by_label("Kernel size (1–5)")
        kernel.focus()
        page.keyboard.press("ArrowDown")  # 3 -> 2: a 3×3 output on the 4×4 input
        assert "Step 1 of 9" in status.inner_text()
        page.keyboard.press("Tab")
        for _ in range(10):  # to the "Next step" button
            if page.evaluate("document.activeElement.textContent") == "Next step ▶":
                break
            page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), "no visible focus on the Next step button"
        page.keyboard.press("Enter")
        assert "Step 2 of 9" in status.inner_text()
        for label, value in (("Kernel size (1–5)", "3"), ("Stride (1–3)", "2")):
            widget.get_by_label(label).fill(value)
        assert "Step 1 of 1" in status.inner_text()  # (4 − 3)/2 + 1 = 1.5, rounded down as PyTorch does
        assert "never read" in widget.locator(".sw-status").first.inner_text()
        widget.get_by_label("Input size (3–9)").fill("5")
        assert "Step 1 of 4" in status.inner_text()
        # Dilation and the transposed convolution are taught later: behind a switch, off
        widget.get_by_label("More controls").check()
        widget.get_by_label("Transposed").check()
        assert "Step 1 of 121" in status.inner_text()  # (5 − 1)·2 − 0 + (3 − 1) + 1 = 11 per side
        widget.get_by_label("More controls").uncheck()  # hidden again, and back to the plain layer
        assert "Step 1 of 4" in status.inner_text()
    finally:
        context.close()


@in_browser
def test_each_page_shows_only_the_controls_it_has_taught(server, browser):
    """Basics: dilation and transposed wait behind "More controls", off by default.
    Weight sharing, shown: the page's worked example (its 4×4 image and 3×3 kernel, so no
    size controls) and the cross-correlation / convolution switch, whose first output
    is the worked example's, computed here by loops."""
    from snippets.sharing.mechanism import IMAGE, KERNEL

    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(server + "basics/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-sliding")
        widget = page.locator("#sw-sliding")
        assert widget.get_by_label("Dilation (1–3)").is_hidden() and widget.get_by_label("Transposed").is_hidden()
        assert not widget.get_by_label("More controls").is_checked()
        assert widget.get_by_label("Compute").count() == 0
        page.goto(server + "weight-sharing/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-sliding")
        widget = page.locator("#sw-sliding")
        assert widget.get_by_label("Input size (3–9)").count() == 0 and widget.get_by_label("More controls").count() == 0
        status = widget.locator(".sw-products")
        first = lambda w: int(sum(w[m, n] * IMAGE[m, n] for m in range(3) for n in range(3)))  # noqa: E731
        assert status.inner_text().startswith("Step 1 of 4: output (0, 0) =")
        assert status.inner_text().endswith("= " + str(first(KERNEL)).replace("-", "\u2212"))
        widget.get_by_label("Compute").select_option("convolve")
        assert status.inner_text().endswith("= " + str(first(KERNEL[::-1, ::-1])).replace("-", "\u2212"))
        assert widget.locator("figcaption", has_text="kernel, turned half a turn").count() == 1
    finally:
        context.close()


@in_browser
def test_calculator_names_the_invalid_layer_and_stays_accessible(calculator_page, axe):
    page = calculator_page
    page.get_by_label("Start from").select_option("vgg16")
    assert "138,357,544 parameters" in page.locator("#sw-calculator .sw-status").inner_text()
    page.get_by_label("Layer 2 groups").fill("5")  # VGG's 64 channels are not divisible by 5
    status = page.locator("#sw-calculator .sw-status").inner_text()
    assert status.startswith("Invalid stack: layer 2 (conv): groups=5 must divide 64"), status
    assert page.locator("#sw-calculator tr.sw-error").count() == 1
    page.get_by_label("Layer 2 kernel size").fill("0")  # out of range: the status says why
    status = page.locator("#sw-calculator .sw-status").inner_text()
    assert status.startswith("Invalid stack: layer 2 (conv): kernel must be a positive integer, not 0"), status
    violations = [v["id"] for v in axe.run(page).response["violations"]]
    assert not violations
    assert not page.errors


PASTED = """import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 32, kernel_size=(3, 5), padding=(1, 2)),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 16 * 16, 10),
)
"""


@in_browser
def test_calculator_reads_a_pasted_model_and_keeps_it_in_the_address(server, browser, axe):
    """A pasted model becomes the stack (its totals are what walk gives for it), the
    address holds it (a reload brings it back), a broken model names its line, and the
    text the reader typed is never written into the page as HTML."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "calculator/", wait_until="networkidle")
    page.wait_for_function(READY.format("parseModel"))
    want = page.evaluate("t => window.sharedWeights.calculator.walk([32, 32, 3], window.sharedWeights.calculator.parseModel(t))", PASTED)
    params = sum(r["params"] for r in want)
    page.get_by_text("Paste your own model").click()
    page.get_by_label("A PyTorch nn.Sequential(...) or Keras Sequential([...]) model").fill(PASTED)
    page.get_by_role("button", name="Read model").click()
    status = page.locator("#sw-calculator .sw-status")
    assert status.inner_text().startswith(f"{params:,} parameters"), status.inner_text()
    assert "#stack=" in page.url
    page.reload(wait_until="networkidle")
    page.wait_for_function(READY.format("walk"))
    assert page.locator("#sw-calculator .sw-status").inner_text().startswith(f"{params:,} parameters")
    assert page.locator("#sw-calculator .sw-field-picture svg").count() == 1
    page.get_by_text("Paste your own model").click()
    page.get_by_label("A PyTorch nn.Sequential(...) or Keras Sequential([...]) model").fill(
        "nn.Sequential(\n  nn.Conv2d(3, 8, 3),\n  nn.Conv2d(3, 8, 3, <img src=x onerror=alert(1)>),\n)")
    page.get_by_role("button", name="Read model").click()
    assert status.inner_text().startswith("The model could not be read: line 3:"), status.inner_text()
    assert page.locator("#sw-calculator img").count() == 0
    violations = [v["id"] for v in axe.run(page).response["violations"]]
    assert not violations and not errors
    context.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


JS_BUDGET = 30_000  # bytes of widget JavaScript per page, gzipped
WIDGET_PAGES = {"basics/": ("sliding",), "weight-sharing/": ("sliding", "tied"), "calculator/": ("calculator",),
                "equivariance/": ("shift",), "provenance/": ("filter",)}


@pytest.mark.site
def test_only_pages_with_a_widget_load_widget_code(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        path = html.relative_to(site).as_posix().removesuffix("index.html")
        widgets = tuple(re.findall(r'data-sw-widget="(\w+)"', text))
        assert widgets == WIDGET_PAGES.get(path, ()), f"/{path}: widgets {widgets}"
        assert ("assets/widgets/" in text) == bool(widgets), f"/{path}"


@in_browser
@pytest.mark.parametrize("path", WIDGET_PAGES)
def test_widget_javascript_fits_the_budget(path, server, browser):
    context = browser.new_context()
    page = context.new_page()
    bodies = {}
    page.on("response", lambda r: "/assets/widgets/" in r.url and bodies.setdefault(r.url, r))
    page.goto(server + path, wait_until="networkidle")
    for widget in WIDGET_PAGES[path]:
        page.wait_for_function(MOUNTED, arg=f"#sw-{widget}")
    sizes = {url.rsplit("/", 1)[1]: len(gzip.compress(r.body(), compresslevel=6, mtime=0)) for url, r in bodies.items()}
    context.close()
    print(f"/{path}: {sum(sizes.values()):,} bytes of widget JavaScript gzipped: {sizes}")
    assert sum(sizes.values()) <= JS_BUDGET, sizes


# --- the shift slider: it displays the snippet's data, and only that -------------------------

SHOWN = """() => Array.from(document.querySelectorAll('#sw-shift figure')).map(f => ({
  caption: f.querySelector('figcaption').textContent,
  cells: f.querySelectorAll('rect:not(:first-child)').length,
})).concat([{facts: document.querySelector('#sw-shift .sw-status').innerText}])"""


@in_browser
def test_shift_slider_shows_the_snippets_frames(server, browser, snippet_runs):
    """Every frame in both paddings: the four maps of that padding, the cells outlined as
    differing from the moved unshifted result, and facts that say equivariant or invariant
    exactly when the snippet's flags do."""
    frames = snippet_runs.values("equiv_shift")["frames"]
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server + "equivariance/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-shift")
        assert page.evaluate("window.sharedWeights.shift.shiftFrames") == frames
        slider, padding = page.locator("#sw-shift input[type=range]"), page.locator("#sw-shift select")
        for mode in ("circular", "zero"):
            padding.select_option(mode)
            for f in frames:
                slider.fill(str(f["shift"]))
                *maps, facts = page.evaluate(SHOWN)
                shown = [f[f"{mode}_{key}"] for key in ("image", "map", "pooled", "stride2")]
                differs = [0] + [len(f[f"{mode}_{key}_differs"]) for key in ("map", "pooled", "stride2")]
                assert [m["cells"] for m in maps] == [int(np.count_nonzero(a)) + d for a, d in zip(shown, differs)], (mode, f["shift"])
                facts = facts["facts"]
                assert f"{f[f'{mode}_pooled_changed']} of {f[f'{mode}_pooled_total']} outputs differ" in facts
                assert f"{f[f'{mode}_global']:.4f}" in facts
                assert ("exactly: equivariant" in facts) == f[f"{mode}_map_follows"], (mode, f["shift"])
                assert ("odd shift" in facts) == (f["shift"] % 2 == 1)
                assert ("the same as unshifted: invariant." in facts) == (f[f"{mode}_global"] == frames[0][f"{mode}_global"])
    finally:
        context.close()


@in_browser
def test_without_javascript_the_static_figures_and_fallbacks_stay(server, browser):
    context = browser.new_context(java_script_enabled=False, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(server + "weight-sharing/")
        assert page.locator("#sw-sliding").is_hidden() and page.locator("#sw-tied").is_hidden()
        for figure in ("sharing_mechanism/worked", "sharing_tied/matrices"):
            assert page.locator(f"figure.sw-figure img[src*='{figure}.light']").is_visible(), figure
        for path, widget in (("calculator/", "calculator"), ("equivariance/", "shift")):
            page.goto(server + path)
            assert page.locator(f"#sw-{widget}").is_hidden()
            assert page.locator(f"[data-sw-fallback='sw-{widget}']").is_visible(), path
        page.goto(server + "provenance/")  # no filter box, every entry listed
        assert page.locator("#sw-filter").is_hidden()
        assert page.locator("article tbody tr:visible").count() == page.locator("article tbody tr").count() > 0
    finally:
        context.close()


# --- the filter box of "Where every number comes from" ------------------------------------

FILTER_LABEL = "Filter by value name, snippet or page"
VISIBLE = """() => ({
  rows: Array.from(document.querySelectorAll('article tbody tr')).filter(r => r.offsetParent !== null).length,
  snippets: Array.from(document.querySelectorAll('article h3[id]')).filter(h => h.offsetParent !== null).map(h => h.id),
  pages: Array.from(document.querySelectorAll('#by-page + div p')).filter(p => p.offsetParent !== null).length,
})"""


@pytest.fixture(scope="module")
def provenance_lists(site):
    """From the built page itself, without JavaScript: each snippet's rows, and the
    By page paragraphs naming each snippet's path."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / "provenance" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {h3["id"]: len(h3.find_next_sibling("div").select("tbody tr")) for h3 in soup.select("article h3[id]")}
    paragraphs = [p.get_text() for p in soup.find(id="by-page").find_next_sibling("div").select("p")]
    return rows, paragraphs


@in_browser
@pytest.mark.parametrize("scheme, viewport", [("light", DESKTOP), ("dark", PHONE)])
def test_the_provenance_filter_narrows_the_lists_by_keyboard(server, browser, axe, provenance_lists, scheme, viewport):
    rows, paragraphs = provenance_lists
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(server + "provenance/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-filter")
        status = page.locator("#sw-filter [role=status]")
        total = sum(rows.values())
        assert status.inner_text() == f"{total} values in {len(rows)} snippets, {len(paragraphs)} pages."
        box = page.get_by_label(FILTER_LABEL)  # the visible label names the box
        assert box.is_visible()
        box.focus()
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), "no visible focus on the filter box"
        page.keyboard.type("snippets/basics/padding.py")
        shown = page.evaluate(VISIBLE)
        naming = [p for p in paragraphs if "snippets/basics/padding.py" in p]
        assert shown == {"rows": rows["basics_padding"], "snippets": ["basics_padding"], "pages": len(naming)}
        assert status.inner_text() == (f"{rows['basics_padding']} of {total} values in 1 of {len(rows)} snippets match; "
                                       f"{len(naming)} of {len(paragraphs)} pages.")
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        violations = [v["id"] for v in axe.run(page).response["violations"]]
        assert not violations, violations
        page.keyboard.type(" no-such-word")
        assert page.evaluate(VISIBLE) == {"rows": 0, "snippets": [], "pages": 0}
        page.keyboard.press("Escape")  # clears the box: everything is back
        assert box.input_value() == ""
        assert page.evaluate(VISIBLE) == {"rows": total, "snippets": list(rows), "pages": len(paragraphs)}
        box.fill("REAL ARCHITECTURES")  # a page's name, in any case: the rows of the values it shows
        shown = page.evaluate(VISIBLE)
        assert 0 < shown["rows"] < total and shown["pages"] == 1
        box.fill("")
        assert page.evaluate(VISIBLE)["rows"] == total
    finally:
        context.close()
    assert not errors, errors


# --- pointing: outputs and weights, by keyboard, with axe -----------------------------------


@in_browser
def test_sliding_filter_points_at_outputs_and_weights_by_keyboard(server, browser, axe):
    """Enter on an output jumps to its step and the arrow keys move along the outputs;
    Enter on a kernel weight outlines every cell it multiplies (as many as reach() lists
    for that weight); the live line names the step, not the whole equation."""
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(server + "basics/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-sliding")
        widget = page.locator("#sw-sliding")
        widget.get_by_label("Input size (3–9)").fill("5")
        widget.get_by_label("Input channels (1–3)").fill("2")
        widget.get_by_label("Filters (1–2)").fill("2")
        widget.get_by_role("button", name="output (0, 0) of filter 2: go to its step").focus()
        page.keyboard.press("Enter")
        live = widget.locator("[role=status]")
        assert live.inner_text() == "Step 10 of 18: output (0, 0) of filter 2."  # 3×3 outputs per filter
        page.keyboard.press("ArrowRight")
        assert live.inner_text() == "Step 11 of 18: output (0, 1) of filter 2."
        assert "output (0, 1) of filter 2" in page.evaluate("document.activeElement.getAttribute('aria-label')")
        widget.get_by_role("button", name="weight (1, 1) of channel 1: show every cell it multiplies").focus()
        page.keyboard.press("Enter")
        reach = len(cells_multiplied_by(5, 3, 1, 1))
        assert f"multiplies the {reach} outlined cells" in widget.locator(".sw-status").first.inner_text()
        assert widget.locator("svg .sw-reach").count() == reach
        assert not [v["id"] for v in axe.run(page).response["violations"]]
    finally:
        context.close()


def cells_multiplied_by(n, k, a, b, stride=1, padding=0):
    """The input cells (row, col) that kernel weight (a, b) multiplies somewhere as a k×k
    filter slides over an n×n input: every output position, tap on padding left out."""
    out = (n + 2 * padding - k) // stride + 1
    cells = {(i * stride + a - padding, j * stride + b - padding) for i in range(out) for j in range(out)}
    return {(r, c) for r, c in cells if 0 <= r < n and 0 <= c < n}


def test_cells_multiplied_by_counts_a_corner_weight_on_padding():
    # 3×3 input, 3×3 kernel, padding 1: 3×3 outputs; the top-left weight lands on the input
    # only when the window starts at row ≥ 0 and column ≥ 0 after padding, i.e. outputs
    # (1..2, 1..2) reading cells (0..1, 0..1): four cells, counted by hand.
    assert cells_multiplied_by(3, 3, 0, 0, padding=1) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert len(cells_multiplied_by(5, 3, 1, 1)) == 9


@in_browser
def test_tied_matrix_points_at_weights_and_outputs_by_keyboard(server, browser, axe):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server + "weight-sharing/", wait_until="networkidle")
        page.wait_for_function(MOUNTED, arg="#sw-tied")
        widget = page.locator("#sw-tied")
        widget.get_by_role("button", name="Kernel weight w₀,₀").focus()
        page.keyboard.press("Enter")
        page.keyboard.press("ArrowRight")
        pressed = widget.locator(".sw-legend [aria-pressed=true]")
        assert pressed.inner_text() == "w₀,₁" and page.evaluate("document.activeElement.textContent") == "w₀,₁"
        count = len(cells_multiplied_by(5, 3, 0, 1))
        assert f"multiplies {count} of the 25 input pixels" in widget.locator(".sw-status").first.inner_text()
        widget.get_by_role("button", name="Output 1,1").click()
        assert "Output (1, 1) is row 5 of each matrix. It reads 9 pixels" in widget.locator(".sw-status").first.inner_text()
        widget.get_by_label("Image size (3–9)").fill("12")
        assert "must be a whole number from 3 to 9" in widget.locator(".sw-status").last.inner_text()
        assert not [v["id"] for v in axe.run(page).response["violations"]]
    finally:
        context.close()
