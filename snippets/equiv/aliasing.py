"""Aliasing: pooled features of a network as its input moves one pixel at a time.

Four untrained two-stage networks with the same convolution weights, differing only in
how they halve the resolution (max pooling or a strided convolution, each with or
without a blur before subsampling), see the same digits shifted by 0 to 8 pixels; the
weights are drawn several times.
"""
import numpy as np

from snippets.equiv._common import DOWNSAMPLING, EFFECTIVE_STRIDE, features, on_canvas
from snippets.lib import digits, nets, measurement, style

SEED = 2019  # Zhang, "Making Convolutional Networks Shift-Invariant Again"
DIGITS = 50
PAGE_DRAWS = range(10)  # independent draws of the convolution weights (the same for the four networks)
HELD_OUT_DRAWS = range(1000, 1010)  # a block the page never shows; the tests check every claim on it too
SHIFTS = range(0, 2 * EFFECTIVE_STRIDE + 1)  # to the right, two effective strides
CUT = 3  # the page's claim: on every draw the blur divides the largest change by more than this


def relative_change(network, x):
    """Per shift: the mean over digits of |f(shifted) − f(x)| / |f(x)| for the pooled
    feature vectors f."""
    pooled = network.forward(x)
    return np.array([np.mean(np.linalg.norm(network.forward(np.roll(x, t, axis=3)) - pooled, axis=1)
                             / np.linalg.norm(pooled, axis=1)) for t in SHIFTS])


def compute():
    return measure(PAGE_DRAWS)


def measure(draws):
    """Every value of the page, over the weights of `draws`."""
    x = on_canvas(digits.scans()[0][:DIGITS])
    # Draw i gives every kind the same convolution weights: the networks differ only in
    # their downsampling. curves[kind]: (draw, shift).
    curves = {kind: np.array([relative_change(nets.Sequential(*features(kind, np.random.default_rng((SEED, i)))), x)
                              for i in draws]) for kind in DOWNSAMPLING}
    worst = {kind: curve.max(axis=1) for kind, curve in curves.items()}  # per draw
    over = lambda samples: measurement.measure(samples, over="draws")  # noqa: E731
    return {
        "digits": DIGITS,
        "draws": len(draws),
        "table": [{"downsampling": kind, "largest change": over(worst[kind]),
                   "change at a 2-pixel shift": over(curve[:, 2]),
                   "change at a 4-pixel shift": float(np.abs(curve[:, EFFECTIVE_STRIDE]).max())}
                  for kind, curve in curves.items()],
        "max_pool_change": over(worst["max pooling"]),
        "max_blur_change": over(worst["max pooling + blur"]),
        "strided_change": over(worst["strided convolution"]),
        "strided_blur_change": over(worst["strided convolution + blur"]),
        "blur_cut_smallest": float(min((worst[k] / worst[f"{k} + blur"]).min()
                                       for k in ("max pooling", "strided convolution"))),
        "blur_cut_bound": CUT,
        "change_at_effective_stride": float(max(curve[:, EFFECTIVE_STRIDE::EFFECTIVE_STRIDE].max()
                                                for curve in curves.values())),
        "blur_change_at_two": float(max(curves[k][:, 2::2].max() for k in DOWNSAMPLING if k.endswith("blur"))),
        "_curves": {kind: [over(column) for column in curve.T] for kind, curve in curves.items()},
    }


def figure_shift(v):
    """Line chart: how much the pooled features of four networks change as the input
    moves one pixel at a time, relative to the unshifted input (mean over the draws of
    the weights, with its 95% interval). Strided convolution and max pooling swing up and
    down with a period of the effective stride; with a blur before the subsampling the
    change stays close to zero."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.6)
    styles = zip(theme.series, "os^v", ["-", "-", "--", "--"])
    for (colour, marker, line), (kind, curve) in zip(styles, v["_curves"].items()):
        ax.errorbar(list(SHIFTS), [m["mean"] for m in curve], yerr=[measurement.half_width(m) for m in curve],
                    marker=marker, linestyle=line, color=colour, capsize=2, label=kind)
    ax.set_xticks(list(SHIFTS))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("shift of the input to the right (pixels)")
    ax.set_ylabel("relative change of\nthe pooled features")
    fig.legend(loc="outside upper center", ncols=2, fontsize=9)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
