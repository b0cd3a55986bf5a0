"""Learning curves: test accuracy against the number of training examples, on shifted digits.

Trains the dense, locally connected and convolutional models on class-balanced training
sets of growing size, several times each, and measures how often each is right on the
fixed test set and on its own training set.
"""
import numpy as np

from snippets.learning._common import (BATCH, EPOCHS, FULL, LEARNING_RATE, MIN_STEPS, MODELS, accuracy_figure,
                                       common_values, draw_curves, grid, main, measure)
from snippets.lib import digits, style


def compute():
    per_class, seeds, _ = grid()
    v = common_values(measure("random", per_class, seeds, "learning curves"))
    dense, local, conv = (v["_curves"][name] for name in MODELS)
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


if __name__ == "__main__":
    main(__file__)
