"""Shift consistency: max pooling against anti-aliased max pooling (Zhang, 2019).

Two small digit classifiers that differ only in their downsampling, max pooling or max
pooling with a blur before the subsampling, trained on centred digits with ten seeds (each
its own split of the digits, initial weights, batch order and test shifts), and how often
a prediction survives a circular shift of the input. The ten seeds of a network are
trained side by side, as one network with a seed axis (snippets.lib.side_by_side), in single
precision: a few seconds for all of them (benchmarks/seeded_training.py), so they are
trained at every build.
"""
import numpy as np

from snippets.equiv._common import CANVAS, DOWNSAMPLING, EFFECTIVE_STRIDE, WIDTHS, features, on_canvas
from snippets.lib import digits, nets, side_by_side, measurement, style

SEED = 2019  # Zhang, "Making Convolutional Networks Shift-Invariant Again"
PAGE_SEEDS = range(10)  # the page's seeds
HELD_OUT_SEEDS = range(1000, 1010)  # a block the page never shows; the tests check every claim on it too
TRAIN = 1000  # training digits; the other 797 are the test set
EPOCHS, BATCH, LR = 6, 32, 0.01
CURVE_SHIFTS = range(0, 5)  # one pixel at a time to the right, one effective stride
NETWORKS = DOWNSAMPLING[:2]  # the two trained here
# Single precision halves the memory each step moves and changes no claim: the test
# trains two seeds in double precision too and compares. evaluate() measures the
# exactness at the effective stride in double precision.
TRAIN_DTYPE = np.float32


def roll_each(images, shifts):
    """Image i rolled circularly by shifts[i] = (down, right) pixels."""
    rows = (np.arange(CANVAS) - shifts[:, :1]) % CANVAS  # (N, H): source row of each row
    cols = (np.arange(CANVAS) - shifts[:, 1:]) % CANVAS
    source = (rows[:, :, None] * CANVAS + cols[:, None, :]).reshape(len(images), -1)  # of each pixel
    return np.take_along_axis(images.reshape(len(images), -1), source, axis=1).reshape(images.shape)


def network(kind, rng):
    """features() and a dense layer to the ten digit classes."""
    return nets.Sequential(*features(kind, rng), nets.Dense(WIDTHS[-1], 10, rng))


def rngs(seed):
    """Seed's generators: its split of the digits, its initial weights (the same for both
    networks), its batches, its test shifts."""
    return [np.random.default_rng((SEED, seed) + part) for part in ((), (1,), (2,), (3,))]


def split(seed, n):
    """(train, test) indices of seed's split of n digits."""
    order = rngs(seed)[0].permutation(n)
    return order[:TRAIN], order[TRAIN:]


def train(kind, images, labels, seeds, dtype=TRAIN_DTYPE):
    """Every seed of one network, trained side by side on its own split: a side_by_side.Seeds."""
    splits = [split(seed, len(images)) for seed in seeds]
    x = np.stack([on_canvas(images[train_]) for train_, _ in splits])  # (S, TRAIN, 1, H, W)
    y = np.stack([labels[train_] for train_, _ in splits])
    model = side_by_side.stack([network(kind, rngs(seed)[1]) for seed in seeds], dtype)
    side_by_side.train(model, x, y, [rngs(seed)[2] for seed in seeds], epochs=EPOCHS, batch_size=BATCH, lr=LR)
    return model


def held_out(images, labels, seeds):
    """Each seed's test digits on the canvas and their labels, (N, S, 1, H, W) and (N, S)."""
    tests = [split(seed, len(images))[1] for seed in seeds]
    return (np.stack([on_canvas(images[t]) for t in tests], axis=1), np.stack([labels[t] for t in tests], axis=1))


def shifts(n, seeds):
    """How the evaluation moves each seed's n test digits, [view][seed] -> (n, 2): by each of
    CURVE_SHIFTS to the right, then twice at random (each seed its own draws)."""
    draws = [rngs(seed)[3] for seed in seeds]
    along_row = [[np.tile([0, s], (n, 1))] * len(seeds) for s in CURVE_SHIFTS]
    return along_row + [[rng.integers(0, CANVAS, (n, 2)) for rng in draws] for _ in range(2)]


def class_probabilities(model, test, view):
    """Softmax of the model's logits on the test digits (N, S, 1, H, W) of every seed, each
    seed's moved by its shifts in `view`: (N, S, 10)."""
    moved = np.stack([roll_each(test[:, s], shifts) for s, shifts in enumerate(view)], axis=1)
    logits = np.concatenate([model.logits(moved[i:i + BATCH]) for i in range(0, len(moved), BATCH)])
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


