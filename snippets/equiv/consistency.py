"""Shift consistency: max pooling against anti-aliased max pooling (Zhang, 2019).

Two small digit classifiers that differ only in their downsampling, max pooling or max
pooling with a blur before the subsampling, trained on centred digits with ten seeds (each
its own split of the digits, initial weights, batch order and test shifts; `run_seed`,
recorded by benchmarks/consistency_runs.py), and how often a prediction survives a
circular shift of the input.
"""
import json
from pathlib import Path

import numpy as np

from snippets.equiv._common import CANVAS, DOWNSAMPLING, EFFECTIVE_STRIDE, WIDTHS, features, on_canvas
from snippets.lib import digits, nets, spread, style

DATA = ["benchmarks/results/consistency_runs.json"]  # ten seeds take longer than a build may spend
PROJECT = Path(__file__).resolve().parents[2]
SEED = 2019  # Zhang, "Making Convolutional Networks Shift-Invariant Again"
SEEDS = 10
TRAIN = 1000  # training digits; the other 797 are the test set
EPOCHS, BATCH, LR = 6, 32, 0.01
CURVE_SHIFTS = range(0, 5)  # one pixel at a time to the right, one effective stride
NETWORKS = DOWNSAMPLING[:2]  # the two trained here


def roll_each(images, shifts):
    """Image i rolled circularly by shifts[i] = (down, right) pixels."""
    rows = (np.arange(CANVAS) - shifts[:, :1]) % CANVAS  # (N, H): source row of each row
    cols = (np.arange(CANVAS) - shifts[:, 1:]) % CANVAS
    n = np.arange(len(images))[:, None, None]
    return images[n, 0, rows[:, :, None], cols[:, None, :]][:, None]


def network(kind, rng):
    """features() and a dense layer to the ten digit classes."""
    return nets.Sequential(*features(kind, rng), nets.Dense(WIDTHS[-1], 10, rng))


def class_probabilities(model, images):
    """Softmax of the model's logits, (N, 10)."""
    logits = model.forward(images)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def evaluate(model, test, labels, rng):
    """Accuracy centred, at each shift of CURVE_SHIFTS and at random shifts; shift
    consistency (do two random shifts give the same prediction?); and how much any class
    probability moves when the input moves by one effective stride."""
    n = len(test)
    first, second = (rng.integers(0, CANVAS, (n, 2)) for _ in range(2))
    a, b = (nets.predict(model, roll_each(test, s)) for s in (first, second))
    along_row = np.stack([class_probabilities(model, roll_each(test, np.tile([0, s], (n, 1))))
                          for s in CURVE_SHIFTS])  # (shift, digit, class)
    accuracy_along_row = (along_row.argmax(axis=2) == labels).mean(axis=1)
    return {
        "accuracy centred": float(accuracy_along_row[0]),
        "accuracy shifted": float((a == labels).mean()),
        "consistency": float((a == b).mean()),
        "curve": accuracy_along_row,
        # a whole effective stride to the right: every probability as it was
        "change by stride": float(np.abs(along_row[EFFECTIVE_STRIDE] - along_row[0]).max()),
    }


def run_seed(seed, images, labels):
    """{network: evaluate(...) and its parameter count} for one seed: its own split of the
    digits; both networks get the same initial weights, batches and test shifts."""
    base = (SEED, seed)
    order = np.random.default_rng(base).permutation(len(images))
    train, test = order[:TRAIN], order[TRAIN:]
    x_train, x_test = on_canvas(images[train]), on_canvas(images[test])
    results = {}
    for name in NETWORKS:
        model = network(name, np.random.default_rng(base + (1,)))
        nets.train(model, x_train, labels[train], np.random.default_rng(base + (2,)),
                   epochs=EPOCHS, batch_size=BATCH, lr=LR)
        results[name] = evaluate(model, x_test, labels[test], np.random.default_rng(base + (3,)))
        results[name]["parameters"] = model.count_params()
    return results


METRICS = {"accuracy centred": "accuracy, centred (%)", "accuracy shifted": "accuracy, random shift (%)",
           "consistency": "shift consistency (%)"}


def recorded():
    """Every seed's results, as benchmarks/consistency_runs.py recorded them with run_seed."""
    return json.loads((PROJECT / DATA[0]).read_text(encoding="utf-8"))["runs"]


def compute():
    images, _ = digits.scans()
    runs = recorded()
    per = {name: {metric: np.array([run[name][metric] for run in runs]) for metric in METRICS} for name in NETWORKS}
    plain, blur = (per[name] for name in NETWORKS)
    cost = plain["accuracy centred"] - blur["accuracy centred"]  # paired: the same seed
    gain = blur["consistency"] - plain["consistency"]
    curves = {name: np.array([run[name]["curve"] for run in runs]) for name in NETWORKS}  # (seed, shift)
    return {
        "canvas": (CANVAS, CANVAS),
        "train_size": TRAIN,
        "test_size": len(images) - TRAIN,
        "epochs": EPOCHS,
        "seeds": SEEDS,
        "effective_stride": EFFECTIVE_STRIDE,
        "table": [{"downsampling": name, "parameters": runs[0][name]["parameters"],
                   **{label: spread.measure(100 * per[name][metric]) for metric, label in METRICS.items()}}
                  for name in NETWORKS],
        "per_seed": [{"seed": seed, **{f"{name}, {metric}": float(per[name][metric][seed])
                                       for name in NETWORKS for metric in METRICS}} for seed in range(SEEDS)],
        "max_accuracy_centred": spread.measure(plain["accuracy centred"]),
        "max_accuracy_shifted": spread.measure(plain["accuracy shifted"]),
        "max_consistency": spread.measure(plain["consistency"]),
        "blur_accuracy_centred": spread.measure(blur["accuracy centred"]),
        "blur_accuracy_shifted": spread.measure(blur["accuracy shifted"]),
        "blur_consistency": spread.measure(blur["consistency"]),
        "centred_cost": spread.measure(cost),  # fraction; the page prints it in points
        "centred_cost_lowest": float(cost.min()),
        "centred_cost_highest": float(cost.max()),
        "consistency_gain": spread.measure(gain),
        "consistency_gain_lowest": float(gain.min()),
        "change_by_stride": max(run[name]["change by stride"] for run in runs for name in NETWORKS),
        "_curves": {name: [spread.measure(c) for c in curve.T] for name, curve in curves.items()},
    }


def figure_curve(v):
    """Line chart: the mean test accuracy over the seeds of each network, with its 95%
    interval, as the test digits move one pixel at a time to the right. The max pooling
    network's accuracy drops as soon as the digits leave the position it was trained at
    and comes back only after a whole effective stride; the blurred network's accuracy
    stays nearly flat."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.2)
    for colour, marker, (name, curve) in zip(theme.series, "os", v["_curves"].items()):
        means = [m["mean"] for m in curve]
        halves = [spread.half_width(m) for m in curve]
        ax.errorbar(list(CURVE_SHIFTS), means, yerr=halves, marker=marker, color=colour, capsize=3,
                    label=f"{name} (mean of {v['seeds']} seeds, 95% interval)")
    for s in CURVE_SHIFTS[::v["effective_stride"]]:
        ax.axvline(s, color=theme.faint, lw=1, zorder=0)
    ax.set_ylim(0, 1)
    ax.set_xlabel("shift of the test digits to the right (pixels)")
    ax.set_xticks(list(CURVE_SHIFTS))
    ax.set_ylabel("test accuracy")
    ax.legend(loc="lower left")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
