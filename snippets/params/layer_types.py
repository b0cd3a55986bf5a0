"""Seven layers between the same two shapes: what sharing saves and what it does not.

Maps one feature map to another of fixed shape with a dense layer, a locally connected
layer, four convolutions (plain, dilated, grouped, 1×1) and a depthwise-separable one,
and counts the parameters and multiply-adds of each.
"""
import math

from snippets.lib import style
from snippets.lib.accounting import totals, walk
from snippets.lib.formulas import flops
from snippets.lib.specs import ConvSpec, DenseSpec, DepthwiseConvSpec, FlattenSpec, LocallyConnectedSpec

IN_SHAPE = (8, 16, 16)  # channels, height, width
OUT_CHANNELS = 16  # every layer below returns OUT_CHANNELS × 16 × 16 values
KERNEL, DILATION, GROUPS = 3, 2, 4


def layers(bias=True):
    """Each layer type as counting specs; the separable layer is its two factors."""
    c, h, w = IN_SHAPE
    same = KERNEL // 2  # padding that keeps the height and width
    return {
        "dense": ("dense", [FlattenSpec(), DenseSpec(OUT_CHANNELS * h * w, bias=bias)]),
        "lc": ("locally connected 3×3", [LocallyConnectedSpec(OUT_CHANNELS, KERNEL, padding=same, bias=bias)]),
        "conv": ("convolution 3×3", [ConvSpec(OUT_CHANNELS, KERNEL, padding=same, bias=bias)]),
        "dilated": (f"dilated convolution 3×3, dilation {DILATION}",
                    [ConvSpec(OUT_CHANNELS, KERNEL, padding=same * DILATION, dilation=DILATION, bias=bias)]),
        "grouped": (f"grouped convolution 3×3, {GROUPS} groups",
                    [ConvSpec(OUT_CHANNELS, KERNEL, padding=same, groups=GROUPS, bias=bias)]),
        "separable": ("depthwise-separable 3×3",
                      [DepthwiseConvSpec(KERNEL, padding=same, bias=False), ConvSpec(OUT_CHANNELS, 1, bias=bias)]),
        "pointwise": ("1×1 convolution", [ConvSpec(OUT_CHANNELS, 1, bias=bias)]),
    }


def compute():
    c, h, w = IN_SHAPE
    values = {"in_shape": (h, w, c), "out_shape": (h, w, OUT_CHANNELS), "positions": h * w}
    table = []
    weights_only = layers(bias=False)
    for key, (label, specs) in layers(bias=True).items():
        rows = walk(specs, IN_SHAPE)
        total, weights = totals(rows), totals(walk(weights_only[key][1], IN_SHAPE)).params
        assert math.prod(total.out_shape) == OUT_CHANNELS * h * w, key
        values |= {f"{key}_params": total.params, f"{key}_weights": weights, f"{key}_macs": total.macs}
        if key == "separable":
            values |= {"separable_depthwise_weights": rows[0].params, "separable_pointwise_params": rows[1].params,
                       "separable_depthwise_macs": rows[0].macs, "separable_pointwise_macs": rows[1].macs}
        table.append({"layer": label, "parameters": total.params, "without biases": weights,
                      "multiply-adds": total.macs, "multiply-adds per weight": round(total.macs / weights, 2)})
    return values | {
        "layers": table,
        "lc_over_conv_params": values["lc_params"] // values["conv_params"],
        "lc_over_conv_macs": values["lc_macs"] / values["conv_macs"],
        "conv_flops": flops(values["conv_macs"]),
    }


def figure_comparison(v):
    """Paired horizontal bars on a logarithmic axis, one pair per layer type: parameters
    and multiply-adds for the same input and output shapes. The locally connected layer
    and the convolution have equally long multiply-add bars, while the convolution's
    parameter bar is far shorter; only the dense layer has more of both."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.9)
    table = v["layers"]
    rows = range(len(table))
    height = 0.38
    ax.barh([r - height / 2 for r in rows], [t["parameters"] for t in table], height, color=theme.series[0],
            label="parameters")
    ax.barh([r + height / 2 for r in rows], [t["multiply-adds"] for t in table], height, color=theme.series[1],
            label="multiply-adds")
    ax.set_yticks(list(rows), [t["layer"].replace(", ", "\n") for t in table])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("count per example (log scale)")
    ax.grid(axis="x", which="major")
    ax.set_axisbelow(True)
    ax.legend(loc="lower right")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
