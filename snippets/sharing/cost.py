"""What sharing saves: weights, memory, multiply-adds and measured time of three layers.

For the same input and output shapes, counts the weights and multiply-adds of a dense
layer, a locally connected layer and a convolution, and reads their forward and
backward times as measured by benchmarks/forward_time.py.
"""
import json
from pathlib import Path

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from snippets.lib import fmt, formulas, style

DATA = ["benchmarks/results/forward_time.json"]
PROJECT = Path(__file__).resolve().parents[2]  # DATA paths are relative to the project root
LAYERS = ("dense", "locally connected", "convolution")
MATMUL = "locally connected, batched matmul"  # the benchmark's other implementation of the same layer
BYTES = np.dtype(np.float64).itemsize  # the benchmark's weights are float64
MB = 10**6


def measured():
    """The benchmark's record: machine, date, shape and milliseconds per layer."""
    return json.loads((PROJECT / DATA[0]).read_text(encoding="utf-8"))


def counts(shape):
    """{layer: (weights, multiply-adds per image)}: bias-free, as the benchmark ran them."""
    c_in, size, c_out, k = shape["in_channels"], shape["size"], shape["out_channels"], shape["kernel"]
    in_shape = (c_in, size, size)
    out_features = c_out * formulas.conv_output_size(size, k) ** 2
    return {
        "dense": (formulas.dense_params(c_in * size * size, out_features, bias=False),
                  formulas.dense_macs(c_in * size * size, out_features)),
        "locally connected": (formulas.locally_connected2d_params(in_shape, c_out, k, bias=False),
                              formulas.locally_connected2d_macs(in_shape, c_out, k)),
        "convolution": (formulas.conv2d_params(c_in, c_out, k, bias=False),
                        formulas.conv2d_macs(in_shape, c_out, k)),
    }


def compute():
    record = measured()
    shape, ms, machine = record["shape"], record["milliseconds"], record["machine"]
    cost = counts(shape)
    ratio = lambda a, b, what: ms[a][what] / ms[b][what]
    rate = {name: macs * shape["batch"] / (ms[name]["forward"] / 1e3) / 1e9  # GMAC/s
            for name, (_, macs) in cost.items()}
    return {
        "machine": (f"{machine['processor']} ({machine['cores']} cores, {machine['threads']} used), "
                    f"numpy {machine['numpy']}"),
        "measured_on": record["date"],
        "repeats": record["repeats"],
        "batch": shape["batch"],
        "input_shape": (shape["in_channels"], shape["size"], shape["size"]),
        "output_shape": formulas.conv2d_output_shape((shape["in_channels"], shape["size"], shape["size"]),
                                                     shape["out_channels"], shape["kernel"]),
        "cost": [
            {"layer": name,
             "weights": weights,
             "multiply-adds per image": macs,
             "weight memory (MB)": weights * BYTES / MB,
             # each weight is read once per batch: bytes of weights over multiply-adds of the batch
             f"weight bytes per multiply-add, batch of {shape['batch']}": weights * BYTES / (macs * shape["batch"]),
             "forward (ms)": ms[name]["forward"],
             "backward (ms)": ms[name]["backward"],
             "forward rate (GMAC/s)": rate[name]}
            for name, (weights, macs) in cost.items()
        ],
        "weights_local_over_conv": cost["locally connected"][0] // cost["convolution"][0],
        "weights_dense_over_local": cost["dense"][0] / cost["locally connected"][0],
        "macs_conv": cost["convolution"][1],
        "macs_dense_over_conv": cost["dense"][1] / cost["convolution"][1],
        "memory_dense_mb": cost["dense"][0] * BYTES / MB,
        "forward_local_over_conv": ratio("locally connected", "convolution", "forward"),
        "backward_local_over_conv": ratio("locally connected", "convolution", "backward"),
        "forward_dense_over_conv": ratio("dense", "convolution", "forward"),
        "rate_dense_over_conv": rate["dense"] / rate["convolution"],
        "rate_local_over_conv": rate["locally connected"] / rate["convolution"],
        # the same locally connected layer written as a batched matrix product
        "forward_matmul_over_conv": ratio(MATMUL, "convolution", "forward"),
        "forward_einsum_over_matmul": ratio("locally connected", MATMUL, "forward"),
        "backward_matmul_over_conv": ratio(MATMUL, "convolution", "backward"),
    }


# Tick labels as 10⁴ in plain text: matplotlib's default typesets them as mathtext,
# which costs most of this figure's drawing time.
POWER_OF_TEN = FuncFormatter(lambda x, _: "10" + str(round(np.log10(x))).translate(fmt.SUPERSCRIPT))


def figure_cost(v):
    """Three bar charts on logarithmic axes, one bar per layer (dense, locally connected,
    convolution): weights fall at each step; multiply-adds fall from dense to locally
    connected and then stay level for the convolution; the measured forward time
    falls at each step."""
    theme = style.current()
    fig, axes = style.figure(6.4, 3.4, ncols=3, sharey=True)
    panels = [("weights", "weights"), ("multiply-adds per image", "multiply-adds per image"),
              ("forward (ms)", "forward time (ms)")]
    names = [row["layer"].replace(" ", "\n", 1) for row in v["cost"]]
    for ax, (key, label) in zip(axes, panels):
        heights = [row[key] for row in v["cost"]]
        bars = ax.barh(names, heights, color=theme.series[:3], height=0.6)
        ax.set_xscale("log")
        ax.set_xlim(min(heights) / 4, max(heights) * 30)  # room for the labels
        ax.bar_label(bars, labels=[fmt.text(h) for h in heights],
                     padding=3, color=theme.fg, fontsize=9)
        ax.set_xlabel(label)
        ax.xaxis.set_major_locator(LogLocator(numticks=3))
        ax.xaxis.set_major_formatter(POWER_OF_TEN)
        ax.xaxis.set_minor_locator(NullLocator())
    axes[0].invert_yaxis()
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
