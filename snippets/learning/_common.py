"""Shared by the statistical-efficiency snippets (docs/statistical-efficiency.md): the
data, the three models, and the training and measuring of learning curves."""
import json
from pathlib import Path

import numpy as np

from snippets.lib import digits, nets, patch_models, measurement, style

# --- the data: digits at random places on a larger canvas ---------------------------------

CANVAS = 12  # side of the canvas, in pixels
TEST_SIZE = 500  # digits held out for testing; every model is tested on the same ones
DATA_SEED = 1989  # the shuffle and the positions


HELD_OUT_DATA_SEED = 1990  # a second split, for the tests only: another test set, other positions


def split(placement="random", data_seed=DATA_SEED):
    """The training pool and test set every experiment on the page uses (another data_seed
    draws another split, which the tests use to check the page's claims on new data)."""
    return digits.split(CANVAS, TEST_SIZE, data_seed, placement)


# --- the models: dense, locally connected, convolutional -----------------------------------

KERNEL = 5  # window side of the locally connected and convolutional layers
WIDTH = 32  # hidden units of the dense layer, channels of the other two
MODELS = ("dense", "locally connected", "convolutional")
FIRST_LAYER = {
    "dense": "every pixel, own weights",
    "locally connected": f"{KERNEL}×{KERNEL} window, own weights at each position",
    "convolutional": f"{KERNEL}×{KERNEL} window, one filter bank for all positions",
}
COUNTING_SEED = 0  # any seed would do: parameter_counts only counts the weight arrays


def build(name, rng, canvas=CANVAS):
    """One of MODELS for canvas×canvas single-channel images, initialised from `rng`.

    The windowed models end in a max over all positions of each channel (global max
    pooling), so each of them, like the dense model, gives WIDTH numbers to the classifier."""
    if name == "dense":
        first = [nets.Flatten(), nets.Dense(canvas * canvas, WIDTH, rng), nets.ReLU()]
    elif name in MODELS:
        positions = canvas - KERNEL + 1  # along each side: no padding, stride 1
        if name == "locally connected":
            layer = nets.LocallyConnected(1, WIDTH, KERNEL, (canvas, canvas), rng)
        else:
            layer = nets.Conv(1, WIDTH, KERNEL, rng)
        first = [layer, nets.ReLU(), nets.MaxPool(positions), nets.Flatten()]
    else:
        raise ValueError(f"model must be one of {MODELS}, not {name!r}")
    return nets.Sequential(*first, nets.Dense(WIDTH, digits.CLASSES, rng))


def window(name):
    """Side of the square patches that model `name`'s first layer multiplies by its weights
    (snippets/lib/patch_models.py): a KERNEL window, or for the dense model the whole canvas."""
    return CANVAS if name == "dense" else KERNEL


def parameter_counts(canvas=CANVAS):
    """{model: (first layer's parameters, classifier's parameters)}, from the weight arrays."""
    counts = {}
    for name in MODELS:
        model = build(name, np.random.default_rng(COUNTING_SEED), canvas)
        first, classifier = [layer for layer in model.layers if layer.params]
        counts[name] = tuple(sum(p.size for p in layer.params) for layer in (first, classifier))
    return counts


def parameter_totals(canvas=CANVAS):
    """{model: trainable parameters}."""
    return {name: sum(c) for name, c in parameter_counts(canvas).items()}


# --- learning curves -----------------------------------------------------------------------

SEED = 2015
PER_CLASS = (1, 2, 3, 5, 10, 20, 30, 50, 100)  # training examples of each digit, one size per entry
SEEDS = 10  # training sets and initialisations per size: seeds 0 to 9
HELD_OUT = range(1000, 1010)  # the held-out seed block, on which the tests check every claim again
# Every run of the experiment, recorded by benchmarks/learning_runs.py. Even with the seeds
# trained side by side the runs take longer than a whole clean build of the site may (the
# script prints how long); a snippet that reads the record names it in DATA.
RUNS = "benchmarks/results/learning_runs.json"
PROJECT = Path(__file__).resolve().parents[2]
LEARNING_RATE = 0.01
BATCH = 32
EPOCHS = 20  # passes over the training set, at least...
MIN_STEPS = 150  # ...and at least this many updates, which matters for the small sets
MARKERS = ("o", "s", "^")
SHORT = {"dense": "dense", "locally connected": "local", "convolutional": "conv"}  # in value names


