"""New numbers for the exercises of Weight sharing, shown.

The page's ideas on layers it does not show: a convolution and a locally connected layer
on a CIFAR-sized image (weights and multiply-adds), and a recurrent layer of another size
(tied and untied parameters).
"""
from snippets.lib import formulas

IMAGE = (3, 32, 32)  # channels, height, width: a CIFAR-10 image
FILTERS, KERNEL = 16, 5  # 16 filters of 5×5, no padding, stride 1, no biases
INPUTS, HIDDEN, STEPS = 10, 20, 50  # a recurrent layer: 10 features per step, 20 hidden units, 50 steps


def compute():
    out = formulas.conv2d_output_shape(IMAGE, FILTERS, KERNEL)
    one_step = formulas.dense_params(INPUTS, HIDDEN) + formulas.dense_params(HIDDEN, HIDDEN, bias=False)
    return {
        "image_shape": IMAGE,
        "filters": FILTERS,
        "output_shape": out,
        "conv_weights": formulas.conv2d_params(IMAGE[0], FILTERS, KERNEL, bias=False),
        "local_weights": formulas.locally_connected2d_params(IMAGE, FILTERS, KERNEL, bias=False),
        "conv_macs": formulas.conv2d_macs(IMAGE, FILTERS, KERNEL),
        "local_macs": formulas.locally_connected2d_macs(IMAGE, FILTERS, KERNEL),
        "positions": out[1] * out[2],  # the factor sharing divides the weights by
        "rnn_inputs": INPUTS,
        "rnn_hidden": HIDDEN,
        "rnn_steps": STEPS,
        "rnn_tied": one_step,
        # as on the page: every step its own arrays, but the first step's W_h multiplies h_0 = 0
        "rnn_untied": STEPS * one_step - HIDDEN * HIDDEN,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
