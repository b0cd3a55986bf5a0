"""Learning curves: test accuracy against the number of training examples, on shifted digits.

Trains the dense, locally connected and convolutional models on class-balanced training
sets of growing size, several times each, and measures how often each is right on the
fixed test set and on its own training set.
"""
import os
import sys
from typing import NamedTuple

import numpy as np

from snippets import learning_data, learning_models
from snippets.lib import digits, nets, style

SEED = 2015
MODE = "LEARNING_CURVES"  # environment variable; "full" selects the full grid


class Grid(NamedTuple):
    per_class: tuple  # training examples of each digit
    seeds: int  # training sets and initialisations per size
    control_seeds: int  # the same for the centred control, which only has to show whether the gap closes


DEFAULT = Grid(per_class=(1, 3, 10, 30), seeds=3, control_seeds=2)
FULL = Grid(per_class=(1, 2, 3, 5, 10, 20, 30, 50, 100), seeds=10, control_seeds=10)
LEARNING_RATE = 0.01
BATCH = 32
EPOCHS = 20  # passes over the training set, at least...
MIN_STEPS = 150  # ...and at least this many updates, which matters for the small sets
MARKERS = ("o", "s", "^")
SHORT = {"dense": "dense", "locally connected": "local", "convolutional": "conv"}  # in value names


def grid():
    """The grid of the mode chosen by the environment: DEFAULT, or FULL by hand."""
    return FULL if os.environ.get(MODE) == "full" else DEFAULT


