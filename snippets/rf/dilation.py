"""Dilated 3×3 stacks: receptive fields that double per layer for parameters that add up.

Stacks of 3×3 convolutions with dilations 1, 2, 4, ... against the same stacks without
dilation: the receptive field, the parameters (the same for both) and how many plain
3×3 layers the dilated field would take; and what happens when the dilations skip 1.
"""
import numpy as np

from snippets.lib import brute_force_fields, receptive, style
from snippets.lib.accounting import summarize
from snippets.lib.specs import ConvSpec

DEPTHS = range(1, 9)
CHANNELS = 64  # filters per layer (and input channels), as in a mid-sized network
GRIDDING = (2, 4, 8)  # dilations that start above 1: the field has holes


def stack(dilations):
    """3×3 'same' convolutions with the given dilations."""
    return [ConvSpec(CHANNELS, 3, padding=d, dilation=d, name=f"conv{i}") for i, d in enumerate(dilations, 1)]


SHAPE = (CHANNELS, 1, 1)  # 'same' padding keeps any size; fields and parameters do not depend on it


def field(network):
    return receptive.fields(network, SHAPE)[-1].field.size[0]


def params(network):
    return summarize(network, SHAPE).params


def holes(dilations):
    """Share of the pixels inside a central unit's field bounding box that it never sees."""
    network = stack(dilations)
    counts = brute_force_fields.path_counts(network, 2 * field(network) + 1)
    rows, cols = np.nonzero(counts)
    box = counts[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    return float((box == 0).mean())


def compute():
    table = []
    for depth in DEPTHS:
        dilated, plain = stack([2 ** i for i in range(depth)]), stack([1] * depth)
        table.append({"layers": depth, "field, dilated": field(dilated), "field, undilated": field(plain),
                      "parameters (both)": params(dilated),
                      "undilated layers for the same field": (field(dilated) - 1) // 2})
    deepest = table[-1]
    return {
        "table": table,
        "depth": deepest["layers"],
        "field_dilated": deepest["field, dilated"],
        "field_plain": deepest["field, undilated"],
        "params_per_layer": params(stack([1])),
        "params": deepest["parameters (both)"],
        "plain_layers_needed": deepest["undilated layers for the same field"],
        "holes_doubling": holes([2 ** i for i in range(4)]),
        "holes_gridding": holes(GRIDDING),
        "gridding_field": field(stack(GRIDDING)),
    }


def figure_growth(v):
    """Two panels against the number of layers: on the left the receptive field of the
    dilated stack doubling (a straight line on a logarithmic axis) while the undilated one
    grows by two pixels per layer; on the right the parameters, the same straight line for
    both."""
    theme = style.current()
    fig, (left, right) = style.figure(6.8, 3.0, ncols=2)
    depth = [r["layers"] for r in v["table"]]
    left.plot(depth, [r["field, dilated"] for r in v["table"]], "o-", color=theme.series[0], label="dilations 1, 2, 4, …")
    left.plot(depth, [r["field, undilated"] for r in v["table"]], "s-", color=theme.series[1], label="undilated")
    left.set_yscale("log", base=2)
    left.set_xlabel("layers")
    left.set_ylabel("receptive field (pixels)")
    left.legend(frameon=False, fontsize=8.5)
    right.plot(depth, [r["parameters (both)"] / 1000 for r in v["table"]], "o-", color=theme.fg)
    right.set_xlabel("layers")
    right.set_ylabel("parameters (thousands, both stacks)")
    for ax in (left, right):
        ax.grid(axis="y")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
