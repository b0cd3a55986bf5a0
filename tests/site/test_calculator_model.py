"""The calculator's own-model reader and its stricter `walk`, in V8, against snippets/lib.

- `walk` (stack.js) on random stacks that use every op, PyTorch's transposed convolution,
  TensorFlow's 'same' padding, global and adaptive pooling and declared input channels
  included, equals `accounting.walk` and `receptive.fields` over the layer specs, with the
  transposed layer's shape and weights read off the reference layer `layers.conv_transpose2d`
  run on an array; every stack PyTorch would refuse is refused, naming the layer.
- `parseModel` (parse.js) reads the same stacks printed as PyTorch `nn.Sequential(...)`
  and as Keras `Sequential([...])` text (and the calculator's presets), and walking what it
  read gives the same rows.
- Mutation: an off-by-one in either module fails the comparison.

No browser: the modules are pure and run in mini-racer (tests/jsmodules.py).
"""
import random

import numpy as np
import pytest

from conftest import walk_mismatches
from jsmodules import WIDGETS, Modules
from snippets.lib import formulas, layers, receptive
from snippets.lib.accounting import walk
from snippets.lib.specs import (AdaptiveAvgPoolSpec, AvgPoolSpec, BatchNormSpec, ConvSpec, DenseSpec, DropoutSpec,
                                FlattenSpec, GlobalAvgPoolSpec, MaxPoolSpec, ReLUSpec, ZeroPadSpec)

SEED = 23
CASES = 400


@pytest.fixture(scope="module")
def js():
    with Modules("stack", "parse", "presets") as modules:
        yield modules


# --- the oracle: snippets/lib ------------------------------------------------------------------


def pair(v):
    return tuple(v) if isinstance(v, list) else (v, v)


class Refused(Exception):
    """PyTorch (or the calculator's vocabulary) refuses this layer."""


def refusal(layer, shape):
    """Why PyTorch refuses `layer` on a tensor of `shape` (C, H, W) or (D,), or None."""
    op = layer["op"]
    known = {"conv": {"out", "kernel", "stride", "padding", "dilation", "groups", "bias", "in"},
             "convtranspose": {"out", "kernel", "stride", "padding", "output_padding", "dilation", "groups", "bias", "in"},
             "maxpool": {"kernel", "stride", "padding", "dilation"}, "avgpool": {"kernel", "stride", "padding"},
             "globalavgpool": set(), "adaptiveavgpool": {"out"}, "batchnorm": {"in"}, "relu": set(),
             "activation": {"name"}, "dropout": {"p"}, "flatten": set(), "dense": {"out", "bias", "in"}}[op]
    if set(layer) - {"op"} - known:
        return "unknown key"
    if "bias" in layer and not isinstance(layer["bias"], bool):
        return "bias not a bool"
    if "in" in layer and layer["in"] != shape[0 if len(shape) == 3 else -1]:
        return "declared input disagrees"
    if op in ("maxpool", "avgpool") and isinstance(layer.get("padding", 0), int):
        for k, p, d in zip(pair(layer["kernel"]), pair(layer.get("padding", 0)), pair(layer.get("dilation", 1))):
            if 2 * p > d * (k - 1) + 1:
                return "pool padding over half the window"
    if op == "convtranspose":
        for op_, s, d in zip(pair(layer.get("output_padding", 0)), pair(layer.get("stride", 1)), pair(layer.get("dilation", 1))):
            if op_ >= max(s, d):
                return "output_padding too large"
    return None