def epochs_for(examples):
    """Passes over a training set of this size: EPOCHS, or more if that is under MIN_STEPS updates."""
    batches = -(-examples // BATCH)
    return max(EPOCHS, -(-MIN_STEPS // batches))


def train_and_test(name, data, chosen, rng):
    """Train model `name` on the chosen training examples; its (train, test) accuracy."""
    model = build(name, rng)
    x, y = data.x_train[chosen], data.y_train[chosen]
    nets.train(model, x, y, rng, epochs=epochs_for(len(chosen)), batch_size=BATCH, lr=LEARNING_RATE)
    return nets.accuracy(model, x, y), nets.accuracy(model, data.x_test, data.y_test)


def measure(placement, per_class, seeds, models=MODELS, data_seed=DATA_SEED):
    """One row per run: every model, training set size and seed, the seeds of a model and
    size trained side by side (snippets/lib/patch_models.py). `seeds` is a count (seeds 0 to
    seeds - 1) or the seed numbers themselves.

    A seed fixes the training examples (a larger set contains the smaller ones), the
    initial weights and the order of the minibatches; the three models share it."""
    data = split(placement, data_seed)
    seeds = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    runs = []
    for name in models:
        pool, test = (patch_models.patches(x, window(name)) for x in (data.x_train, data.x_test))
        for k in per_class:
            chosen = np.stack([digits.balanced_subset(data.y_train, k, np.random.default_rng((SEED, seed)))
                               for seed in seeds])
            rngs = [np.random.default_rng((SEED, seed, k)) for seed in seeds]
            alone = [build(name, rng) for rng in rngs]  # each seed's initial weights, drawn as alone
            params = patch_models.train(alone, pool, data.y_train, chosen, rngs, epochs_for(chosen.shape[1]), BATCH,
                                  LEARNING_RATE)
            train = patch_models.accuracy(params, pool[chosen], data.y_train[chosen])
            tested = patch_models.accuracy(params, test, data.y_test)
            runs += [{"model": name, "training examples": chosen.shape[1], "seed": seed,
                      "train accuracy": float(train[i]), "test accuracy": float(tested[i])}
                     for i, seed in enumerate(seeds)]
    return runs


def record():
    """The recorded experiment: its runs and how long they took, by placement."""
    return json.loads((PROJECT / RUNS).read_text(encoding="utf-8"))


def recorded(placement):
    """The recorded runs of the experiment on digits placed `placement`."""
    return record()["runs"][placement]


def per_seed(runs):
    """{model: {"sizes": [...], "test": (size, seed) array, "gap": (size, seed) array}},
    seeds in the same order for every model, so differences between models are paired."""
    out = {}
    for name in MODELS:
        mine = sorted((r for r in runs if r["model"] == name), key=lambda r: (r["training examples"], r["seed"]))
        sizes = sorted({r["training examples"] for r in mine})
        grid = lambda key: np.array([[r[key] for r in mine if r["training examples"] == n] for n in sizes])
        test, train = grid("test accuracy"), grid("train accuracy")
        out[name] = {"sizes": sizes, "test": test, "gap": train - test}
    return out


def by_size(curves, key):
    """A table in percent: one row per training set size, one column per model, each cell
    the measurement over the seeds."""
    sizes = curves[MODELS[0]]["sizes"]
    return [{"training examples": n, **{name: measurement.measure(100 * c[key][i]) for name, c in curves.items()}}
            for i, n in enumerate(sizes)]


def lead(curves, ahead, behind, key="test"):
    """Per size, the measurement of the paired difference ahead - behind, in points."""
    return [measurement.measure(100 * (a - b)) for a, b in zip(curves[ahead][key], curves[behind][key])]


# --- claims in words: what the page may say about the measurements --------------------------

ROUND = (1, 2, 5, 10, 20, 50, 100)  # the round numbers a bound is stated in


def bound_below(x):
    """The largest round number at or below x: "more than 20 points" for a least value of 23.5."""
    return max((r for r in ROUND if r <= x), default=0)


def bound_above(x):
    """The smallest round number at or above x: "within 5 points" for a largest value of 2.2."""
    return next(r for r in ROUND if r >= x)


def verdict(m, words=("ahead", "behind", "level")):
    """Where a paired difference stands: "ahead" if its 95% interval lies above zero, "behind"
    if below, "level" if the interval includes zero (the data do not rank the two); other
    words for other differences, ("larger", "smaller", "no different") for a gap."""
    above, below, neither = words
    return above if m["low"] > 0 else below if m["high"] < 0 else neither


def where(count, total):
    """How many sizes of `total`, in words: "at every size", "at most sizes", "at no size"."""
    if count == total:
        return "at every size"
    if count == 0:
        return "at no size"
    return "at most sizes" if 2 * count > total else "at some sizes"


def common_values(runs):
    """What both learning-curve snippets report: the runs, the curves as tables, each
    model's test accuracy at the smallest and the largest size, and what to draw."""
    curves, seeds = per_seed(runs), len({r["seed"] for r in runs})
    sizes = curves[MODELS[0]]["sizes"]
    values = {
        "runs": runs,
        "seeds": seeds,
        "sizes": sizes,
        "test_accuracy": by_size(curves, "test"),
        "gap": by_size(curves, "gap"),
        "smallest": sizes[0],
        "largest": sizes[-1],
        "lowest_train_accuracy": min(r["train accuracy"] for r in runs),
    }
    for name, c in curves.items():
        values[f"{SHORT[name]}_smallest"] = measurement.measure(c["test"][0])
        values[f"{SHORT[name]}_largest"] = measurement.measure(c["test"][-1])
    return values | {"_curves": curves, "_params": parameter_totals()}


def draw_curves(ax, curves, params, key):
    """One line per model (mean over seeds, log-scaled x) with a bar for the 95% interval of
    the mean, and its parameter count in the legend. Bars, not shaded bands: a pale band
    would be the largest, least legible area of the figure."""
    theme = style.current()
    for (name, c), colour, marker in zip(curves.items(), theme.series, MARKERS):
        measured = [measurement.measure(100 * row) for row in c[key]]
        ax.errorbar(c["sizes"], [m["mean"] for m in measured], yerr=[measurement.half_width(m) for m in measured],
                    marker=marker, color=colour, capsize=3, label=f"{name} ({params[name]:,} parameters)")
    sizes = next(iter(curves.values()))["sizes"]
    ax.set_xscale("log")
    ax.set_xticks(sizes, labels=[str(n) for n in sizes])
    ax.tick_params(axis="x", labelsize=8)
    ax.minorticks_off()
    ax.set_xlabel("training examples (log scale)")
    ax.set_ylim(0, 102)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    # Above the plot, not inside it: inside, some corner is covered by a curve in one experiment or the other.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), borderaxespad=0, frameon=False, fontsize=9)


def accuracy_figure(v):
    """The test-accuracy figure of a learning-curve snippet, with chance level marked."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.8)
    draw_curves(ax, v["_curves"], v["_params"], "test")
    chance = 100 / digits.CLASSES
    ax.axhline(chance, color=theme.muted, linestyle=":", linewidth=1)
    ax.annotate("chance", (v["largest"], chance), xytext=(0, 3), textcoords="offset points", ha="right",
                color=theme.muted, fontsize=9)
    ax.set_ylabel("test accuracy (%)")
    return fig


def main(file):
    """Run a learning-curve snippet from the shell (it reads the recorded runs)."""
    from pipeline.cli import show

    show(file)
