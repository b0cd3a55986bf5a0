"""Effective receptive fields: the part of the field that actually matters grows like √depth.

The gradient of the centre unit of a stack of 3×3 'same' convolutions with respect to
the input (Luo et al., 2016), for uniform weights, for random weights and for random
weights with ReLU between the layers (both averaged over independent stacks), against
the theoretical field; the exact variance of the uniform case by repeated convolution.
"""
import numpy as np

from snippets.lib import receptive, style

SEED = 20160101
DEPTHS = (1, 2, 4, 8, 16, 32)
KERNEL = 3
STACKS = 16  # independent random stacks averaged per depth
FIT = DEPTHS[2:]  # exponents fitted past the first layers, where the kernel's own shape still shows
SIZE = 2 * max(DEPTHS) * (KERNEL // 2) + 1  # the deepest theoretical field, exactly
KINDS = {"uniform": "uniform weights", "random": "random weights",
         "relu": "random weights + ReLU"}
KERNELS = (3, 5, 7)  # for the variance table


def gradient_maps(kind, rng):
    """{depth: mean absolute gradient map} of one kind of stack."""
    stacks = 1 if kind == "uniform" else STACKS
    shape = (max(DEPTHS), stacks, KERNEL, KERNEL)
    if kind == "uniform":
        weights = np.ones(shape)
    else:  # He initialisation keeps the activations' scale through the ReLUs
        weights = rng.normal(0, np.sqrt(2 / KERNEL ** 2), shape)
    x = rng.normal(size=(stacks, SIZE, SIZE))
    maps = receptive.stack_gradients(weights, x, DEPTHS, relu=kind == "relu")
    return {depth: np.abs(g).mean(axis=0) for depth, g in maps.items()}


def repeated_convolution(kernel, depth):
    """Per-axis distribution of a depth-fold uniform kernel: np.convolve, depth times."""
    profile = np.ones(1)
    for _ in range(depth):
        profile = np.convolve(profile, np.ones(kernel))
    return profile / profile.sum()


def variance(profile):
    offsets = np.arange(profile.size) - (profile.size - 1) / 2
    return float(offsets ** 2 @ profile)


def compute():
    rng = np.random.default_rng(SEED)
    maps = {kind: gradient_maps(kind, rng) for kind in KINDS}
    spread = {kind: [receptive.spread(maps[kind][d]) for d in DEPTHS] for kind in KINDS}
    table = []
    for i, depth in enumerate(DEPTHS):
        theoretical = depth * (KERNEL - 1) + 1
        row = {"layers": depth, "theoretical field": theoretical}
        for kind, label in KINDS.items():
            row[f"effective, {label}"] = round(4 * spread[kind][i], 1)  # ±2σ
        row["effective / theoretical (uniform)"] = round(4 * spread["uniform"][i] / theoretical, 2)
        table.append(row)
    deepest = max(DEPTHS)
    exact = repeated_convolution(KERNEL, deepest)
    gaussian = np.exp(-0.5 * (np.arange(exact.size) - deepest) ** 2 / variance(exact))
    values = {
        "table": table,
        "depth": deepest,
        "stacks": STACKS,
        "fit_from": FIT[0],
        "theoretical_exponent": receptive.growth_exponent(FIT, [d * (KERNEL // 2) for d in FIT]),
        **{f"{kind}_exponent": receptive.growth_exponent(FIT, spread[kind][-len(FIT):]) for kind in KINDS},
        "uniform_sigma": spread["uniform"][-1],
        "exact_variance": variance(exact),
        "variance_table": [{"kernel": f"{k}×{k}", "layers": deepest,
                            "variance by repeated convolution": variance(repeated_convolution(k, deepest)),
                            "per layer": variance(repeated_convolution(k, deepest)) / deepest} for k in KERNELS],
        "gaussian_gap": float(np.abs(exact / exact.max() - gaussian).max()),
        "effective_share": table[-1]["effective / theoretical (uniform)"],
        "relu_field": table[-1][f"effective, {KINDS['relu']}"],
        "theoretical_field": table[-1]["theoretical field"],
        "_spread": spread,
        "_profiles": {kind: maps[kind][deepest].sum(axis=1) for kind in KINDS},
    }
    return values


def figure_growth(v):
    """Log-log plot of receptive-field radius against depth: the theoretical radius grows in
    proportion to depth, while the effective radius (two standard deviations of the gradient
    map) of uniform, random and random-with-ReLU stacks grows along a line of half the slope."""
    theme = style.current()
    fig, ax = style.figure(6.0, 3.6)
    depths = np.array(DEPTHS)
    ax.plot(depths, depths * (KERNEL // 2), "o-", color=theme.fg,
            label=f"theoretical (slope {v['theoretical_exponent']:.2f})")
    for (kind, label), colour, marker in zip(KINDS.items(), theme.series, "s^v"):
        ax.plot(depths, 2 * np.array(v["_spread"][kind]), marker + "-", color=colour,
                label=f"effective, {label} (slope {v[f'{kind}_exponent']:.2f})")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("layers of 3×3 convolutions")
    ax.set_ylabel("radius (pixels)")
    ax.legend(frameon=False, fontsize=8.5)
    ax.grid(which="major")
    return fig


def figure_profiles(v):
    """Gradient of the centre unit of the deepest stacks, summed over columns and scaled to
    the same peak, across the input rows, with the theoretical field shaded: all three are
    bell-shaped and concentrated in the middle of the theoretical field."""
    theme = style.current()
    fig, ax = style.figure(6.0, 3.0)
    offsets = np.arange(SIZE) - SIZE // 2
    ax.axvspan(offsets[0], offsets[-1], color=theme.faint, label="theoretical field")
    for (kind, label), colour in zip(KINDS.items(), theme.series):
        profile = v["_profiles"][kind]
        ax.plot(offsets, profile / profile.max(), color=colour, label=label, linewidth=1.8)
    ax.set_xlabel("input row, relative to the unit's centre")
    ax.set_ylabel("gradient (peak = 1)")
    ax.legend(frameon=False, fontsize=8.5)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
