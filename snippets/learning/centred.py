"""The control: the same learning curves with every digit at the centre of the canvas.

Reads the recorded runs of the experiment of learning/curves.py with no variation in
position (benchmarks/learning_runs.py, ten seeds per size), so the only thing that changes
is whether the data have the symmetry that weight sharing assumes.
"""
from snippets.learning._common import MODELS, accuracy_figure, common_values, lead, main, recorded

DATA = ["benchmarks/results/learning_runs.json"]  # recorded by benchmarks/learning_runs.py


def compute():
    v = common_values(recorded("centred"))
    curves = v["_curves"]
    sizes = curves[MODELS[0]]["sizes"]
    conv_over_dense = lead(curves, "convolutional", "dense")
    widest = max(range(len(sizes)), key=lambda i: conv_over_dense[i]["mean"])
    largest = {name: c["test"][-1].mean() for name, c in curves.items()}
    best, second = sorted(largest, key=largest.get, reverse=True)[:2]
    return v | {
        "best_largest": best,
        "second_largest": second,
        "best_margin_largest": lead(curves, best, second)[-1],  # paired, points
        "conv_lead": [{"training examples": n, "convolutional − dense (points)": m}
                      for n, m in zip(sizes, conv_over_dense)],
        "widest_conv_advantage": conv_over_dense[widest],  # percentage points
        "widest_conv_advantage_at": sizes[widest],
        # sizes where the 95% interval of the lead lies above zero, and where it includes zero
        "conv_ahead_sizes": sum(m["low"] > 0 for m in conv_over_dense),
        "conv_level_sizes": sum(m["low"] <= 0 <= m["high"] for m in conv_over_dense),
        "size_count": len(sizes),
    }


def figure_accuracy(v):
    """Test accuracy against the number of training examples when every digit sits at the
    centre, one line per model with a bar for the 95% interval of its mean over the
    seeds: the three lines lie close together at every size, far above where the dense
    and locally connected models were on shifted digits."""
    return accuracy_figure(v)


if __name__ == "__main__":
    main(__file__)