def transposed_row(layer, chw):
    """Shape and weights of a transposed convolution, from the reference layer run on zeros."""
    c, h, w = chw
    groups, out = layer.get("groups", 1), layer["out"]
    if c % groups or out % groups:
        raise Refused("groups")
    kernel = pair(layer["kernel"])
    weights = np.zeros((c, out // groups, *kernel))
    bias = np.zeros(out) if layer.get("bias", True) else None
    try:
        y = layers.conv_transpose2d(np.zeros((1, c, h, w)), weights, bias, stride=pair(layer.get("stride", 1)),
                                    padding=pair(layer.get("padding", 0)), output_padding=pair(layer.get("output_padding", 0)),
                                    dilation=pair(layer.get("dilation", 1)), groups=groups)
    except ValueError as error:
        raise Refused(str(error)) from None
    if min(y.shape[2:]) < 1:
        raise Refused("empty output")
    params = weights.size + (bias.size if bias is not None else 0)
    macs = h * w * weights.size  # every input pixel scatters every weight once
    return tuple(y.shape[1:]), params, macs


def specs_of(layer, chw):
    """The specs of snippets/lib for one calculator layer on a (C, H, W) input."""
    op, get = layer["op"], layer.get
    geometry = {k: pair(v) for k, v in layer.items() if k in ("kernel", "stride", "padding", "dilation")}
    if op == "conv":
        if layer.get("padding") in ("same", "valid"):
            del geometry["padding"]
            sides = [formulas.same_padding(n, k, s, d) if layer["padding"] == "same" else (0, 0)
                     for n, k, s, d in zip(chw[1:], pair(layer["kernel"]), pair(get("stride", 1)), pair(get("dilation", 1)))]
            pad = ZeroPadSpec(before=(sides[0][0], sides[1][0]), after=(sides[0][1], sides[1][1]))
            return [pad, ConvSpec(layer["out"], groups=get("groups", 1), bias=get("bias", True), **geometry)]
        return [ConvSpec(layer["out"], groups=get("groups", 1), bias=get("bias", True), **geometry)]
    if op in ("maxpool", "avgpool"):
        if layer.get("padding") == "valid":
            del geometry["padding"]
        return [(MaxPoolSpec if op == "maxpool" else AvgPoolSpec)(**geometry)]
    if op == "globalavgpool":
        return [GlobalAvgPoolSpec()]
    if op == "adaptiveavgpool":
        return [AdaptiveAvgPoolSpec(pair(layer["out"]))]
    if op == "dense":
        return [DenseSpec(layer["out"], bias=get("bias", True))]
    return [{"flatten": FlattenSpec, "relu": ReLUSpec, "activation": ReLUSpec, "dropout": DropoutSpec,
             "batchnorm": BatchNormSpec}[op]()]


def hwc(shape):
    return [*shape[1:], shape[0]] if len(shape) == 3 else list(shape)


def expected(input_hwc, stack):
    """What walk(input, stack) must return, or ("error", n) for the first refused layer n."""
    shape = (input_hwc[2], input_hwc[0], input_hwc[1])
    specs, rows, field_alive = [], [], True
    for n, layer in enumerate(stack, 1):
        if refusal(layer, shape):
            return ("error", n)
        try:
            if layer["op"] == "convtranspose":
                if len(shape) != 3:
                    raise Refused("flat")
                out, params, macs = transposed_row(layer, shape)
                rows.append({"shape": hwc(out), "params": params, "nontrainable": 0, "macs": macs, "rf": None, "jump": None, "start": None, "centre": None})
                shape, specs, field_alive = out, [], False
                continue
            new = specs_of(layer, shape)
            counted = walk(specs + new, (input_hwc[2], input_hwc[0], input_hwc[1]))[-1] if field_alive else walk(new, shape)[-1]
        except (ValueError, TypeError, KeyError, IndexError, Refused):
            return ("error", n)  # IndexError: a window layer on a flat vector
        specs += new
        row = {"shape": hwc(counted.out_shape), "params": sum(r.params for r in walk(new, shape)),
               "nontrainable": sum(r.non_trainable for r in walk(new, shape)), "macs": sum(r.macs for r in walk(new, shape))}
        field = None
        if field_alive and len(counted.out_shape) == 3:
            found = receptive.fields(specs, (input_hwc[2], input_hwc[0], input_hwc[1]))
            field = found[-1].field if len(found) == len(specs) else None
            field_alive = field is not None
        else:
            field_alive = False
        row.update(rf=field and list(field.size), jump=field and list(field.jump), start=field and list(field.start),
                   centre=field and list(field.centre((0, 0))))
        rows.append(row)
        shape = counted.out_shape
    return rows


# --- random stacks that use every op ---------------------------------------------------------------


def size(rng, low, high):
    return rng.randint(low, high) if rng.random() < 0.8 else [rng.randint(low, high), rng.randint(low, high)]


def random_stack(rng):
    input_hwc = [rng.randint(6, 40), rng.randint(6, 40), rng.choice([1, 2, 3, 4, 6, 8, 12])]
    stack, flat = [], False
    for _ in range(rng.randint(1, 6)):
        choices = ["conv", "convtranspose", "maxpool", "avgpool", "globalavgpool", "adaptiveavgpool", "relu",
                   "activation", "dropout", "batchnorm", "flatten", "dense"]
        weights = [6, 2, 2, 2, 0.5, 0.5, 1, 0.5, 0.5, 1, 1.5, 0.3] if not flat else [0.2, 0, 0, 0, 0, 0, 1, 0.5, 0.5, 0.5, 0, 5]
        op = rng.choices(choices, weights)[0]
        if op in ("conv", "convtranspose"):
            layer = {"op": op, "out": rng.choice([1, 2, 3, 4, 6, 8, 12]), "kernel": size(rng, 1, 5), "stride": size(rng, 1, 3),
                     "padding": size(rng, 0, 2), "dilation": size(rng, 1, 2), "groups": rng.choice([1] * 10 + [2, 3]),
                     "bias": rng.random() < 0.7}
            if op == "conv" and rng.random() < 0.2:
                layer["padding"] = rng.choice(["same", "valid"])
            if op == "convtranspose":
                layer["output_padding"] = rng.choice([0, 0, 1, [0, 1], 2])
            for key in ("stride", "padding", "dilation", "groups", "bias"):
                if rng.random() < 0.15:
                    del layer[key]
        elif op in ("maxpool", "avgpool"):
            layer = {"op": op, "kernel": size(rng, 1, 4), "padding": rng.choice([0, 0, 0, 1, 1, 2])}
            if rng.random() < 0.7:
                layer["stride"] = size(rng, 1, 3)
            if op == "maxpool" and rng.random() < 0.2:
                layer["dilation"] = 2
        elif op == "adaptiveavgpool":
            layer = {"op": op, "out": size(rng, 1, 4)}
        elif op == "dense":
            layer = {"op": op, "out": rng.randint(1, 50), "bias": rng.random() < 0.8}
        elif op == "activation":
            layer = {"op": op, "name": rng.choice(["tanh", "gelu"])}
        elif op == "dropout":
            layer = {"op": op, "p": 0.5}
        else:
            layer = {"op": op}
        if rng.random() < 0.04:  # what PyTorch or the vocabulary refuses
            layer[rng.choice(["paddding", "transposed", "bias"])] = rng.choice([1, "no", True])
        flat = flat or op == "flatten"
        stack.append(layer)
    return input_hwc, stack


@pytest.fixture(scope="module")
def cases():
    rng = random.Random(SEED)
    cases = [random_stack(rng) for _ in range(CASES)]
    return cases, [expected(*case) for case in cases]


def mismatches(js, cases, want):
    return walk_mismatches(cases, [js("stack.walk", input_hwc, stack) for input_hwc, stack in cases], want)


def test_walk_equals_the_reference_on_every_op(js, cases):
    stacks, want = cases
    refused = sum(isinstance(w, tuple) for w in want)
    used = {layer["op"] for (_, stack), w in zip(stacks, want) if not isinstance(w, tuple) for layer in stack}
    assert 40 <= refused <= CASES - 150, f"{refused} refused stacks: rebalance the generator"
    assert used >= {"conv", "convtranspose", "maxpool", "avgpool", "globalavgpool", "adaptiveavgpool", "batchnorm", "dense"}
    bad = mismatches(js, stacks, want)
    assert not bad, f"{len(bad)} of {len(stacks)} stacks differ; first: {bad[0]}"


@pytest.mark.parametrize("layer, message", [
    ({"op": "conv", "out": 4, "kernel": 3, "paddding": 1}, 'unknown key "paddding"'),
    ({"op": "conv", "out": 4, "kernel": 3, "bias": "no"}, 'bias must be true or false, not "no"'),
    ({"op": "conv", "out": 4, "kernel": 3, "transposed": True}, 'unknown key "transposed"'),
    ({"op": "avgpool", "kernel": 2, "dilation": 2}, 'unknown key "dilation"'),
    ({"op": "maxpool", "kernel": 3, "padding": 2}, "more than half the window"),
    ({"op": "convtranspose", "out": 4, "kernel": 3, "stride": 2, "output_padding": 2}, "output_padding 2 must be smaller"),
    ({"op": "conv", "in": 4, "out": 4, "kernel": 3}, "declares 4 input channels, but 3 reach it"),
])
def test_walk_refuses_what_pytorch_refuses_and_names_it(js, layer, message):
    got = js("stack.walk", [8, 8, 3], [{"op": "relu"}, layer])
    assert got["error"].startswith(f"layer 2 ({layer['op']}): ") and message in got["error"], got


# --- the reader's own model ---------------------------------------------------------------------


def literal(v):
    return f"({v[0]}, {v[1]})" if isinstance(v, list) else repr(v)


# The arguments after (in_channels, out_channels, kernel_size), in PyTorch's signature order.
TORCH_ORDER = {"conv": ("stride", "padding", "dilation", "groups", "bias"),
               "convtranspose": ("stride", "padding", "output_padding", "groups", "bias", "dilation")}


def as_pytorch(input_hwc, stack):
    """The stack as PyTorch source, or None if it holds what PyTorch cannot say."""
    shape, lines = (input_hwc[2], input_hwc[0], input_hwc[1]), []
    for layer in stack:
        op = layer["op"]
        if op in ("conv", "convtranspose"):
            if layer.get("padding") == "valid" or (layer.get("padding") == "same" and pair(layer.get("stride", 1)) != (1, 1)):
                return None
            name = "Conv2d" if op == "conv" else "ConvTranspose2d"
            args = [str(shape[0]), str(layer["out"]), literal(layer["kernel"])]
            order = TORCH_ORDER[op]
            # Every other layer passes its leading arguments by position, in PyTorch's order.
            positional = len(lines) % 2 == 0
            for key in order:
                if key in layer:
                    value = literal(layer[key]) if key != "bias" else str(layer[key])
                    args.append(value if positional else f"{key}={value}")
                else:
                    positional = False
            lines.append(f"nn.{name}({', '.join(args)})")
        elif op in ("maxpool", "avgpool"):
            args = [literal(layer["kernel"])] + [f"{k}={literal(layer[k])}" for k in ("stride", "padding", "dilation") if k in layer]
            lines.append(f"nn.{'MaxPool2d' if op == 'maxpool' else 'AvgPool2d'}({', '.join(args)})")
        elif op == "globalavgpool":
            lines.append("nn.AdaptiveAvgPool2d(1)")
        elif op == "adaptiveavgpool":
            lines.append(f"nn.AdaptiveAvgPool2d({literal(layer['out'])})")
        elif op == "batchnorm":
            lines.append(f"nn.BatchNorm{'2' if len(shape) == 3 else '1'}d({shape[0] if len(shape) == 3 else shape[-1]})")
        elif op == "dense":
            h_in = shape[-1]
            lines.append(f"nn.Linear({h_in}, {layer['out']}" + ("" if layer.get("bias", True) else ", bias=False") + ")")
        elif op == "flatten":
            lines.append("nn.Flatten()")
        elif op == "dropout":
            lines.append(f"nn.Dropout(p={layer['p']})")
        else:
            lines.append("nn.ReLU()" if op == "relu" else "nn.Tanh()")
        shape = _next_shape(shape, layer)
        if shape is None:
            return None
    return "import torch.nn as nn\n\nmodel = nn.Sequential(\n" + "".join(f"    {line},\n" for line in lines) + ")\n"


def _next_shape(shape, layer):
    """The (C, H, W) or (D,) after `layer`, by the oracle; None if refused."""
    if len(shape) == 3:
        rows = expected([shape[1], shape[2], shape[0]], [layer])
        if isinstance(rows, tuple):
            return None
        out = rows[0]["shape"]
        return (out[2], out[0], out[1]) if len(out) == 3 else tuple(out)
    if layer["op"] == "dense":
        return (layer["out"],)
    return shape if layer["op"] in ("relu", "activation", "dropout", "batchnorm") else None


def as_keras(input_hwc, stack):
    """The stack as Keras source, or None if it holds what Keras cannot say this way."""
    lines = [f"keras.Input(shape=({input_hwc[0]}, {input_hwc[1]}, {input_hwc[2]}))"]
    for layer in stack:
        op = layer["op"]
        if op == "conv":
            padding = layer.get("padding", 0)
            if padding == 0:
                padding = "valid"
            if padding not in ("same", "valid"):
                return None
            stride, dilation = pair(layer.get("stride", 1)), pair(layer.get("dilation", 1))
            if stride != (1, 1) and dilation != (1, 1):
                return None
            args = [str(layer["out"]), literal(layer["kernel"]), f"strides={literal(layer.get('stride', 1))}",
                    f'padding="{padding}"', f"dilation_rate={literal(layer.get('dilation', 1))}",
                    f"groups={layer.get('groups', 1)}", f"use_bias={layer.get('bias', True)}"]
            lines.append(f"layers.Conv2D({', '.join(args)})")
        elif op in ("maxpool", "avgpool"):
            if layer.get("padding", 0) or "dilation" in layer:
                return None
            args = [literal(layer["kernel"])] + ([f"strides={literal(layer['stride'])}"] if "stride" in layer else [])
            lines.append(f"layers.{'MaxPooling2D' if op == 'maxpool' else 'AveragePooling2D'}({', '.join(args)})")
        elif op == "batchnorm":
            lines.append("layers.BatchNormalization()")
        elif op == "dense":
            lines.append(f"layers.Dense({layer['out']}, use_bias={layer.get('bias', True)})")
        elif op == "flatten":
            lines.append("layers.Flatten()")
        elif op in ("relu", "activation"):
            lines.append('layers.Activation("relu")')
        elif op == "dropout":
            lines.append(f"layers.Dropout({layer['p']})")
        else:
            return None
    return "model = keras.Sequential([\n" + "".join(f"    {line},\n" for line in lines) + "])\n"


SHAPE_ONLY = ("relu", "activation", "dropout")  # each dialect writes these its own way


def core(stack, rows):
    """The rows of the layers that are not activations or dropout."""
    return [row for layer, row in zip(stack, rows) if layer["op"] not in SHAPE_ONLY]


def test_pasted_models_read_back_to_the_same_rows(js, cases):
    stacks, want = cases
    checked = {"pytorch": 0, "keras": 0}
    for (input_hwc, stack), expect in zip(stacks, want):
        if isinstance(expect, tuple):
            continue
        for dialect, text in (("pytorch", as_pytorch(input_hwc, stack)), ("keras", as_keras(input_hwc, stack))):
            if text is None:
                continue
            read = js("parse.readModel", text)
            assert "error" not in read, (text, read)
            assert read["framework"] == dialect
            if dialect == "keras":
                assert read["input"] == input_hwc
            rows = js("stack.walk", input_hwc, read["layers"])
            assert "error" not in rows, (text, rows)
            assert rows[-1]["shape"] == expect[-1]["shape"], text
            assert core(read["layers"], rows) == core(stack, expect), text
            checked[dialect] += 1
    assert checked["pytorch"] >= 150 and checked["keras"] >= 60, checked


def test_every_preset_walks(js):
    """walk() refuses unknown keys: the presets must use only the keys of their ops."""
    for key, preset in js.value("presets.PRESETS").items():
        rows = js("stack.walk", preset["input"], preset["layers"])
        assert "error" not in rows, (key, rows)


def test_presets_read_back_from_pytorch_text(js):
    presets = js.value("presets.PRESETS")
    for key, preset in presets.items():
        if any(layer["op"] in ("subsample", "rbf") or "table" in layer for layer in preset["layers"]):
            continue  # LeNet-5's layers have no PyTorch module
        text = as_pytorch(preset["input"], preset["layers"])
        assert text is not None, key
        rows = js("stack.walk", preset["input"], js("parse.parseModel", text))
        assert rows == js("stack.walk", preset["input"], preset["layers"]), key


@pytest.mark.parametrize("text, message", [
    ("nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.Conv2d(3, 8, 3, paddding=1),\n)", "line 3, layer 2 (Conv2d): Conv2d has no argument \"paddding\""),
    ("nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.LSTM(8, 8),\n)", "line 3, layer 2 (LSTM): LSTM is not a layer"),
    ("nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding='same'))", "padding='same' is not supported for strided"),
    ("nn.Sequential(nn.MaxPool2d(2, ceil_mode=True))", "ceil_mode=True is not supported"),
    ("keras.Sequential([layers.Conv2D(8, 3, padding='full')])", 'padding must be "same" or "valid"'),
    ("nn.Sequential(nn.Conv2d(3, 8, 3)", 'expected ")"'),
    ("__import__('os')", "__import__ is not nn.Sequential(...)"),
    ("nn.Sequential(nn.Linear(in_features=x, out_features=3))", "unknown name x"),
])
def test_unreadable_models_say_which_line_and_layer(js, text, message):
    got = js("parse.readModel", text)
    assert "error" in got and message in got["error"], got


def test_a_layer_whose_channels_disagree_is_refused(js):
    layers_ = js("parse.parseModel", "nn.Sequential(\n  nn.Conv2d(3, 16, 3),\n  nn.Conv2d(8, 4, 3),\n)")
    got = js("stack.walk", [8, 8, 3], layers_)
    assert got["error"] == "layer 2 (conv): it declares 8 input channels, but 16 reach it"


def test_arithmetic_and_tuples_read_as_python_would(js):
    text = "model = nn.Sequential(nn.Flatten(), nn.Linear(32 * 8 * 8 + 0, (100 // 3) - 1, bias=False))"
    assert js("parse.parseModel", text) == [{"op": "flatten"}, {"op": "dense", "in": 32 * 8 * 8, "out": 100 // 3 - 1, "bias": False}]


# --- mutations ---------------------------------------------------------------------------------------

MUTATIONS = {
    "transposed size": ("stack", "+ extra[a] + 1;", "+ extra[a];"),
    "same padding": ("stack", "total - Math.floor(total / 2)]", "total - Math.floor(total / 2) + 1]"),
    "adaptive window": ("stack", "const step = [shape[0] / out[0], shape[1] / out[1]];", "const step = [shape[0] / out[0] + 1, shape[1] / out[1]];"),
    "pool padding rule": ("stack", "if (2 * before[a] > span)", "if (2 * before[a] > span + 1)"),
    "torch argument order": ("parse", '"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation"',
                             '"in_channels", "out_channels", "kernel_size", "padding", "stride", "dilation"'),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_the_comparison_catches_an_off_by_one(mutation, cases):
    module, old, new = MUTATIONS[mutation]
    source = (WIDGETS / f"{module}.js").read_text(encoding="utf-8")
    assert source.count(old) == 1, f"mutation {mutation!r} no longer applies: {old!r}"
    stacks, want = cases
    with Modules("stack", "parse", "presets", mutate={module: lambda text: text.replace(old, new)}) as mutated:
        caught = bool(mismatches(mutated, stacks, want))
        if not caught:
            try:
                test_pasted_models_read_back_to_the_same_rows(mutated, cases)
            except AssertionError:
                caught = True
    assert caught, f"mutation {mutation!r} went unnoticed"
