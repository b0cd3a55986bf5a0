"""The same count on new numbers: 64 filters of 5×5 on a 32×32×3 image.

The exercise of Weight sharing in numbers: stride 1, no padding, counted with and without
sharing as the page counts AlexNet's first layer.
"""
from snippets.lib.formulas import conv_output_size

IMAGE = (32, 32, 3)  # height, width, channels
FILTERS, KERNEL = 64, 5


def compute():
    height, width, channels = IMAGE
    side = conv_output_size(height, KERNEL)
    per_neuron = KERNEL * KERNEL * channels + 1  # weights and one bias
    neurons = side * side * FILTERS
    return {
        "output_shape": (side, side, FILTERS),
        "neurons": neurons,
        "params_per_neuron": per_neuron,
        "params_unshared": neurons * per_neuron,
        "params_shared": FILTERS * per_neuron,
        "positions": side * side,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
