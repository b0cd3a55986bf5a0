"""Which shifts of the input a feature map follows exactly: multiples of its jump, and only
when the input's side is a multiple of the jump too.

The stack of three 3×3 convolutions with a stride-2 middle layer (jump 2), with circular
padding so that no border breaks the comparison, on random inputs and weights: for each
shift of the input, is the output the old output moved by whole units? On a side that
the jump divides and on one it does not.
"""
import numpy as np

from snippets.lib import layers

SEED = 20260119
SEEDS = range(10)
STRIDES = (1, 2, 1)  # the strided stack of the smallest case: jump 2
SIDES = (16, 15)  # a multiple of the jump, and not
SHIFTS = (1, 2, 3, 4)


EXERCISE = dict(strides=(2, 2), sides=(30, 32), shifts=range(1, 9))  # jump 4


def forward(weights, x, strides=STRIDES):
    for w, s in zip(weights, strides):
        x = layers.conv2d(x, w, stride=s, padding=1, padding_mode="circular")
    return x


def follows(side, shift, seed, strides=STRIDES):
    """True when shifting the input down by `shift` rows moves the output by a whole
    number of rows (any number: the comparison does not assume which)."""
    rng = np.random.default_rng((SEED, seed))
    weights = [rng.normal(size=(1, 1, 3, 3)) for _ in strides]
    x = rng.normal(size=(1, 1, side, side))
    before, after = forward(weights, x, strides), forward(weights, np.roll(x, shift, axis=2), strides)
    return any(np.allclose(after, np.roll(before, units, axis=2), rtol=0, atol=1e-12)
               for units in range(before.shape[2]))


def listed(shifts):
    return " and ".join(str(s) for s in shifts) if shifts else "none"


def exact_shifts(side, shifts=SHIFTS, strides=STRIDES):
    """The shifts followed exactly on every seed."""
    return [s for s in shifts if all(follows(side, s, seed, strides) for seed in SEEDS)]


def compute():
    table = [{"input side": side, "shifts followed exactly": listed(exact_shifts(side))} for side in SIDES]
    exercise = [listed(exact_shifts(side, EXERCISE["shifts"], EXERCISE["strides"])) for side in EXERCISE["sides"]]
    return {
        "exercise_jump": int(np.prod(EXERCISE["strides"])),
        "exercise_exact_30": exercise[0], "exercise_exact_32": exercise[1],
        "jump": int(np.prod(STRIDES)),
        "table": table,
        "side_multiple": SIDES[0],
        "side_other": SIDES[1],
        "exact_multiple": table[0]["shifts followed exactly"],
        "exact_other": table[1]["shifts followed exactly"],
        "shifts_tried": listed(SHIFTS).replace(" and ", ", ", len(SHIFTS) - 2),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
