"""Effective receptive fields: the part of the field that actually matters grows like √depth.

The gradient of the centre unit of a stack of 3×3 'same' convolutions with respect to
the input (Luo et al., 2016), for uniform weights, for random weights and for random
weights with ReLU between the layers (both averaged over independent stacks, in several
independent draws), against the theoretical field; the exact variance of the uniform
case by repeated convolution, and the expected profile of the random linear case (the
square root of the number of paths) that many stacks converge to.
"""
import numpy as np
from numpy.polynomial import polynomial

from snippets.lib import effective_fields, measurement, style

SEED = 20160101
DEPTHS = (1, 2, 4, 8, 16, 32)
KERNEL = 3
STACKS = 16  # independent random stacks averaged per depth in one draw
DRAWS = 10  # independent draws of STACKS stacks: the exponents' spread
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
    maps = effective_fields.stack_gradients(weights, x, DEPTHS, relu=kind == "relu")
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


def path_profile(depth, power):
    """The per-axis number of paths from the centre unit down `depth` layers of 3-tap
    windows to each input offset (trinomial coefficients), raised to `power`, as a 2-D
    map: power 1 is the uniform stack's gradient; power 1/2 is the expected |gradient| of
    random linear stacks, whose variance at an offset is the number of paths times the
    weights' variance to the depth (only identical paths correlate)."""
    counts = polynomial.polypow(np.ones(KERNEL), depth) ** power
    return np.outer(counts, counts)


def run(block):
    """The random stacks' gradient maps and what the page says about them, for one block
    of seeds: draw i of STACKS stacks uses ``default_rng((SEED, i))``. The page uses the
    block 0–9; the tests run the held-out block 1000–1009 through the same function."""
    draws = {kind: [gradient_maps(kind, np.random.default_rng((SEED, i))) for i in block] for kind in ("random", "relu")}
    pooled = {kind: {d: np.mean([m[d] for m in maps], axis=0) for d in DEPTHS} for kind, maps in draws.items()}
    spreads = {kind: [[effective_fields.spread(m[d]) for d in DEPTHS] for m in maps] for kind, maps in draws.items()}
    exponents = {kind: [effective_fields.growth_exponent(FIT, s[-len(FIT):]) for s in per_draw]
                 for kind, per_draw in spreads.items()}
    pooled_exponents = {kind: effective_fields.growth_exponent(FIT, [effective_fields.spread(pooled[kind][d]) for d in FIT])
                        for kind in pooled}
    every = [*exponents["random"], *exponents["relu"], *pooled_exponents.values()]
    return {"draws": draws, "pooled": pooled, "spreads": spreads, "exponents": exponents,
            "pooled_exponents": pooled_exponents,
            # "grows like √depth, not like depth": each fitted exponent is nearer one half than one
            "nearer_half": sum(abs(e - 0.5) < abs(e - 1) for e in every), "fits": len(every)}


def in_every(count, total, of="fits"):
    """'in every one of the 22 fits' or 'in 20 of the 22 fits': a count of fits, as words."""
    return f"in every one of the {total} {of}" if count == total else f"in {count} of the {total} {of}"


