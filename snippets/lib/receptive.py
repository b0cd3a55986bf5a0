"""Receptive fields of layer specs: closed form, layer-by-layer recurrence, brute force.

A unit's *receptive field* is the set of input pixels it depends on. Along one axis,
every unit of a feature map has a field of the same `size`; neighbouring units' fields
are `jump` input pixels apart (the effective stride); and the field of unit 0 starts at
input coordinate `start`, which is minus the *effective padding*. Unit ``i`` then covers
``start + i·jump`` to ``start + i·jump + size - 1`` and is centred half-way.

Three independent ways to get ``(size, jump, start)`` per axis:

- `closed_form`: the sums of Araujo, Norris and Sim (Distill, 2019) for a single path,
  ``size = 1 + sum_l (span_l - 1)·J_l``, ``start = -sum_l padding_l·J_l``,
  ``jump = prod_l stride_l`` with ``J_l`` the product of the strides before layer ``l``
  and ``span = dilation·(kernel - 1) + 1``;
- `fields`: the recurrence, one layer at a time, through `Sequential` and `Residual`
  blocks (a residual block's field is the union of its paths' fields);
- `measured`: brute force. Replace every window by an all-ones convolution of its
  geometry (same kernel, stride, padding, dilation), push the gradient of two central
  output units back through `layers.conv2d_backward`, and read where it is nonzero.

"Padding" always means the pixels added *before* (top, left): what is added after can
change the number of outputs, never where a field starts. A spec's ``geometry`` gives
that padding; the brute force takes what comes after from the spec's output shape.

The module also measures *effective* receptive fields (Luo et al., 2016): the gradient
of a centre unit with respect to the input through deep stacks of k×k convolutions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from snippets.lib import layers
from snippets.lib.accounting import walk
from snippets.lib.formulas import conv_output_size, Pair, pair
from snippets.lib.specs import AdaptiveAvgPoolSpec, GlobalAvgPoolSpec, ResidualSpec, SequentialSpec, kind


@dataclass(frozen=True)
class Field:
    """Receptive field of the units of one feature map, each field an ``(h, w)`` pair."""

    size: Pair
    jump: Pair
    start: Pair

    @property
    def padding(self) -> Pair:
        """Effective padding: how far unit 0's field reaches before the input's first pixel."""
        return tuple(-s for s in self.start)

    def centre(self, index: Pair) -> tuple[float, float]:
        """Input coordinates of the centre of unit ``index``'s field."""
        return tuple(s + i * j + (n - 1) / 2 for s, i, j, n in zip(self.start, index, self.jump, self.size))


INPUT_FIELD = Field((1, 1), (1, 1), (0, 0))  # each input pixel sees itself


def through(field: Field, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair) -> Field:
    """The recurrence: the field after one more window layer."""
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    return Field(
        size=tuple(n + (s - 1) * j for n, s, j in zip(field.size, span, field.jump)),
        jump=tuple(j * s for j, s in zip(field.jump, stride)),
        start=tuple(a - p * j for a, p, j in zip(field.start, padding, field.jump)),
    )


def union(a: Field, b: Field) -> Field:
    """Field of a sum of two paths: from the earlier start to the later end."""
    if a.jump != b.jump:
        raise ValueError(f"paths with jumps {a.jump} and {b.jump} cannot be added")
    start = tuple(min(x, y) for x, y in zip(a.start, b.start))
    end = tuple(max(x + n, y + m) for x, n, y, m in zip(a.start, a.size, b.start, b.size))
    return Field(tuple(e - s for e, s in zip(end, start)), a.jump, start)


# --- the recurrence ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One layer of a network and the receptive field of its output units."""

    name: str
    kind: str
    spec: object
    out_shape: tuple[int, ...]
    field: Field


def fields(network, input_shape, prefix: str = "", field: Field = INPUT_FIELD) -> list[FieldRow]:
    """One `FieldRow` per layer, named as `counting.walk` names them, up to the first
    layer without a spatial window (a flatten or dense layer sees the whole input)."""
    rows, shape = [], tuple(input_shape)
    for index, layer in enumerate(network):
        name = prefix + (layer.name or str(index))
        if isinstance(layer, SequentialSpec):
            new = fields(layer.layers, shape, f"{name}.", field)
        elif isinstance(layer, ResidualSpec):
            new = _residual_fields(layer, shape, field, name)
        elif layer.geometry(shape) is None:
            break
        else:
            new = [FieldRow(name, kind(layer), layer, tuple(layer.count(shape).out_shape),
                            through(field, *layer.geometry(shape)))]
        if new:
            rows += new
            shape, field = new[-1].out_shape, new[-1].field
    return rows


