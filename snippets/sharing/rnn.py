"""Sharing across time: an unrolled recurrent network with tied and untied steps.

Counts the parameters of a simple (Elman) recurrent layer,
h_t = tanh(W_x x_t + W_h h_(t-1) + b), unrolled over a fixed number of steps, when every
step uses the same W_x, W_h, b and when every step has its own.
"""
from snippets.lib import formulas

INPUTS, HIDDEN, STEPS = 32, 64, 20  # 32 features per step, 64 hidden units, 20 steps


def compute():
    # One step: W_x and b (a dense layer from the input), W_h (hidden to hidden, no bias).
    one_step = formulas.dense_params(INPUTS, HIDDEN) + formulas.dense_params(HIDDEN, HIDDEN, bias=False)
    return {
        "inputs": INPUTS,
        "hidden": HIDDEN,
        "steps": STEPS,
        "tied": one_step,  # one copy, whatever the length
        # every step its own arrays, except that the first step's W_h multiplies h_0 = 0:
        # it never affects anything, so an untied network has no use for it
        "untied": STEPS * one_step - HIDDEN * HIDDEN,
        "unused_first_recurrent": HIDDEN * HIDDEN,
        "terms_per_tied_weight": STEPS,  # gradient terms per sequence: one per step
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