def compute():
    uniform = gradient_maps("uniform", np.random.default_rng(SEED))  # no randomness reaches a uniform linear stack
    block = run(range(DRAWS))
    pooled, spreads, exponents = block["pooled"], block["spreads"], block["exponents"]
    spreads["uniform"] = [[effective_fields.spread(uniform[d]) for d in DEPTHS]]
    exponents["uniform"] = [effective_fields.growth_exponent(FIT, spreads["uniform"][0][-len(FIT):])]
    limit = [effective_fields.spread(path_profile(d, 0.5)) for d in DEPTHS]
    table = []
    for i, depth in enumerate(DEPTHS):
        theoretical = depth * (KERNEL - 1) + 1
        row = {"layers": depth, "theoretical field": theoretical}
        row[f"effective, {KINDS['uniform']}"] = round(4 * spreads["uniform"][0][i], 1)  # ±2σ
        for kind in ("random", "relu"):
            row[f"effective, {KINDS[kind]}"] = measurement.measure([4 * s[i] for s in spreads[kind]], over="draws")
        row["effective / theoretical (uniform)"] = round(4 * spreads["uniform"][0][i] / theoretical, 2)
        table.append(row)
    deepest = max(DEPTHS)
    exact = repeated_convolution(KERNEL, deepest)
    gaussian = np.exp(-0.5 * (np.arange(exact.size) - deepest) ** 2 / variance(exact))
    values = {
        "table": table,
        "depth": deepest,
        "stacks": STACKS,
        "draws": DRAWS,
        "pooled_stacks": STACKS * DRAWS,
        "fit_from": FIT[0],
        "theoretical_exponent": effective_fields.growth_exponent(FIT, [d * (KERNEL // 2) for d in FIT]),
        "uniform_exponent": exponents["uniform"][0],
        **{f"{kind}_exponent": measurement.measure(exponents[kind], over="draws") for kind in ("random", "relu")},
        **{f"{kind}_exponent_pooled": block["pooled_exponents"][kind] for kind in ("random", "relu")},
        "nearer_half": in_every(block["nearer_half"], block["fits"]),
        "random_exponent_limit": effective_fields.growth_exponent(FIT, limit[-len(FIT):]),
        "random_over_uniform_deepest": limit[-1] / spreads["uniform"][0][-1],
        "uniform_sigma": spreads["uniform"][0][-1],
        "exact_variance": variance(exact),
        "variance_table": [{"kernel": f"{k}×{k}", "layers": deepest,
                            "variance by repeated convolution": variance(repeated_convolution(k, deepest)),
                            "per layer": variance(repeated_convolution(k, deepest)) / deepest} for k in KERNELS],
        "gaussian_gap": float(np.abs(exact / exact.max() - gaussian).max()),
        "effective_share": table[-1]["effective / theoretical (uniform)"],
        "first_share": table[0]["effective / theoretical (uniform)"],
        "relu_field": table[-1][f"effective, {KINDS['relu']}"],
        "theoretical_field": table[-1]["theoretical field"],
        "_spread": {"uniform": spreads["uniform"][0], **{kind: [measurement.measure([s[i] for s in spreads[kind]], over="draws")
                                                              for i in range(len(DEPTHS))] for kind in ("random", "relu")}},
        "_profiles": {"uniform": uniform[deepest].sum(axis=1),
                      **{kind: pooled[kind][deepest].sum(axis=1) for kind in ("random", "relu")}},
    }
    return values


def figure_growth(v):
    """Log-log plot of receptive-field radius against depth: the theoretical radius grows in
    proportion to depth, while the effective radius (two standard deviations of the gradient
    map) of uniform, random and random-with-ReLU stacks grows along a line of about half the
    slope; the random stacks show the mean over the draws with its 95% interval."""
    theme = style.current()
    fig, ax = style.figure(6.0, 3.6)
    depths = np.array(DEPTHS)
    ax.plot(depths, depths * (KERNEL // 2), "o-", color=theme.fg,
            label=f"theoretical (slope {v['theoretical_exponent']:.2f})")
    for (kind, label), colour, marker in zip(KINDS.items(), theme.series, "s^v"):
        if kind == "uniform":
            ax.plot(depths, 2 * np.array(v["_spread"][kind]), marker + "-", color=colour,
                    label=f"effective, {label} (slope {v['uniform_exponent']:.2f})")
            continue
        measured = v["_spread"][kind]
        means = 2 * np.array([m["mean"] for m in measured])
        halves = 2 * np.array([measurement.half_width(m) for m in measured])
        slope = v[f"{kind}_exponent"]
        ax.errorbar(depths, means, yerr=halves, marker=marker, color=colour, capsize=2,
                    label=f"effective, {label} (slope {slope['mean']:.2f} ± {measurement.half_width(slope):.2f})")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("layers of 3×3 convolutions")
    ax.set_ylabel("radius (pixels)")
    ax.legend(frameon=False, fontsize=8.5)
    ax.grid(which="major")
    return fig


def figure_profiles(v):
    """Gradient of the centre unit of the deepest stacks (the random ones averaged over all
    draws), summed over columns and scaled to the same peak, across the input rows, with
    the theoretical field shaded: all three are bell-shaped and concentrated in the middle
    of the theoretical field."""
    theme = style.current()
    fig, ax = style.figure(6.0, 3.0)
    offsets = np.arange(SIZE) - SIZE // 2
    ax.axvspan(offsets[0], offsets[-1], color=theme.faint, label="theoretical field")
    for (kind, label), colour in zip(KINDS.items(), theme.series):
        profile = v["_profiles"][kind]
        ax.plot(offsets, profile / profile.max(), color=colour, label=label, linewidth=1.8)
    ax.set_xlabel("input row, relative to the unit's centre")
    ax.set_ylabel("gradient (peak = 1)")
    # beside the axes: inside, the legend sat on the curves' tails (tests/site/test_figures.py)
    ax.legend(frameon=False, fontsize=8.5, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