def _residual_fields(block, shape, field, name) -> list[FieldRow]:
    main = fields(block.main, shape, f"{name}.", field)
    shortcut = fields(block.shortcut, shape, f"{name}.shortcut.", field)
    ends = [path[-1] if path else FieldRow("", "", None, shape, field) for path in (main, shortcut)]
    return main + shortcut + [FieldRow(f"{name}.add", "Add", block, ends[0].out_shape,
                                       union(ends[0].field, ends[1].field))]


# --- the closed form ---------------------------------------------------------------------


def closed_form(network, input_shape) -> Field:
    """Field of the last spatial layer of a single-path network, from the Distill sums."""
    rows = walk(network, input_shape)
    if any(r.kind == "Add" for r in rows):
        raise ValueError("the closed form holds for a single path; use `fields` for residual blocks")
    spatial = []
    for row in rows:
        if row.kernel is None:
            break
        spatial.append(row)
    kernel, stride, padding, dilation = (np.array([getattr(r, g) for r in spatial])
                                         for g in ("kernel", "stride", "padding", "dilation"))
    before = np.cumprod(np.vstack([np.ones((1, 2), int), stride[:-1]]), axis=0)  # J_l per layer
    size = 1 + ((dilation * (kernel - 1)) * before).sum(axis=0)
    start = -(padding * before).sum(axis=0)
    return Field(_ints(size), _ints(stride.prod(axis=0)), _ints(start))


def _ints(pair_array) -> Pair:
    return tuple(int(v) for v in pair_array)


# --- brute force ---------------------------------------------------------------------------


