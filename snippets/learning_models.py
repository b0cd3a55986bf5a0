"""Three models that differ only in their first layer: dense, locally connected, convolutional.

Each has two weight layers and hands the same number of features to the same linear
classifier; the first layer connects every pixel (dense), a window with weights of its
own at every position (locally connected), or a window with one filter bank shared by
every position (convolutional).
"""
import numpy as np

from snippets.learning_data import CANVAS
from snippets.lib import digits, nets

KERNEL = 5  # window side of the locally connected and convolutional layers
WIDTH = 32  # hidden units of the dense layer, channels of the other two
MODELS = ("dense", "locally connected", "convolutional")
FIRST_LAYER = {
    "dense": "every pixel, own weights",
    "locally connected": f"{KERNEL}×{KERNEL} window, own weights at each position",
    "convolutional": f"{KERNEL}×{KERNEL} window, one filter bank for all positions",
}
LARGER_CANVAS = 16  # for an exercise: the same models on a bigger canvas
SEED = 0


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


def parameter_counts(canvas=CANVAS):
    """{model: (first layer's parameters, classifier's parameters)}, from the weight arrays."""
    counts = {}
    for name in MODELS:
        model = build(name, np.random.default_rng(SEED), canvas)
        first, classifier = [layer for layer in model.layers if layer.params]
        counts[name] = tuple(sum(p.size for p in layer.params) for layer in (first, classifier))
    return counts


def parameter_totals(canvas=CANVAS):
    """{model: trainable parameters}."""
    return {name: sum(c) for name, c in parameter_counts(canvas).items()}


def compute():
    counts = parameter_counts()
    totals = parameter_totals()
    positions = CANVAS - KERNEL + 1
    larger = parameter_totals(LARGER_CANVAS)
    return {
        "kernel": KERNEL,
        "width": WIDTH,
        "window_positions": positions * positions,
        "models": [
            {"model": name, "first layer sees": FIRST_LAYER[name], "first layer": counts[name][0],
             "classifier": counts[name][1], "parameters": totals[name]}
            for name in MODELS
        ],
        "params_dense": totals["dense"],
        "params_local": totals["locally connected"],
        "params_conv": totals["convolutional"],
        "local_over_dense": totals["locally connected"] / totals["dense"],
        "dense_over_conv": totals["dense"] / totals["convolutional"],
        "local_over_conv_first": counts["locally connected"][0] / counts["convolutional"][0],
        "larger_canvas": (LARGER_CANVAS, LARGER_CANVAS),
        "larger_params_local": larger["locally connected"],
        "larger_params_conv": larger["convolutional"],
    }


if __name__ == "__main__":
    from snippets._engine import show

    show(__file__)
