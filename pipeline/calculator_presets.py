"""The calculator's presets, generated from the network definitions of the site.

The layer-stack calculator (docs/assets/widgets/calculator.js) offers the sequential
networks of *Real architectures* as presets. They are not typed a second time in
JavaScript: `presets()` translates `snippets.lib.architectures` into the calculator's layer
vocabulary (the ops and keys of stack.js `KEYS`), and the build serves `presets_js()` as
the module ``assets/widgets/presets.js`` (pipeline/plugin.py), which the tests load too
(tests/jsmodules.py), so they check what the site serves.

Layers that change neither a shape nor a count are left out, as the calculator's own
layer list would not show them: activations, dropout, local response normalisation, and
an adaptive pooling to the size it already has.
"""
import json

from snippets.lib import architectures
from snippets.lib.accounting import walk
from snippets.lib.specs import (
    AdaptiveAvgPoolSpec, AvgPoolSpec, BatchNormSpec, ConvSpec, DenseSpec, DepthwiseConvSpec, DropoutSpec,
    FlattenSpec, GlobalAvgPoolSpec, LRNSpec, MaxPoolSpec, RBFSpec, ReLU6Spec, ReLUSpec, ResidualSpec, SequentialSpec,
    SubsampleSpec, TanhSpec,
)

PATH = "assets/widgets/presets.js"  # where the site serves it, relative to docs/
PRESETS = ("lenet5", "alexnet_2012", "vgg16", "mobilenet_v1")  # in the order the calculator lists them
UNCOUNTED = (ReLUSpec, ReLU6Spec, TanhSpec, DropoutSpec, LRNSpec)  # no shape, no parameter, no multiply-add
POOLS = {MaxPoolSpec: "maxpool", AvgPoolSpec: "avgpool", SubsampleSpec: "subsample"}


def _size(value):
    """An int, or an (h, w) pair as a JSON list."""
    return list(value) if isinstance(value, tuple) else value


def calculator_layer(row):
    """The calculator's layer (a dict in stack.js's vocabulary) for one walked row of a
    sequential network, or None for a layer it leaves out."""
    spec, c = row.spec, row.in_shape[0]
    if isinstance(spec, UNCOUNTED):
        return None
    if isinstance(spec, AdaptiveAvgPoolSpec):
        if row.out_shape == row.in_shape:
            return None
        return {"op": "adaptiveavgpool", "out": _size(spec.output_size)}
    if isinstance(spec, (ConvSpec, DepthwiseConvSpec)):
        depthwise = isinstance(spec, DepthwiseConvSpec)
        layer = {"op": "conv", "out": c * spec.multiplier if depthwise else spec.out_channels,
                 "kernel": _size(spec.kernel), "stride": _size(spec.stride), "padding": _size(spec.padding),
                 "dilation": _size(spec.dilation), "groups": c if depthwise else spec.groups, "bias": spec.bias}
        if not depthwise and spec.table is not None:
            layer["table"] = [list(inputs) for inputs in spec.table]
        return layer
    if type(spec) in POOLS:
        layer = {"op": POOLS[type(spec)], "kernel": _size(spec.kernel), "stride": _size(spec.stride)}
        if type(spec) is not SubsampleSpec:
            layer.update({key: _size(getattr(spec, key)) for key, default in (("padding", 0), ("dilation", 1))
                          if getattr(spec, key) != default})
        return layer
    if isinstance(spec, GlobalAvgPoolSpec):
        return {"op": "globalavgpool"}
    if isinstance(spec, BatchNormSpec):
        return {"op": "batchnorm"}
    if isinstance(spec, FlattenSpec):
        return {"op": "flatten"}
    if isinstance(spec, DenseSpec):
        return {"op": "dense", "out": spec.units, "bias": spec.bias}
    if isinstance(spec, RBFSpec):
        return {"op": "rbf", "out": spec.units}
    raise ValueError(f"{row.name}: the calculator has no layer for {type(spec).__name__}")


def preset_layers(key):
    """(name of the layer in `architectures`, calculator layer) for each layer the preset
    of network `key` keeps, in order."""
    network = architectures.NETWORKS[key]()
    if any(isinstance(layer, (SequentialSpec, ResidualSpec)) for layer in network):
        raise ValueError(f"{key} has blocks: the calculator takes a sequential network")
    rows = walk(network, architectures.INPUT[key])
    return [(row.name, layer) for row in rows if (layer := calculator_layer(row)) is not None]


def presets():
    """Every preset: {key: {name, input as [H, W, C], layers}}."""
    out = {}
    for key in PRESETS:
        c, h, w = architectures.INPUT[key]
        out[key] = {"name": architectures.NAMES[key], "input": [h, w, c],
                    "layers": [layer for _, layer in preset_layers(key)]}
    return out


def presets_js():
    """presets.js: the module that exports `PRESETS`, one layer per line."""
    lines = ["// Generated at every build by pipeline/calculator_presets.py from snippets/lib/architectures.py:",
             "// edit those, not this file. The sequential networks of \"Real architectures\" in the calculator's",
             "// layer vocabulary (stack.js KEYS), without the layers that change no shape and no count.",
             "export const PRESETS = {"]
    for key, preset in presets().items():
        lines.append(f"  {json.dumps(key)}: {{\"name\": {json.dumps(preset['name'])}, "
                     f"\"input\": {json.dumps(preset['input'])}, \"layers\": [")
        lines += [f"    {json.dumps(layer)}," for layer in preset["layers"]]
        lines.append("  ]},")
    return "\n".join(lines + ["};", ""])
