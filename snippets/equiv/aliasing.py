"""Aliasing: pooled features of a network as its input moves one pixel at a time.

Four untrained two-stage networks with the same convolution weights, differing only in
how they halve the resolution (max pooling or a strided convolution, each with or
without a blur before subsampling), see the same digits shifted by 0 to 8 pixels.
"""
import numpy as np

from snippets.equiv._common import DOWNSAMPLING, EFFECTIVE_STRIDE, features, on_canvas
from snippets.lib import digits, nets, style

SEED = 2019  # Zhang, "Making Convolutional Networks Shift-Invariant Again"
DIGITS = 100
SHIFTS = range(0, 2 * EFFECTIVE_STRIDE + 1)  # to the right, two effective strides


def relative_change(network, x):
    """Per shift: the mean over digits of |f(shifted) − f(x)| / |f(x)| for the pooled
    feature vectors f."""
    pooled = network.forward(x)
    return np.array([np.mean(np.linalg.norm(network.forward(np.roll(x, t, axis=3)) - pooled, axis=1)
                             / np.linalg.norm(pooled, axis=1)) for t in SHIFTS])


def compute():
    x = on_canvas(digits.scans()[0][:DIGITS])
    # The same seed for every kind: all four networks get the same convolution weights.
    curves = {kind: relative_change(nets.Sequential(*features(kind, np.random.default_rng(SEED))), x)
              for kind in DOWNSAMPLING}
    worst = {kind: curve.max() for kind, curve in curves.items()}
    return {
        "digits": DIGITS,
        "table": [{"downsampling": kind, "largest change": round(worst[kind], 3),
                   "change at a 2-pixel shift": round(curve[2], 3),
                   "change at a 4-pixel shift": round(curve[EFFECTIVE_STRIDE], 3)} for kind, curve in curves.items()],
        "max_pool_change": worst["max pooling"],
        "max_blur_change": worst["max pooling + blur"],
        "strided_change": worst["strided convolution"],
        "strided_blur_change": worst["strided convolution + blur"],
        "change_at_effective_stride": max(curve[EFFECTIVE_STRIDE::EFFECTIVE_STRIDE].max() for curve in curves.values()),
        "blur_change_at_two": max(curves[k][2::2].max() for k in DOWNSAMPLING if k.endswith("blur")),
        "_curves": curves,
    }


def figure_shift(v):
    """Line chart: how much the pooled features of four networks change as the input
    moves one pixel at a time, relative to the unshifted input. Strided convolution and
    max pooling swing up and down with a period of the effective stride; with a blur
    before the subsampling the change stays close to zero."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.6)
    styles = zip(theme.series, "os^v", ["-", "-", "--", "--"])
    for (colour, marker, line), (kind, curve) in zip(styles, v["_curves"].items()):
        ax.plot(list(SHIFTS), curve, marker=marker, linestyle=line, color=colour, label=kind)
    ax.set_xticks(list(SHIFTS))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("shift of the input to the right (pixels)")
    ax.set_ylabel("relative change of\nthe pooled features")
    fig.legend(loc="outside upper center", ncols=2, fontsize=9)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
