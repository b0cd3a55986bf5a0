"""Gradients are shared too: a shared weight's gradient sums over positions.

Backpropagates one upstream gradient through a convolution and through a locally
connected layer whose every position holds a copy of the same filters, and compares.
"""
import numpy as np

from snippets.lib import layers, style

SEED = 3
BATCH, C_IN, C_OUT, SIZE, KERNEL = 4, 2, 3, 8, 3  # no padding: 6×6 output positions
TAP = (0, 0, 1, 1)  # the weight drawn in the figure: filter 0, channel 0, centre tap


def compute():
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(BATCH, C_IN, SIZE, SIZE))
    w = rng.normal(size=(C_OUT, C_IN, KERNEL, KERNEL))
    out = layers.conv2d(x, w)
    grad_out = rng.normal(size=out.shape)  # stands in for whatever the loss sends back
    rows, cols = out.shape[2:]
    # The untied layer, with every position given a copy of the same filters.
    copies = np.broadcast_to(w, (rows, cols) + w.shape).copy()
    _, grad_shared, grad_bias_shared = layers.conv2d_backward(x, w, grad_out)
    _, grad_untied, grad_bias_untied = layers.locally_connected2d_backward(x, copies, grad_out)
    positions = rows * cols
    return {
        "input_shape": (BATCH, C_IN, SIZE, SIZE),
        "positions": positions,
        "forward_difference": float(np.abs(layers.locally_connected2d(x, copies) - out).max()),
        "weight_gradient_difference": float(np.abs(grad_untied.sum(axis=(0, 1)) - grad_shared).max()),
        "bias_gradient_difference": float(np.abs(grad_bias_untied.sum(axis=(1, 2)) - grad_bias_shared).max()),
        "largest_gradient": float(np.abs(grad_shared).max()),
        "terms_per_shared_weight": BATCH * positions,
        "terms_per_untied_weight": BATCH,
        "shared_weights": w.size,
        "untied_weights": copies.size,
        "_data": (x, w, grad_out),
        "_tap_untied": grad_untied[(slice(None), slice(None)) + TAP],
        "_tap_shared": float(grad_shared[TAP]),
    }


def figure_tap(v):
    """Bar chart of one weight's gradient in the untied layer at each of the 36 output
    positions, taken row by row, with the running sum of the bars as a line; the line
    ends exactly on a dashed line, the gradient of the shared weight from the
    convolution."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.4)
    per_position = v["_tap_untied"].ravel()
    steps = np.arange(1, per_position.size + 1)
    ax.bar(steps, per_position, color=theme.series[0], width=0.7, label="gradient at one position (untied)")
    ax.plot(steps, np.cumsum(per_position), marker="o", markersize=3, color=theme.series[1],
            label="running sum over positions")
    ax.axhline(v["_tap_shared"], color=theme.fg, linestyle="--", linewidth=1.2,
               label="gradient of the shared weight")
    ax.axhline(0, color=theme.muted, linewidth=0.8)
    ax.set_xlabel("output position (row by row)")
    ax.set_ylabel("gradient of one weight")
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
