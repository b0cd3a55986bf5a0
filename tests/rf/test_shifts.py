"""Shifts a strided stack follows, against a loop oracle with circular indexing (no
np.roll of the output, no layers.conv2d) and the page's conditions: the shift a multiple
of the jump, and the input side a multiple of the jump too."""
import numpy as np
import pytest

from snippets.rf.shifts import EXERCISE, SHIFTS, SIDES, STRIDES


def conv_circular(x, w, stride):
    """3×3 cross-correlation, centred windows, indices wrapped modulo the side."""
    n = x.shape[0]
    side = (n + 2 - 3) // stride + 1  # padding 1 on each side
    out = np.zeros((side, side))
    for i in range(side):
        for j in range(side):
            for a in range(3):
                for b in range(3):
                    out[i, j] += w[a, b] * x[(i * stride - 1 + a) % n, (j * stride - 1 + b) % n]
    return out


def follows_somehow(side, shift, seed, strides=STRIDES):
    """Does some whole-row move of the old output equal the new output?"""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(3, 3)) for _ in strides]
    x = rng.normal(size=(side, side))
    moved = x[(np.arange(side) - shift) % side]  # row r of the moved input is row r − shift
    before, after = x, moved
    for w, s in zip(weights, strides):
        before, after = conv_circular(before, w, s), conv_circular(after, w, s)
    rows = before.shape[0]
    return any(np.allclose(after, before[(np.arange(rows) - u) % rows], atol=1e-12) for u in range(rows))


@pytest.mark.covers("rf_shifts", "jump", "table", "side_multiple", "side_other", "exact_multiple", "exact_other",
                    "shifts_tried")
def test_exact_shifts_are_the_multiples_of_the_jump_on_a_side_it_divides(values):
    jump = int(np.prod(STRIDES))
    assert values["jump"] == jump == 2
    assert (values["side_multiple"], values["side_other"]) == SIDES
    assert values["side_multiple"] % jump == 0 and values["side_other"] % jump != 0  # the page's two conditions
    seeds = range(3)  # other seeds than the snippet's
    for row, side in zip(values["table"], SIDES):
        exact = [s for s in SHIFTS if all(follows_somehow(side, s, 100 + seed) for seed in seeds)]
        assert row["input side"] == side
        assert row["shifts followed exactly"] == (" and ".join(map(str, exact)) or "none")
        expected = [s for s in SHIFTS if s % jump == 0] if side % jump == 0 else []
        assert exact == expected
    assert values["exact_multiple"] == "2 and 4" and values["exact_other"] == "none"
    assert values["shifts_tried"] == "1, 2, 3 and 4"


@pytest.mark.covers("rf_shifts", "exercise_jump", "exercise_exact_30", "exercise_exact_32")
def test_exercise_jump_four(values):
    strides = EXERCISE["strides"]
    assert values["exercise_jump"] == int(np.prod(strides)) == 4
    for side in EXERCISE["sides"]:
        exact = [s for s in EXERCISE["shifts"] if all(follows_somehow(side, s, 200 + seed, strides) for seed in range(2))]
        assert values[f"exercise_exact_{side}"] == (" and ".join(map(str, exact)) or "none")
    assert values["exercise_exact_30"] == "none" and values["exercise_exact_32"] == "4 and 8"
