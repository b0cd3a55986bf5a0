"""Learning curves: test accuracy against the number of training examples, on shifted digits.

Reads the recorded runs of the dense, locally connected and convolutional models, trained
on class-balanced training sets of growing size with ten seeds each
(benchmarks/learning_runs.py), and measures how often each is right on the fixed test set
and on its own training set, with the spread over the seeds.
"""

import math

from snippets.learning._common import (BATCH, EPOCHS, LEARNING_RATE, MIN_STEPS, MODELS, accuracy_figure, bound_below,
                                       common_values, draw_curves, lead, main, record, verdict, where)
from snippets.lib import measurement, style

DATA = ["benchmarks/results/learning_runs.json"]  # recorded by benchmarks/learning_runs.py


def compute():
    experiment = record()
    v = common_values(experiment["runs"]["random"])
    curves = v["_curves"]
    dense, local, conv = (curves[name] for name in MODELS)
    sizes = conv["sizes"]
    # Statistical efficiency as a count of examples: the fewest with which the
    # convolutional model does, on average, at least as well as the dense model does with
    # the most, and the size before it, where it does not yet: the grid brackets the answer.
    target = dense["test"][-1].mean()
    enough = next(i for i, row in enumerate(conv["test"]) if row.mean() >= target)
    conv_over_dense = lead(curves, "convolutional", "dense")
    local_over_dense = lead(curves, "locally connected", "dense")
    local_gap_excess = lead(curves, "locally connected", "dense", key="gap")
    widest_spread = float(100 * max((c["test"].max(axis=1) - c["test"].min(axis=1)).max() for c in curves.values()))
    count = lambda ms, test: sum(bool(test(m)) for m in ms)
    return v | {
        "learning_rate": LEARNING_RATE,
        "batch_size": BATCH,
        "epochs": EPOCHS,
        "min_steps": MIN_STEPS,
        # the whole record, both placements: how long the experiment takes to compute
        "run_count": sum(len(runs) for runs in experiment["runs"].values()),
        # the seeds the tests check every claim on again, which the page never shows
        "held_out_seeds": len(experiment["held_out"]["held-out seeds"]["seeds"]),
        "recorded_seconds": round(sum(sum(by_model.values()) for by_model in experiment["seconds"].values())),
        "conv_matches_dense_with": sizes[enough],
        "conv_short_of_dense_with": sizes[enough - 1] if enough else 0,
        "examples_ratio": sizes[-1] / sizes[enough],
        "examples_ratio_bound": sizes[-1] / sizes[enough - 1] if enough else float(sizes[-1]),
        # differences of accuracies, in percentage points
        "dense_gap_largest": measurement.measure(100 * dense["gap"][-1]),
        "local_gap_largest": measurement.measure(100 * local["gap"][-1]),
        "conv_gap_largest": measurement.measure(100 * conv["gap"][-1]),
        "conv_lead": [{"training examples": n, "convolutional − dense (points)": m}
                      for n, m in zip(sizes, conv_over_dense)],
        # claims in words: where the 95% interval of a paired difference lies, and round bounds
        "conv_ahead_where": where(count(conv_over_dense, lambda m: m["low"] > 0), len(sizes)),
        "conv_lead_floor": bound_below(min(m["low"] for m in conv_over_dense)),  # points
        "train_floor": math.floor(10 * v["lowest_train_accuracy"]) / 10,  # a fraction, in tenths
        "local_behind_where": where(count(local_over_dense, lambda m: m["high"] < 0), len(sizes)),
        "local_minus_dense_largest": local_over_dense[-1],
        "local_minus_dense_largest_verdict": verdict(local_over_dense[-1]),
        "local_gap_larger_where": where(count(local_gap_excess, lambda m: m["low"] > 0), len(sizes)),
        "local_gap_smaller_where": where(count(local_gap_excess, lambda m: m["high"] < 0), len(sizes)),
        "widest_spread": widest_spread,
        "spread_floor": bound_below(widest_spread),  # points, between the best and worst seed
    }


def figure_accuracy(v):
    """Test accuracy against the number of training examples on a logarithmic axis, one line
    per model with a bar for the 95% interval of its mean over the seeds: the
    convolutional model is far above the other two at every size, and the locally
    connected model, with the most parameters, is nowhere below the dense one."""
    return accuracy_figure(v)


def figure_gap(v):
    """The train-test gap (training accuracy minus test accuracy) against the number of
    training examples, one line per model with the 95% interval of its mean: the gap
    shrinks as the training set grows, and the convolutional model's gap is the smallest
    at every size."""
    fig, ax = style.figure(6.4, 3.8)
    draw_curves(ax, v["_curves"], v["_params"], "gap")
    ax.set_ylabel("train − test accuracy (points)")
    return fig


if __name__ == "__main__":
    main(__file__)
