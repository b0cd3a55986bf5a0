"""The control: the same learning curves with every digit at the centre of the canvas.

Reads the recorded runs of the experiment of learning/curves.py with no variation in
position (benchmarks/learning_runs.py, ten seeds per size), so the only thing that changes
is whether the data have the symmetry that weight sharing assumes.
"""
from snippets.learning._common import MODELS, accuracy_figure, bound_above, common_values, lead, main, recorded, verdict

DATA = ["benchmarks/results/learning_runs.json"]  # recorded by benchmarks/learning_runs.py


def compute():
    v = common_values(recorded("centred"))
    curves = v["_curves"]
    sizes = curves[MODELS[0]]["sizes"]
    conv_over_dense = lead(curves, "convolutional", "dense")  # paired, in percentage points
    local_over_dense = lead(curves, "locally connected", "dense")
    local_gap_excess = lead(curves, "locally connected", "dense", key="gap")
    signs = {m["mean"] > 0 for m in conv_over_dense}
    return v | {
        "conv_lead": [{"training examples": n, "convolutional − dense (points)": m}
                      for n, m in zip(sizes, conv_over_dense)],
        # claims in words: a round bound on the mean lead at every size, and its sign
        "lead_within": bound_above(max(abs(m["mean"]) for m in conv_over_dense)),
        "lead_sign": ("changes sign from one size to another" if len(signs) == 2
                      else "is positive at every size" if True in signs else "is negative at every size"),
        "conv_lead_largest": conv_over_dense[-1],
        "conv_lead_largest_verdict": verdict(conv_over_dense[-1]),
        "local_minus_dense_largest": local_over_dense[-1],
        "local_minus_dense_largest_verdict": verdict(local_over_dense[-1]),
        "local_gap_minus_dense_largest": local_gap_excess[-1],
        "local_gap_minus_dense_largest_verdict": verdict(local_gap_excess[-1], ("larger", "smaller", "no different")),
    }


def figure_accuracy(v):
    """Test accuracy against the number of training examples when every digit sits at the
    centre, one line per model with a bar for the 95% interval of its mean over the
    seeds: the three lines lie close together at every size, far above where the dense
    and locally connected models were on shifted digits."""
    return accuracy_figure(v)


if __name__ == "__main__":
    main(__file__)