def measured(network, size: int) -> Field:
    """Field measured on a ``size × size`` input from the gradients of two output units.

    Units ``(i, i)`` and ``(i + 1, i + 1)`` at the centre of the last spatial map: the
    rows and columns where each gradient is nonzero are their fields, the distance
    between the two is the jump, and the start of unit ``i``'s field minus ``i·jump`` is
    where unit 0's starts. All weights are ones, so no two paths cancel. Raises
    ValueError when the input is too small for those fields to avoid every padding."""
    spatial = features(network)
    x = np.ones((2, 1, size, size))
    out = _push(spatial, x)
    index = tuple((n - 2) // 2 for n in out.shape[2:])
    grad = np.zeros_like(out)
    grad[0, 0, index[0], index[1]] = 1
    grad[1, 0, index[0] + 1, index[1] + 1] = 1
    g = _pull(spatial, x, grad, strict=True)
    spans = [[_support(g[n, 0].any(axis=1 - axis)) for n in (0, 1)] for axis in (0, 1)]
    jump = tuple(b[0] - a[0] for a, b in spans)
    return Field(
        size=tuple(a[1] - a[0] + 1 for a, _ in spans),
        jump=jump,
        start=tuple(a[0] - i * j for (a, _), i, j in zip(spans, index, jump)),
    )


def path_counts(network, size: int, index=None) -> np.ndarray:
    """Gradient of one output unit (default: the central one) with respect to a
    ``size × size`` input when every weight is one and every pooling averages, times
    the window sizes: how many paths lead from each input pixel to that unit."""
    spatial = features(network)
    x = np.ones((1, 1, size, size))
    out = _push(spatial, x)
    grad = np.zeros_like(out)
    index = index or tuple((n - 1) // 2 for n in out.shape[2:])
    grad[0, 0, index[0], index[1]] = 1
    return _pull(spatial, x, grad)[0, 0]


def _support(mask) -> tuple[int, int]:
    rows = np.flatnonzero(mask)
    return int(rows[0]), int(rows[-1])


def features(network):
    """The layers of `network` before its global pooling or its first flat layer: the
    last feature map whose units have fields of their own."""
    kept = []
    for layer in network:
        block = isinstance(layer, (SequentialSpec, ResidualSpec))
        if isinstance(layer, (GlobalAvgPoolSpec, AdaptiveAvgPoolSpec)) or not block and layer.geometry(None) is None:
            break
        kept.append(layer)
    return kept


def _push(network, x):
    """Forward through the all-ones version of `network` (one channel)."""
    for layer in network:
        x = _push_one(layer, x)
    return x


def _push_one(layer, x):
    if isinstance(layer, SequentialSpec):
        return _push(layer.layers, x)
    if isinstance(layer, ResidualSpec):
        return _push(layer.main, x) + _push(layer.shortcut, x)
    window = _window(layer, x.shape)
    if window is None:
        return x
    kernel, stride, dilation, before, after = window
    return layers.conv2d(_frame(x, before, after), np.ones((1, 1, *kernel)), stride=stride, dilation=dilation)


def _pull(network, x, grad, strict=False):
    """Gradient with respect to `x` of ``sum(grad · network(x))``, layer by layer backwards.

    `strict` refuses gradients that reach any layer's padding: a unit that reads padding
    inside the network has a field clipped by that map's border, not the whole field."""
    inputs = []
    for layer in network:
        inputs.append(x)
        x = _push_one(layer, x)
    for layer, x_in in zip(reversed(network), reversed(inputs)):
        grad = _pull_one(layer, x_in, grad, strict)
    return grad


def _pull_one(layer, x, grad, strict):
    if isinstance(layer, SequentialSpec):
        return _pull(layer.layers, x, grad, strict)
    if isinstance(layer, ResidualSpec):
        return _pull(layer.main, x, grad, strict) + _pull(layer.shortcut, x, grad, strict)
    window = _window(layer, x.shape)
    if window is None:
        return grad
    kernel, stride, dilation, before, after = window
    framed = _frame(x, before, after)
    grad_framed = layers.conv2d_backward(framed, np.ones((1, 1, *kernel)), grad, stride=stride,
                                         dilation=dilation)[0]
    # Adjoint of _frame: drop the added pixels, give the cropped ones a zero gradient.
    grad_x = np.zeros_like(x)
    rows, cols = (min(n, f - b) for n, f, b in zip(x.shape[2:], framed.shape[2:], before))
    kept = grad_framed[:, :, before[0]:before[0] + rows, before[1]:before[1] + cols]
    grad_x[:, :, :rows, :cols] = kept
    if strict and np.count_nonzero(grad_framed) != np.count_nonzero(kept):  # all ones: nothing cancels
        raise ValueError("the central units read a feature map's padding: use a larger input")
    return grad_x


def _window(layer, x_shape):
    """(kernel, stride, dilation, before, after) of a window layer; None for an identity.

    ``before`` is the spec's padding. ``after`` is the same for the symmetric specs of
    `specs`, minus the trailing pixels that no window reaches (the floor in the output
    size skips them; a negative count crops them); a spec that pads asymmetrically, such
    as `specs.ZeroPadSpec`, states its own ``after``."""
    shape = (1, *x_shape[2:])
    kernel, stride, padding, dilation = layer.geometry(shape)
    if hasattr(layer, "after"):
        return kernel, stride, dilation, padding, pair(layer.after)
    if kernel == (1, 1) and stride == (1, 1) and padding == (0, 0):
        return None
    out = [conv_output_size(*axis) for axis in zip(shape[1:], kernel, stride, padding, dilation)]
    after = tuple((o - 1) * s + d * (k - 1) + 1 - n - p
                  for o, s, d, k, n, p in zip(out, stride, dilation, kernel, shape[1:], padding))
    return kernel, stride, dilation, padding, after


def _frame(x, before, after):
    """Zeros added before and after the rows and columns; a negative `after` crops."""
    kept = x[:, :, :x.shape[2] + min(after[0], 0), :x.shape[3] + min(after[1], 0)]
    widths = ((0, 0), (0, 0), (before[0], max(after[0], 0)), (before[1], max(after[1], 0)))
    return np.pad(kept, widths)


# --- effective receptive fields --------------------------------------------------------------


def stack_gradients(weights, x, depths, relu=False):
    """Gradient maps of the centre unit of a stack of k×k 'same' convolutions.

    ``weights`` is ``(L, S, k, k)``: S independent single-channel stacks run side by side
    as the groups of one grouped convolution. Returns ``{depth: (S, H, W)}``, the gradient
    of the centre output of layer ``depth`` (before its activation) with respect to the
    input ``x`` ``(S, H, W)``; with ``relu``, a ReLU follows every layer but the last."""
    count, seeds, k, _ = weights.shape
    w = weights[:, :, None]  # (L, S, 1, k, k): one filter per group
    h = x[None]
    pre = []  # pre-activations, whose signs gate the gradient
    for layer in range(max(depths)):
        a = layers.relu(h) if relu and layer else h
        pre.append(h)
        h = layers.conv2d(a, w[layer], padding=k // 2, groups=seeds)
    pre.append(h)
    centre = tuple(n // 2 for n in x.shape[1:])
    maps = {}
    for depth in depths:
        grad = np.zeros_like(pre[depth])
        grad[0, :, centre[0], centre[1]] = 1
        for layer in range(depth, 0, -1):
            inputs = layers.relu(pre[layer - 1]) if relu and layer > 1 else pre[layer - 1]
            grad = layers.conv2d_backward(inputs, w[layer - 1], grad, padding=k // 2, groups=seeds)[0]
            if relu and layer > 1:
                grad = layers.relu_backward(pre[layer - 1], grad)
        maps[depth] = grad[0]
    return maps


def spread(weight_map) -> float:
    """Standard deviation, in pixels along the rows, of a nonnegative map read as a
    distribution (the columns give the same for the square maps here)."""
    marginal = weight_map.sum(axis=1) / weight_map.sum()
    rows = np.arange(marginal.size)
    mean = rows @ marginal
    return math.sqrt(((rows - mean) ** 2) @ marginal)


def growth_exponent(depths, sizes) -> float:
    """Slope of log(size) against log(depth): size ∝ depth^slope."""
    return float(np.polyfit(np.log(depths), np.log(sizes), 1)[0])
