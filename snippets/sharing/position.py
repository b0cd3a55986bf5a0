"""Where sharing hurts: a label that depends on absolute position.

Trains small networks, over several seeds, to say whether a 3×3 square lies in the left or
the right half of a noisy 12×12 image: a 2×2 design that crosses shared against untied
weights (convolution against locally connected layer) with global average pooling against
flatten + dense, all with zero padding and the same channels; a convolution with circular
padding; and a convolution given coordinate channels.
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.lib import fmt, nets, measurement, style

SEED = 2018  # CoordConv: Liu et al., 2018
SEEDS = 10  # training sets, test sets, initial weights and batch orders
PAGE_SEEDS = range(SEEDS)  # the page's block; the tests also run the held-out block
HELD_OUT_SEEDS = range(1000, 1000 + SEEDS)  # never shown on the page, run by the tests
CANVAS, SQUARE, NOISE = 12, 3, 0.2
LEFT_COLUMNS = range(0, 4)  # the square's first column on the left; +CANVAS/2 on the right
TRAIN, TEST_PAIRS = 256, 128
FILTERS, EPOCHS, BATCH, LR = 8, 8, 32, 0.05
HALF = CANVAS // 2
SOLVED = 0.9  # "solves the task": at least this accuracy...
ON_SEEDS = 9  # ...on at least this many of the SEEDS


def squares(rng, n):
    """n noisy images, each with one square, their labels (0: left half, 1: right half)
    and the square's first column.

    A right-half square starts exactly HALF columns after a left-half one, so the
    circular shift by HALF columns maps the left examples onto the right ones."""
    labels = rng.integers(0, 2, n)
    rows = rng.integers(0, CANVAS - SQUARE + 1, n)
    cols = rng.choice(LEFT_COLUMNS, n) + HALF * labels
    images = rng.normal(0.0, NOISE, (n, 1, CANVAS, CANVAS))
    r = rows[:, None, None] + np.arange(SQUARE)[:, None]
    c = cols[:, None, None] + np.arange(SQUARE)
    images[np.arange(n)[:, None, None], 0, r, c] += 1.0
    return images, labels, cols


def half_shift(images):
    """Every image rolled circularly by half the canvas: left and right swap."""
    return np.roll(images, HALF, axis=-1)


def paired_test_set(rng):
    """TEST_PAIRS images and, for each, its half shift with the opposite label (and the
    square's first column)."""
    images, labels, cols = squares(rng, TEST_PAIRS)
    return (np.concatenate([images, half_shift(images)]), np.concatenate([labels, 1 - labels]),
            np.concatenate([cols, (cols + HALF) % CANVAS]))


def seed_data(seed):
    """Seed `seed`'s training set and paired test set, from its own generator."""
    rng = np.random.default_rng((SEED, seed))
    return squares(rng, TRAIN), paired_test_set(rng)


def edge_distance(cols):
    """Pixels between the square and the nearer of the left and right edges."""
    return np.minimum(cols, CANVAS - SQUARE - cols)


def with_coordinates(images):
    """CoordConv's input: the image plus a column and a row coordinate channel in [-1, 1]."""
    ramp = np.linspace(-1.0, 1.0, CANVAS)
    rows, cols = np.meshgrid(ramp, ramp, indexing="ij")
    grids = np.broadcast_to(np.stack([cols, rows]), images.shape[:-3] + (2, CANVAS, CANVAS))
    return np.concatenate([images, grids], axis=-3)


def network(rng, shared=True, pooling="global", padding_mode="zeros", channels=1):
    """A 3×3 window layer (a convolution if `shared`, else locally connected), ReLU, then
    global average pooling and a dense layer to two classes, or ("flatten") a dense layer
    on every unit. Padding 1: the maps keep the canvas size."""
    if shared:
        first = nets.Conv(channels, FILTERS, 3, rng, padding=1, padding_mode=padding_mode)
    else:
        first = nets.LocallyConnected(channels, FILTERS, 3, (CANVAS, CANVAS), rng, padding=1)
    if pooling == "global":
        return nets.Sequential(first, nets.ReLU(), nets.GlobalAvgPool(), nets.Dense(FILTERS, 2, rng))
    return nets.Sequential(first, nets.ReLU(), nets.Flatten(), nets.Dense(FILTERS * CANVAS * CANVAS, 2, rng))


CIRCULAR = "convolution + global pooling, circular padding"
ZERO_PADDED = "convolution + global pooling"
SHARED_FLAT = "convolution + flatten + dense"
LOCAL_GAP = "locally connected + global pooling"
LOCAL_FLAT = "locally connected + flatten + dense"
COORDCONV = "CoordConv: convolution + coordinates + global pooling"
SAME = lambda images: images  # noqa: E731
MODELS = {  # name: (network options, input transform)
    CIRCULAR: (dict(padding_mode="circular"), SAME),
    ZERO_PADDED: (dict(), SAME),
    SHARED_FLAT: (dict(pooling="flatten"), SAME),
    LOCAL_GAP: (dict(shared=False), SAME),
    LOCAL_FLAT: (dict(shared=False, pooling="flatten"), SAME),
    COORDCONV: (dict(padding_mode="circular", channels=3), with_coordinates),
}
DESIGN = {ZERO_PADDED: ("shared", "global pooling"), SHARED_FLAT: ("shared", "flatten + dense"),
          LOCAL_GAP: ("untied", "global pooling"), LOCAL_FLAT: ("untied", "flatten + dense")}


def at_chance(accuracy, test_size):
    """Whether an accuracy on test_size images is indistinguishable from coin flips: a
    two-sided binomial test does not reject 1/2 at the 5% level."""
    return measurement.binomial_p(round(accuracy * test_size), test_size) > 0.05


def train_all(data, seeds):
    """{model: [trained network of each seed]}. One seed after another: side by side
    (snippets.lib.side_by_side) in float64 is no faster for networks this small, and float32,
    which is about twice as fast (benchmarks/seeded_training.py), would replace the float64
    rounding that the exact-invariance check (`pair_output_gap`) measures with float32's."""
    trained = {}
    for index, (name, (options, prepare)) in enumerate(MODELS.items()):
        trained[name] = []
        for seed, ((train_x, train_y, _), _) in zip(seeds, data):
            rng = np.random.default_rng((SEED, seed, index))
            model = network(rng, **options)
            nets.train(model, prepare(train_x), train_y, rng, epochs=EPOCHS, batch_size=BATCH, lr=LR)
            trained[name].append(model)
    return trained


def quantifier(count, total):
    """A count of seeds in words, as the page says it: "no", "some" or "every"."""
    return "no" if count == 0 else "every" if count == total else "some"


def compute():
    return measure(PAGE_SEEDS)


def measure(seeds):
    """Every value of the page for one block of seeds (the page's, or the held-out one)."""
    seeds = list(seeds)
    data = [seed_data(seed) for seed in seeds]
    trained = train_all(data, seeds)
    test_y = np.stack([d[1][1] for d in data], axis=1)  # (image, seed)
    test_cols = np.stack([d[1][2] for d in data], axis=1)
    right = {name: np.stack([nets.predict(model, MODELS[name][1](d[1][0])) for model, d in zip(models, data)],
                            axis=1) == test_y for name, models in trained.items()}
    accuracy = {name: r.mean(axis=0) for name, r in right.items()}  # (seed,)
    measured = {name: measurement.measure(a) for name, a in accuracy.items()}
    # The invariant model's outputs on each left image and on its half shift, every seed.
    gap = max(np.abs(model.forward(d[1][0][:TEST_PAIRS]) - model.forward(half_shift(d[1][0][:TEST_PAIRS]))).max()
              for model, d in zip(trained[CIRCULAR], data))
    zero = accuracy[ZERO_PADDED]
    distance = edge_distance(test_cols)
    solved = {name: int((a >= SOLVED).sum()) for name, a in accuracy.items()}
    at_chance_count = sum(at_chance(a, len(test_y)) for a in zero)
    by_edge = [measurement.measure([100 * right[ZERO_PADDED][:, s][distance[:, s] == d].mean() for s in range(len(seeds))])
               for d in np.unique(distance)]
    one_seed = [network(np.random.default_rng(0), **options) for options, _ in MODELS.values()]
    return {
        "canvas": (CANVAS, CANVAS),
        "train_size": TRAIN,
        "test_size": len(test_y),
        "seeds": len(seeds),
        "results": [{"model": name, "parameters": net.count_params(),
                     "test accuracy (%)": measurement.measure(100 * accuracy[name]),
                     "lowest seed (%)": float(100 * accuracy[name].min()),
                     "highest seed (%)": float(100 * accuracy[name].max())}
                    for name, net in zip(MODELS, one_seed)],
        "design": [{"weights": DESIGN[name][0], "then": DESIGN[name][1],
                    "test accuracy (%)": measurement.measure(100 * accuracy[name]),
                    f"seeds at {fmt.text(SOLVED, pct=True)} or more": solved[name]} for name in DESIGN],
        "solved_threshold": SOLVED,
        "conv_accuracy": measured[CIRCULAR],
        "zero_padding_accuracy": measured[ZERO_PADDED],
        "shared_flat_accuracy": measured[SHARED_FLAT],
        "local_gap_accuracy": measured[LOCAL_GAP],
        "local_accuracy": measured[LOCAL_FLAT],
        "coordconv_accuracy": measured[COORDCONV],
        "pair_output_gap": float(gap),
        "zero_padding_at_chance": at_chance_count,
        # the sentence "on some seeds it beats chance, on others it is at chance", in words
        "zero_padding_beats_chance_on": quantifier(len(zero) - at_chance_count, len(zero)),
        "zero_padding_at_chance_on": quantifier(at_chance_count, len(zero)),
        "zero_padding_solves_on": quantifier(solved[ZERO_PADDED], len(zero)),
        "zero_padding_lowest": float(zero.min()),
        "zero_padding_highest": float(zero.max()),
        "zero_padding_by_edge": [
            {"distance to the nearer side edge (pixels)": int(d),
             "test images per seed (mean)": float((distance == d).sum() / len(seeds)),
             "accuracy, zero padding (%)": m}
            for d, m in zip(np.unique(distance), by_edge)
        ],
        # where the advantage lies: only the squares that touch an edge are classified
        # above chance (the interval of their accuracy lies above 50%)
        "zero_padding_above_chance_only_at_the_edge": bool(by_edge[0]["low"] > 50
                                                           and all(m["low"] <= 50 for m in by_edge[1:])),
        "per_seed": [{"seed": seed, **{name: float(a[i]) for name, a in accuracy.items()}}
                     for i, seed in enumerate(seeds)],
    }


def draw_canvas(ax, col, theme, label):
    """A sketch of one example: the canvas, its middle line and the square with its first
    column at `col` (the noise left out)."""
    ax.set_axis_off()
    ax.add_patch(Rectangle((0, 0), CANVAS, CANVAS, fill=False, edgecolor=theme.muted, linewidth=1))
    ax.plot([HALF, HALF], [0, CANVAS], color=theme.muted, linestyle="--", linewidth=1)
    ax.add_patch(Rectangle((col, SQUARE), SQUARE, SQUARE, color=theme.series[0]))
    ax.set_xlim(-0.3, CANVAS + 0.3)
    ax.set_ylim(CANVAS + 2.5, -0.3)
    ax.set_aspect("equal")
    ax.text(HALF, CANVAS + 1.5, label, ha="center", va="center", color=theme.fg)


RESULT_VALUES = ("conv_accuracy", "zero_padding_accuracy", "shared_flat_accuracy", "local_gap_accuracy",
                 "local_accuracy", "coordconv_accuracy")  # the rows of "results", in order


def figure_accuracy(v):
    """Left: sketches of a square in the left half of the image and of the same image
    shifted circularly by half its width, square on the right. Right: test accuracy of
    each network over the seeds, a bar for the mean with its 95% interval and a dot for
    every seed: the convolution with circular padding sits exactly on the chance line,
    the zero-padded convolution with global pooling near it and spread out, and the
    networks that flatten, or that have untied weights, near the top."""
    theme = style.current()
    fig, (a, b, bars_ax) = style.figure(6.4, 3.4, ncols=3, width_ratios=[1, 1, 3.2])
    draw_canvas(a, LEFT_COLUMNS[1], theme, "left")
    draw_canvas(b, LEFT_COLUMNS[1] + HALF, theme, "right")
    rows = v["results"]
    names = [row["model"].replace(": ", ":\n").replace(", ", ",\n") for row in rows]
    measured = [v[key] for key in RESULT_VALUES]
    means = np.array([m["mean"] for m in measured])
    halves = np.array([measurement.half_width(m) for m in measured])
    y = np.arange(len(rows))
    bars_ax.barh(y, means, xerr=halves, color=theme.series[1], height=0.6, capsize=3,
                 error_kw=dict(ecolor=theme.fg, lw=1))
    for i, row in enumerate(rows):
        seeds = [r[row["model"]] for r in v["per_seed"]]
        bars_ax.plot(seeds, i + np.linspace(-0.18, 0.18, len(seeds)), "o", ms=2.5, color=theme.fg, alpha=0.7)
        # the value right of every error bar and seed dot (all end by 1.0), never over them
        bars_ax.text(1.07, i, fmt.text(measured[i], pct=True).split(" (")[0], va="center",
                     color=theme.fg, fontsize=8)
    bars_ax.set_yticks(y, labels=names)
    bars_ax.axvline(0.5, color=theme.fg, linestyle="--", linewidth=1)
    bars_ax.text(0.5, -0.8, "chance", ha="center", va="center", color=theme.fg, fontsize=9)
    bars_ax.set_xlim(0, 1.5)
    bars_ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    bars_ax.set_ylim(len(names) - 0.5, -1.1)  # top to bottom, room for the chance label
    bars_ax.set_xlabel(f"test accuracy, {v['seeds']} seeds\n(bar: mean, 95% interval; dot: a seed)",
                       fontsize=9)
    bars_ax.tick_params(axis="y", labelsize=7.5)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
