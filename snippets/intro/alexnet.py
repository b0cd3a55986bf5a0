"""AlexNet's first layer with and without weight sharing.

Counts the parameters of conv1 (96 filters of 11×11×3, stride 4, on a 227×227×3 image)
as a locally connected layer, where every position has its own filter, and as a
convolution, where all positions share one filter per output channel.
"""
from snippets.lib import published_conventions, style
from snippets.lib.formulas import conv_output_size

IMAGE = (227, 227, 3)  # height, width, channels: the size that gives 55×55
PAPER_IMAGE = 224  # the size the AlexNet paper states
FILTERS, KERNEL, STRIDE = 96, 11, 4


def compute():
    height, width, channels = IMAGE
    side = conv_output_size(height, KERNEL, STRIDE)
    assert window_end(side) == height, "227 must tile exactly"
    neurons = side * side * FILTERS
    weights_per_neuron = KERNEL * KERNEL * channels
    params_per_neuron = weights_per_neuron + 1  # one bias
    # 224 pixels: whether they give `side` positions depends on the rounding of a last
    # window that does not fit, and on the padding: every documented combination is tried.
    search = published_conventions.output_sizes(PAPER_IMAGE, KERNEL, STRIDE, target=side)
    first = {rounding: next(r for r in search if r["rounding"] == rounding) for rounding in published_conventions.OUTPUT_SIZE}
    floor, ceil = first.values()
    floor_padding = min(r["padding (each side)"] for r in published_conventions.reproducing(search) if r["rounding"] == floor["rounding"])
    return {
        "image": IMAGE,
        "paper_image": (PAPER_IMAGE, PAPER_IMAGE, channels),
        "paper_side": PAPER_IMAGE,
        "output_shape": (side, side, FILTERS),
        "neurons": neurons,
        "weights_per_neuron": weights_per_neuron,
        "params_per_neuron": params_per_neuron,
        "params_unshared": neurons * params_per_neuron,
        "params_shared": FILTERS * params_per_neuron,
        "sharing_ratio": side * side,
        "paper_conventions": search,
        "paper_conventions_tried": len(search),
        "paper_reproductions": len(published_conventions.reproducing(search)),
        "paper_floor_side": floor["output side"],  # no padding
        "paper_ceil_side": ceil["output side"],  # no padding
        "paper_floor_padding": floor_padding,
    }


def window_end(positions):
    """Pixels spanned by `positions` windows of KERNEL pixels placed STRIDE apart."""
    return (positions - 1) * STRIDE + KERNEL


def figure_params(v):
    """Bar chart on a logarithmic axis: conv1's parameters without sharing, around a
    hundred million, against with sharing, tens of thousands: smaller by the number of
    output positions."""
    theme = style.current()
    fig, ax = style.figure(6.4, 2.4)
    labels = ["locally connected\n(no sharing)", "convolution\n(shared filters)"]
    counts = [v["params_unshared"], v["params_shared"]]
    bars = ax.barh(labels, counts, color=theme.series[:2], height=0.55)
    ax.set_xscale("log")
    ax.set_xlim(1e3, 1e9)
    ax.invert_yaxis()
    ax.set_xlabel("parameters in AlexNet conv1 (log scale)")
    ax.bar_label(bars, labels=[f"{c:,}" for c in counts], padding=4, color=theme.fg)
    ax.grid(axis="x", which="major")
    ax.set_axisbelow(True)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
