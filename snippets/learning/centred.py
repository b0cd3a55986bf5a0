"""The control: the same learning curves with every digit at the centre of the canvas.

Repeats the experiment of learning/curves.py with no variation in position, so the only
thing that changes is whether the data have the symmetry that weight sharing assumes.
"""
import numpy as np

from snippets.learning._common import accuracy_figure, common_values, grid, main, measure


def compute():
    per_class, _, seeds = grid()
    v = common_values(measure("centred", per_class, seeds, "centred control"))
    curves = v["_curves"]
    dense, conv = curves["dense"], curves["convolutional"]
    largest = {name: c["test"][-1] for name, c in curves.items()}
    return v | {
        "seeds": seeds,
        "best_largest": max(largest, key=largest.get),
        "widest_conv_advantage": float(100 * np.max(conv["test"] - dense["test"])),  # percentage points
    }


def figure_accuracy(v):
    """Test accuracy against the number of training examples when every digit sits at the
    centre, one line per model with a bar from its worst to its best seed: the three lines
    lie close together at every size, far above where the dense and locally connected
    models were on shifted digits."""
    return accuracy_figure(v)


if __name__ == "__main__":
    main(__file__)
