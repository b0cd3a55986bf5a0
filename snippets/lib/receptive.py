"""Receptive fields of layer specs, by arithmetic: the closed form and the layer-by-layer
recurrence.

A unit's *receptive field* is the set of input pixels it depends on. Along one axis,
every unit of a feature map has a field of the same `size`; neighbouring units' fields
are `jump` input pixels apart (the effective stride); and the field of unit 0 starts at
input coordinate `start`, which is minus the *effective padding*. Unit ``i`` then covers
``start + i·jump`` to ``start + i·jump + size - 1`` and is centred half-way.

Two ways to get ``(size, jump, start)`` per axis here, and a third, independent one in
`brute_force_fields`:

- `closed_form`: the sums of Araujo, Norris and Sim (Distill, 2019) for a single path,
  ``size = 1 + sum_l (span_l - 1)·J_l``, ``start = -sum_l padding_l·J_l``,
  ``jump = prod_l stride_l`` with ``J_l`` the product of the strides before layer ``l``
  and ``span = dilation·(kernel - 1) + 1``;
- `fields`: the recurrence, one layer at a time, through `Sequential` and `Residual`
  blocks (a residual block's field is the union of its paths' fields);
- `brute_force_fields.measured`: read off the gradients of an all-ones copy of the network.

"Padding" always means the pixels added *before* (top, left): what is added after can
change the number of outputs, never where a field starts. A spec's ``geometry`` gives
that padding.

*Effective* receptive fields (Luo et al., 2016), measured on random weights, are in
`effective_fields`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from snippets.lib.accounting import walk
from snippets.lib.formulas import Pair
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
    """One `FieldRow` per layer, named as `accounting.walk` names them, up to the first
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