def epochs_for(examples):
    """Passes over a training set of this size: EPOCHS, or more if that is under MIN_STEPS updates."""
    batches = -(-examples // BATCH)
    return max(EPOCHS, -(-MIN_STEPS // batches))


def train_and_test(name, data, chosen, rng):
    """Train model `name` on the chosen training examples; its (train, test) accuracy."""
    model = learning_models.build(name, rng)
    x, y = data.x_train[chosen], data.y_train[chosen]
    nets.train(model, x, y, rng, epochs=epochs_for(len(chosen)), batch_size=BATCH, lr=LEARNING_RATE)
    return nets.accuracy(model, x, y), nets.accuracy(model, data.x_test, data.y_test)


def with_progress(items, label):
    """Yield the items; on a terminal, count them on one line of stderr that is erased at the end."""
    shown = sys.stderr.isatty()
    for done, item in enumerate(items):
        if shown:
            print(f"\r{label}: run {done + 1} of {len(items)}", end="", file=sys.stderr, flush=True)
        yield item
    if shown:
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def measure(placement, per_class, seeds, label):
    """One row per run: every model, training set size and seed.

    A seed fixes the training examples (a larger set contains the smaller ones), the
    initial weights and the order of the minibatches; the three models share it."""
    data = learning_data.split(placement)
    runs = []
    tasks = [(seed, k, name) for seed in range(seeds) for k in per_class for name in learning_models.MODELS]
    for seed, k, name in with_progress(tasks, label):
        chosen = digits.balanced_subset(data.y_train, k, np.random.default_rng((SEED, seed)))
        train, test = train_and_test(name, data, chosen, np.random.default_rng((SEED, seed, k)))
        runs.append({"model": name, "training examples": len(chosen), "seed": seed,
                     "train accuracy": train, "test accuracy": test})
    return runs


def summarize(runs):
    """{model: curve}: per training set size ("sizes"), the mean over seeds of the test
    accuracy ("test") and of the train-test gap ("gap"), each with its lowest and highest
    value over seeds ("test low", "gap high", ...)."""
    curves = {}
    for name in learning_models.MODELS:
        mine = [r for r in runs if r["model"] == name]
        sizes = sorted({r["training examples"] for r in mine})
        accuracy = {kind: np.array([[r[f"{kind} accuracy"] for r in mine if r["training examples"] == n] for n in sizes])
                    for kind in ("train", "test")}
        curve = {"sizes": sizes}
        for key, per_seed in (("test", accuracy["test"]), ("gap", accuracy["train"] - accuracy["test"])):
            curve.update({key: per_seed.mean(axis=1), f"{key} low": per_seed.min(axis=1), f"{key} high": per_seed.max(axis=1)})
        curves[name] = curve
    return curves


def by_size(curves, key):
    """A table in percent: one row per training set size, one column per model."""
    sizes = curves[learning_models.MODELS[0]]["sizes"]
    return [{"training examples": n, **{name: float(100 * c[key][i]) for name, c in curves.items()}}
            for i, n in enumerate(sizes)]


def common_values(runs):
    """What both learning-curve snippets report: the runs, the curves as tables, each
    model's mean test accuracy at the smallest and the largest size, and what to draw."""
    curves = summarize(runs)
    sizes = curves[learning_models.MODELS[0]]["sizes"]
    values = {
        "runs": runs,
        "test_accuracy": by_size(curves, "test"),
        "gap": by_size(curves, "gap"),
        "smallest": sizes[0],
        "largest": sizes[-1],
        "lowest_train_accuracy": min(r["train accuracy"] for r in runs),
    }
    for name, c in curves.items():
        values[f"{SHORT[name]}_smallest"] = float(c["test"][0])
        values[f"{SHORT[name]}_largest"] = float(c["test"][-1])
    return values | {"_curves": curves, "_params": learning_models.parameter_totals()}


def compute():
    per_class, seeds, _ = grid()
    v = common_values(measure("random", per_class, seeds, "learning curves"))
    dense, local, conv = (v["_curves"][name] for name in learning_models.MODELS)
    # Statistical efficiency as a count of examples: the fewest with which the
    # convolutional model does at least as well as the dense model does with the most.
    enough = next(n for n, acc in zip(conv["sizes"], conv["test"]) if acc >= dense["test"][-1])
    return v | {
        "sizes": conv["sizes"],
        "seeds": seeds,
        "full_sizes": [k * digits.CLASSES for k in FULL.per_class],
        "full_largest": max(FULL.per_class) * digits.CLASSES,
        "full_seeds": FULL.seeds,
        "learning_rate": LEARNING_RATE,
        "batch_size": BATCH,
        "epochs": EPOCHS,
        "min_steps": MIN_STEPS,
        "conv_matches_dense_with": enough,
        "examples_ratio": conv["sizes"][-1] / enough,
        # differences of accuracies, in percentage points
        "dense_gap_largest": float(100 * dense["gap"][-1]),
        "local_gap_largest": float(100 * local["gap"][-1]),
        "conv_gap_largest": float(100 * conv["gap"][-1]),
        "narrowest_conv_advantage": float(100 * np.min(conv["test"] - dense["test"])),
        "widest_spread": float(100 * max((c["test high"] - c["test low"]).max() for c in v["_curves"].values())),
    }


def draw_curves(ax, curves, params, key):
    """One line per model (mean over seeds, log-scaled x) with a bar from its lowest to its
    highest seed, and its parameter count in the legend. Bars, not shaded bands: a pale
    band would be the largest, least legible area of the figure."""
    theme = style.current()
    for (name, c), colour, marker in zip(curves.items(), theme.series, MARKERS):
        mean = 100 * c[key]
        spread = (mean - 100 * c[f"{key} low"], 100 * c[f"{key} high"] - mean)
        ax.errorbar(c["sizes"], mean, yerr=spread, marker=marker, color=colour, capsize=3,
                    label=f"{name} ({params[name]:,} parameters)")
    sizes = next(iter(curves.values()))["sizes"]
    ax.set_xscale("log")
    ax.set_xticks(sizes, labels=[str(n) for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training examples (log scale)")
    ax.set_ylim(0, 102)
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", frameon=False, fontsize=9)


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


def figure_accuracy(v):
    """Test accuracy against the number of training examples on a logarithmic axis, one line
    per model with a bar from its worst to its best seed: the convolutional model is far
    above the other two at every size, and the locally connected model is a little above
    the dense one although it has the most parameters."""
    return accuracy_figure(v)


def figure_gap(v):
    """The train-test gap (training accuracy minus test accuracy) against the number of
    training examples, one line per model: the gap shrinks as the training set grows, and
    the convolutional model's gap is the smallest at every size."""
    fig, ax = style.figure(6.4, 3.8)
    draw_curves(ax, v["_curves"], v["_params"], "gap")
    ax.set_ylabel("train − test accuracy (points)")
    ax.legend(loc="upper right", frameon=False, fontsize=9)
    return fig


def main(file):
    """Run a learning-curve snippet from the shell; `--full` selects the full grid."""
    from snippets._engine import show

    if "--full" in sys.argv[1:]:
        os.environ[MODE] = "full"
    show(file)


if __name__ == "__main__":
    main(__file__)
