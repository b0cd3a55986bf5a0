"""Shift consistency: max pooling against anti-aliased max pooling (Zhang, 2019).

Trains two small digit classifiers that differ only in their downsampling, max pooling
or max pooling with a blur before the subsampling, on centred digits, and measures how
often a prediction survives a circular shift of the input.
"""
import numpy as np

from snippets.equiv._common import CANVAS, DOWNSAMPLING, EFFECTIVE_STRIDE, WIDTHS, features, on_canvas
from snippets.lib import digits, nets, style

SEED = 2019  # Zhang, "Making Convolutional Networks Shift-Invariant Again"
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


def compute():
    rng = np.random.default_rng(SEED)
    images, labels = digits.scans()
    order = rng.permutation(len(images))
    train, test = order[:TRAIN], order[TRAIN:]
    x_train, x_test = on_canvas(images[train]), on_canvas(images[test])
    results = {}
    for name in NETWORKS:
        # The same initial weights, batches and test shifts for both networks.
        model = network(name, np.random.default_rng(SEED + 1))
        nets.train(model, x_train, labels[train], np.random.default_rng(SEED + 2),
                   epochs=EPOCHS, batch_size=BATCH, lr=LR)
        results[name] = evaluate(model, x_test, labels[test], np.random.default_rng(SEED + 3))
        results[name]["parameters"] = model.count_params()
    plain, blur = (results[name] for name in NETWORKS)
    return {
        "canvas": (CANVAS, CANVAS),
        "train_size": len(train),
        "test_size": len(test),
        "epochs": EPOCHS,
        "effective_stride": EFFECTIVE_STRIDE,
        "table": [{"downsampling": name, "parameters": r["parameters"],
                   "accuracy, centred": round(r["accuracy centred"], 3),
                   "accuracy, random shift": round(r["accuracy shifted"], 3),
                   "shift consistency": round(r["consistency"], 3)} for name, r in results.items()],
        "max_accuracy_centred": plain["accuracy centred"],
        "max_accuracy_shifted": plain["accuracy shifted"],
        "max_consistency": plain["consistency"],
        "blur_accuracy_centred": blur["accuracy centred"],
        "blur_accuracy_shifted": blur["accuracy shifted"],
        "blur_consistency": blur["consistency"],
        "change_by_stride": max(plain["change by stride"], blur["change by stride"]),
        "_curves": {name: r["curve"] for name, r in results.items()},
    }


def figure_curve(v):
    """Line chart: the test accuracy of each network as the test digits move one pixel at
    a time to the right. The max pooling network's accuracy drops as soon as the digits
    leave the position it was trained at and comes back only after a whole effective
    stride; the blurred network's accuracy stays nearly flat."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.2)
    for colour, marker, (name, curve) in zip(theme.series, "os", v["_curves"].items()):
        ax.plot(list(CURVE_SHIFTS), curve, marker=marker, color=colour, label=name)
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
