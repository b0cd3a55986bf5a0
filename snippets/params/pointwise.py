"""A 1×1 convolution is one dense layer applied at every pixel.

A 1×1 convolution from 3 to 2 channels on a 4×4 map: its parameters are those of one
dense layer from 3 inputs to 2 outputs, and it runs that layer once per pixel.
"""
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from snippets.lib import style
from snippets.lib.formulas import dense_params, pointwise_conv2d_macs, pointwise_conv2d_params

C_IN, C_OUT, SIDE = 3, 2, 4
PIXEL = (1, 2)  # (row, column) of the pixel the figure follows


def compute():
    return {
        "in_shape": (SIDE, SIDE, C_IN),
        "out_shape": (SIDE, SIDE, C_OUT),
        "pixels": SIDE * SIDE,
        "params": pointwise_conv2d_params(C_IN, C_OUT),
        "weights": pointwise_conv2d_params(C_IN, C_OUT, bias=False),
        "dense_params": dense_params(C_IN, C_OUT),  # the one dense layer it applies
        "macs": pointwise_conv2d_macs((C_IN, SIDE, SIDE), C_OUT),
        "macs_per_pixel": C_IN * C_OUT,
    }


def _stack(ax, x0, channels, theme, cell=0.55):
    """A SIDE×SIDE map drawn as `channels` offset grids; returns the followed pixel's centre."""
    y0 = 0.9
    for c in reversed(range(channels)):
        dx = dy = 0.18 * c
        for r in range(SIDE):
            for col in range(SIDE):
                hit = (r, col) == PIXEL
                ax.add_patch(Rectangle((x0 + col * cell + dx, y0 + (SIDE - 1 - r) * cell + dy), cell, cell,
                                       facecolor=theme.series[0] if hit else theme.faint, edgecolor=theme.fg,
                                       linewidth=0.8))
    r, col = PIXEL
    return x0 + (col + 0.5) * cell, y0 + (SIDE - 1 - r + 0.5) * cell


def figure_dense_at_every_pixel(v):
    """Left, a 4×4 map with 3 channels; one pixel is highlighted. Its 3 channel values feed
    a small dense layer drawn in the middle (3 inputs, 2 outputs, 6 weights), whose 2
    outputs are the same pixel of the 4×4 output map with 2 channels, on the right. The
    same dense layer, with the same weights, runs at each of the 16 pixels."""
    theme = style.current()
    fig, ax = style.figure(6.4, 2.9)
    ax.set_xlim(0, 10.4)
    ax.set_ylim(0, 4.2)
    ax.set_aspect("equal")
    ax.axis("off")
    start = _stack(ax, 0.2, C_IN, theme)
    end = _stack(ax, 7.6, C_OUT, theme)
    ins = [(4.3, 1.5 + 0.6 * i) for i in range(C_IN)]
    outs = [(6.1, 1.8 + 0.6 * i) for i in range(C_OUT)]
    for a in ins:
        for b in outs:
            ax.plot([a[0], b[0]], [a[1], b[1]], color=theme.series[1], linewidth=1.2, zorder=1)
    for x, y in ins + outs:
        ax.add_patch(Circle((x, y), 0.16, facecolor=theme.faint, edgecolor=theme.fg, linewidth=1.0, zorder=2))
    arrow = dict(arrowstyle="->", color=theme.fg, linewidth=1.0, mutation_scale=10)
    ax.add_patch(FancyArrowPatch(start, (ins[1][0] - 0.2, ins[1][1]), **arrow))
    ax.add_patch(FancyArrowPatch((outs[0][0] + 0.2, 2.1), end, **arrow))
    ax.text(5.2, 0.75, f"one dense layer, {C_IN} → {C_OUT}:\n{v['weights']} weights, {v['params'] - v['weights']} biases",
            ha="center", va="top", fontsize=8.5, color=theme.fg)
    ax.text(1.4, 3.75, f"input {SIDE}×{SIDE}×{C_IN}", ha="center", fontsize=9, color=theme.fg)
    ax.text(8.8, 3.75, f"output {SIDE}×{SIDE}×{C_OUT}", ha="center", fontsize=9, color=theme.fg)
    ax.text(5.2, 3.75, f"the same weights at all {v['pixels']} pixels", ha="center", fontsize=9, color=theme.fg)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
