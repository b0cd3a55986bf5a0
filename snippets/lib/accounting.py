"""Going through a network of layer specifications: one row per layer, and totals.

`walk(layers, input_shape)` returns one `Row` per layer with its name, kind, geometry
(kernel, stride, padding, dilation as ``(h, w)`` pairs), output shape, trainable and
non-trainable parameters and multiply-adds; `totals(rows)` adds them up.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from snippets.lib.formulas import Pair
from snippets.lib.specs import ResidualSpec, SequentialSpec, kind

@dataclass(frozen=True)
class Row:
    """One layer of a walked network. Geometry fields are ``(h, w)`` pairs, or None for
    layers without a regular spatial window (dense, flatten, uneven adaptive pooling)."""

    name: str
    kind: str
    spec: Any
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    kernel: Pair | None
    stride: Pair | None
    padding: Pair | None
    dilation: Pair | None
    params: int
    non_trainable: int
    macs: int
    macs_excluding_padding: int


@dataclass(frozen=True)
class Totals:
    """Sums over rows. ``total`` is trainable + non-trainable, Keras's "Total params"."""

    params: int
    non_trainable: int
    macs: int
    macs_excluding_padding: int
    out_shape: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.params + self.non_trainable


def walk(layers, input_shape, prefix: str = "") -> list[Row]:
    """One `Row` per layer, in order, feeding each layer's output shape to the next.

    A `SequentialSpec` contributes its layers' rows, named ``block.layer``; a `ResidualSpec` its
    main-path rows, its shortcut rows (``block.shortcut.layer``) and a final ``Add`` row.
    Unnamed layers are named by their position, like ``torch.nn.Sequential``."""
    rows, shape = [], tuple(input_shape)
    for index, layer in enumerate(layers):
        name = prefix + (layer.name or str(index))
        if isinstance(layer, SequentialSpec):
            new = walk(layer.layers, shape, f"{name}.")
        elif isinstance(layer, ResidualSpec):
            new = _residual_rows(layer, shape, name)
        else:
            new = [_row(layer, shape, name)]
        rows += new
        shape = new[-1].out_shape if new else shape
    return rows


def _row(layer, shape, name) -> Row:
    count = layer.count(shape)
    geometry = layer.geometry(shape) or (None,) * 4
    exact = count.macs if count.macs_excluding_padding is None else count.macs_excluding_padding
    return Row(name, kind(layer), layer, shape, tuple(count.out_shape), *geometry,
               count.params, count.non_trainable, count.macs, exact)


def _residual_rows(block: ResidualSpec, shape, name) -> list[Row]:
    main = walk(block.main, shape, f"{name}.")
    shortcut = walk(block.shortcut, shape, f"{name}.shortcut.")
    out = main[-1].out_shape if main else shape
    other = shortcut[-1].out_shape if shortcut else shape
    if out != other:
        raise ValueError(f"{name}: cannot add {out} and {other}")
    add = Row(f"{name}.add", "Add", block, out, out, (1, 1), (1, 1), (0, 0), (1, 1), 0, 0, 0, 0)
    return main + shortcut + [add]


def totals(rows) -> Totals:
    """Add up parameters and MACs of walked rows; the output shape is the last row's."""
    return Totals(
        params=sum(r.params for r in rows),
        non_trainable=sum(r.non_trainable for r in rows),
        macs=sum(r.macs for r in rows),
        macs_excluding_padding=sum(r.macs_excluding_padding for r in rows),
        out_shape=rows[-1].out_shape,
    )


def summarize(layers, input_shape) -> Totals:
    """`totals` of `walk`: the whole network in one call."""
    return totals(walk(layers, input_shape))