def evaluate(model, test, labels, views):
    """Per seed (arrays over the seeds): accuracy centred, at each shift of CURVE_SHIFTS and
    at random shifts; shift consistency (do two random shifts give the same prediction?);
    and how much any class probability moves when the input moves by one effective stride."""
    # The centred view and the view one effective stride away in double precision (the
    # same weights), so that the exactness between them is measured to the last bit
    # double has; the other views in the model's own precision.
    double = model.astype(np.float64)
    p = [class_probabilities(double if i in (0, EFFECTIVE_STRIDE) else model, test, view)
         for i, view in enumerate(views)]
    predicted = np.stack([q.argmax(axis=2) for q in p])  # (view, digit, seed)
    right = (predicted == labels).mean(axis=1)  # (view, seed)
    first, second = predicted[len(CURVE_SHIFTS):]
    return {
        "accuracy centred": right[0],
        "accuracy shifted": right[len(CURVE_SHIFTS)],
        "consistency": (first == second).mean(axis=0),
        "curve": right[:len(CURVE_SHIFTS)].T,  # (seed, shift)
        # a whole effective stride to the right: every probability as it was
        "change by stride": np.abs(p[EFFECTIVE_STRIDE] - p[0]).max(axis=(0, 2)),
    }


def run(images, labels, seeds=PAGE_SEEDS, dtype=TRAIN_DTYPE):
    """{network: evaluate(...) and its parameter count} over the seeds."""
    seeds = list(seeds)
    test, test_labels = held_out(images, labels, seeds)
    views = shifts(len(test), seeds)
    results = {}
    for name in NETWORKS:
        results[name] = evaluate(train(name, images, labels, seeds, dtype), test, test_labels, views)
        results[name]["parameters"] = network(name, rngs(0)[1]).count_params()
    return results


def seeds_word(holds):
    """A count of seeds in words: 'every seed', 'most seeds' (at least 8 of 10), 'some seeds'."""
    share = np.mean(holds)
    return "every seed" if share == 1 else "most seeds" if share >= 0.8 else "some seeds" if share > 0 else "no seed"


METRICS = {"accuracy centred": "accuracy, centred (%)", "accuracy shifted": "accuracy, random shift (%)",
           "consistency": "shift consistency (%)"}


def compute():
    return measure(PAGE_SEEDS)


def measure(seeds):
    """Every value of the page, trained and tested with `seeds`."""
    images, labels = digits.scans()
    runs = run(images, labels, seeds)
    plain, blur = (runs[name] for name in NETWORKS)
    cost = plain["accuracy centred"] - blur["accuracy centred"]  # paired: the same seed
    gain = blur["consistency"] - plain["consistency"]
    return {
        "canvas": (CANVAS, CANVAS),
        "train_size": TRAIN,
        "test_size": len(images) - TRAIN,
        "epochs": EPOCHS,
        "seeds": len(seeds),
        "effective_stride": EFFECTIVE_STRIDE,
        "table": [{"downsampling": name, "parameters": runs[name]["parameters"],
                   **{label: measurement.measure(100 * runs[name][metric]) for metric, label in METRICS.items()}}
                  for name in NETWORKS],
        "per_seed": [{"seed": seed, **{f"{name}, {metric}": float(runs[name][metric][i])
                                       for name in NETWORKS for metric in METRICS}} for i, seed in enumerate(seeds)],
        "max_accuracy_centred": measurement.measure(plain["accuracy centred"]),
        "max_accuracy_shifted": measurement.measure(plain["accuracy shifted"]),
        "max_consistency": measurement.measure(plain["consistency"]),
        "blur_accuracy_centred": measurement.measure(blur["accuracy centred"]),
        "blur_accuracy_shifted": measurement.measure(blur["accuracy shifted"]),
        "blur_consistency": measurement.measure(blur["consistency"]),
        # Differences of two percentages, in percentage points.
        "centred_cost_points": measurement.measure(100 * cost),
        "centred_cost_lowest_points": float(100 * cost.min()),
        "centred_cost_highest_points": float(100 * cost.max()),
        "consistency_gain_points": measurement.measure(100 * gain),
        "centred_ahead": ("the max pooling network" if measurement.measure(cost)["low"] > 0 else
                          "the blurred network" if measurement.measure(cost)["high"] < 0 else
                          "neither network (the interval of the difference includes zero)"),
        # In words, for the page: on how many seeds the blur helps.
        "consistency_gain_on": seeds_word(gain > 0),
        "shifted_accuracy_gain_on": seeds_word(blur["accuracy shifted"] > plain["accuracy shifted"]),
        "change_by_stride": float(max(runs[name]["change by stride"].max() for name in NETWORKS)),
        "_curves": {name: [measurement.measure(c) for c in runs[name]["curve"].T] for name in NETWORKS},
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
        halves = [measurement.half_width(m) for m in curve]
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
