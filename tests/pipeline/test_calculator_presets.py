"""The calculator's presets, generated from snippets/lib/architectures.py
(pipeline/calculator_presets.py), against the Python walk of the same networks.

Oracle: `accounting.walk` and `receptive.fields` of the full networks in
`architectures` (every layer, activations included), compared layer by layer with what
stack.js's `walk` makes of the generated presets.js in V8 (tests/jsmodules.py serves the
generated module, as the site does). The layers a preset leaves out must change nothing.
Totals against the page's own values: tests/site/test_widgets.py.
"""
import pytest

from jsmodules import WIDGETS, Modules
from pipeline import calculator_presets
from snippets.lib import architectures, receptive
from snippets.lib.accounting import walk
from snippets.lib.specs import (AdaptiveAvgPoolSpec, AvgPoolSpec, BatchNormSpec, ConvSpec, DenseSpec, DepthwiseConvSpec,
                                FlattenSpec, MaxPoolSpec, ReLUSpec)


def hwc(shape):
    return [*shape[1:], shape[0]] if len(shape) == 3 else list(shape)


@pytest.fixture(scope="module")
def js():
    with Modules("stack", "presets") as modules:
        yield modules


def python_walk(key):
    """{layer name: (row, receptive field or None)} of the full network."""
    network, chw = architectures.NETWORKS[key](), architectures.INPUT[key]
    fields = {row.name: row.field for row in receptive.fields(network, chw)}
    return walk(network, chw), fields


def mismatches(js, key, layers):
    """Layers whose stack.js row differs from the Python walk of network `key`, for the
    calculator `layers` as (name in the Python walk, layer) pairs."""
    c, h, w = architectures.INPUT[key]
    got = js("stack.walk", [h, w, c], [layer for _, layer in layers])
    assert "error" not in got, got
    rows, fields = python_walk(key)
    by_name = {row.name: row for row in rows}
    bad = []
    for (name, _), js_row in zip(layers, got, strict=True):
        row, field = by_name[name], fields.get(name)
        want = {"shape": hwc(row.out_shape), "params": row.params, "nontrainable": row.non_trainable, "macs": row.macs,
                "field": field and [list(field.size), list(field.jump), list(field.start)]}
        found = {k: js_row[k] for k in ("shape", "params", "nontrainable", "macs")}
        found["field"] = js_row["rf"] and [js_row["rf"], js_row["jump"], js_row["start"]]
        if found != want:
            bad.append((name, found, want))
    return bad


@pytest.mark.parametrize("key", calculator_presets.PRESETS)
def test_every_preset_layer_walks_as_the_python_network(js, key):
    """Shape, parameters, non-trainable parameters, multiply-adds and receptive field of
    each layer the preset keeps equal those of the same layer in the Python walk."""
    kept = calculator_presets.preset_layers(key)
    preset = js.value("presets.PRESETS")[key]
    assert preset["layers"] == [layer for _, layer in kept]
    assert preset["input"] == hwc(architectures.INPUT[key]) and preset["name"] == architectures.NAMES[key]
    assert not mismatches(js, key, kept)


def test_every_layer_type_translates(js, monkeypatch):
    """The translation of layers no preset has yet (pairs, dilation, padded and average
    pooling, a channel multiplier, an adaptive pooling that changes the size) walks as
    the Python walk too."""
    network = [ConvSpec(8, (3, 5), (1, 2), padding=(1, 0), dilation=(2, 1), bias=False, name="conv"),
               BatchNormSpec(name="bn"), ReLUSpec(name="relu"),
               DepthwiseConvSpec(3, 2, padding=1, multiplier=2, name="depthwise"),
               MaxPoolSpec(3, 2, padding=1, name="maxpool"), AvgPoolSpec(2, name="avgpool"),
               AdaptiveAvgPoolSpec(2, name="adaptive"), FlattenSpec(name="flatten"), DenseSpec(5, bias=False, name="fc")]
    monkeypatch.setitem(architectures.NETWORKS, "mixed", lambda: network)
    monkeypatch.setitem(architectures.INPUT, "mixed", (3, 37, 41))
    layers = calculator_presets.preset_layers("mixed")
    assert [name for name, _ in layers] == [layer.name for layer in network if layer.name != "relu"]
    assert not mismatches(js, "mixed", layers)


@pytest.mark.parametrize("key", calculator_presets.PRESETS)
def test_the_layers_a_preset_leaves_out_change_nothing(key):
    rows, fields = python_walk(key)
    kept = {name for name, _ in calculator_presets.preset_layers(key)}
    assert any(row.name not in kept for row in rows), key  # each has activations to leave out
    for before, row in zip([None, *rows], rows):
        if row.name in kept:
            continue
        assert row.out_shape == row.in_shape and (row.params, row.non_trainable, row.macs) == (0, 0, 0), row.name
        if before is not None and row.name in fields:
            assert fields[row.name] == fields[before.name], row.name  # nor does it widen the field


def test_presets_js_is_generated_deterministically_and_says_so():
    text = calculator_presets.presets_js()
    assert text == calculator_presets.presets_js()
    assert text.startswith("// Generated at every build by pipeline/calculator_presets.py from snippets/lib/architectures.py")
    assert not (WIDGETS / "presets.js").exists(), "presets.js is generated: a hand copy in docs/ would shadow it"


def test_a_network_with_blocks_is_refused(monkeypatch):
    monkeypatch.setattr(calculator_presets, "PRESETS", ("resnet18",))
    with pytest.raises(ValueError, match="resnet18 has blocks"):
        calculator_presets.presets()
