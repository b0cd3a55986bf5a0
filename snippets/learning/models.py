"""Three models that differ in their first layer: dense, locally connected, convolutional.

Each has two weight layers and hands the same number of features to the same linear
classifier; the first layer connects every pixel (dense), a window with weights of its
own at every position (locally connected), or a window with one filter bank shared by
every position (convolutional). The two windowed layers are followed by a max over all
positions of each channel, which has no weights.
"""
from snippets.learning._common import CANVAS, FIRST_LAYER, KERNEL, MODELS, WIDTH, parameter_counts, parameter_totals

LARGER_CANVAS = 16  # for an exercise: the same models on a bigger canvas


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
    from pipeline.cli import show

    show(__file__)
