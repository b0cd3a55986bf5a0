"""Where VGG-16 keeps its parameters and where it spends its multiply-adds.

Splits VGG-16's parameters and multiply-adds over its 13 convolutions and 3 dense
layers: the dense layers hold most of the weights, the convolutions do most of the work.
"""
from snippets.lib import architectures, style
from snippets.lib.accounting import totals, walk


def compute():
    rows = [r for r in walk(architectures.vgg16(), architectures.INPUT["vgg16"]) if r.params]
    total = totals(rows)
    conv, dense = ([r for r in rows if r.kind == kind] for kind in ("Conv", "Dense"))
    fc6 = next(r for r in dense if r.name == "fc6")
    busiest = max(r.macs for r in conv)
    return {
        "conv_layers": len(conv),
        "dense_layers": len(dense),
        "dense_params_share": sum(r.params for r in dense) / total.params,
        "conv_params_share": sum(r.params for r in conv) / total.params,
        "conv_macs_share": sum(r.macs for r in conv) / total.macs,
        "dense_macs_share": sum(r.macs for r in dense) / total.macs,
        "fc6_params": fc6.params,
        "fc6_params_share": fc6.params / total.params,
        "fc6_macs_share": fc6.macs / total.macs,
        "busiest_conv_macs": busiest,
        "busiest_conv_count": sum(r.macs == busiest for r in conv),
        # the cost is not flat: a stage's first convolution, the last stage and conv1_1 differ
        "stage_opening_macs": macs_of(conv, "conv2_1"),
        "stage_opening_count": sum(r.macs == macs_of(conv, "conv2_1") for r in conv),
        "last_stage_macs": macs_of(conv, "conv5_1"),
        "last_stage_count": sum(r.name.startswith("conv5_") for r in conv),
        "first_conv_macs": macs_of(conv, "conv1_1"),
        "conv1_2_params": next(r.params for r in conv if r.name == "conv1_2"),  # the page's opening example
        "fc6_macs": fc6.macs,
        "_names": [r.name for r in rows],
        "_params": [r.params / total.params for r in rows],
        "_macs": [r.macs / total.macs for r in rows],
    }


def macs_of(rows, name):
    return next(r.macs for r in rows if r.name == name)


def figure_shares(v):
    """Paired horizontal bars for VGG-16's 16 weight layers, from conv1_1 at the top to fc8
    at the bottom: each layer's share of all parameters and of all multiply-adds. The
    parameter bars are near zero except for the three dense layers, fc6 above all; the
    multiply-add bars are spread over the convolutions and vanish at the dense layers."""
    theme = style.current()
    fig, ax = style.figure(6.4, 5.2)
    rows = range(len(v["_names"]))
    height = 0.4
    ax.barh([r - height / 2 for r in rows], [100 * s for s in v["_params"]], height, color=theme.series[0],
            label="share of parameters")
    ax.barh([r + height / 2 for r in rows], [100 * s for s in v["_macs"]], height, color=theme.series[1],
            label="share of multiply-adds")
    ax.set_yticks(list(rows), v["_names"])
    ax.invert_yaxis()
    ax.set_xlabel("share of the network's total (%)")
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    ax.legend(loc="center right")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
