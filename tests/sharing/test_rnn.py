"""Tied and untied recurrent steps, checked on real weight arrays and a real unrolled network.

Oracles: parameter counts are the sizes of the arrays a step needs (W_x, W_h, b); the
number of gradient terms of a tied weight is counted by central differences on the
untied network (each step's copy of the weight gets a gradient of its own), and their sum
is compared with the central difference of the tied weight. tanh makes the loss
nonlinear: with h = 1e-5 the truncation error is about h² = 1e-10 and rounding about
1e-16 / 1e-5 = 1e-11, so 1e-7 is the tolerance.
"""
import numpy as np
import pytest

from snippets.sharing.rnn import HIDDEN, INPUTS, STEPS

H = 1e-5


def step_arrays(rng):
    return {"W_x": rng.normal(0, 0.1, (HIDDEN, INPUTS)), "W_h": rng.normal(0, 0.1, (HIDDEN, HIDDEN)),
            "b": rng.normal(0, 0.1, HIDDEN)}


def unrolled_loss(steps, xs):
    """Run h_t = tanh(W_x x_t + W_h h_(t-1) + b) with step t's own arrays; loss: sum of h_T."""
    h = np.zeros(HIDDEN)
    for params, x in zip(steps, xs):
        h = np.tanh(params["W_x"] @ x + params["W_h"] @ h + params["b"])
    return h.sum()


@pytest.mark.covers("sharing_rnn", "inputs", "hidden", "steps", "tied", "untied", "unused_first_recurrent")
def test_counts_are_the_sizes_of_the_weight_arrays(values):
    rng = np.random.default_rng(0)
    tied = step_arrays(rng)
    untied = [step_arrays(rng) for _ in range(STEPS)]
    assert (values["inputs"], values["hidden"], values["steps"]) == (INPUTS, HIDDEN, STEPS)
    assert values["tied"] == sum(a.size for a in tied.values())
    # The first step's W_h multiplies h_0 = 0: changing it changes nothing, so it is not a
    # parameter of the untied network.
    xs = rng.normal(size=(STEPS, INPUTS))
    changed = [dict(step) for step in untied]
    changed[0]["W_h"] = rng.normal(size=(HIDDEN, HIDDEN))
    assert unrolled_loss(changed, xs) == unrolled_loss(untied, xs)
    assert values["unused_first_recurrent"] == untied[0]["W_h"].size
    assert values["untied"] == sum(a.size for step in untied for a in step.values()) - untied[0]["W_h"].size


@pytest.mark.covers("sharing_rnn", "terms_per_tied_weight")
def test_a_tied_weight_collects_one_gradient_term_per_step(values):
    rng = np.random.default_rng(1)
    tied = step_arrays(rng)
    xs = rng.normal(size=(STEPS, INPUTS))
    entry = (3, 5)  # one entry of W_x

    def difference(steps, copies):
        """Central difference of the loss when the entry is moved in the given step copies."""
        out = []
        for sign in (1, -1):
            moved = [dict(s, W_x=s["W_x"].copy()) for s in steps]
            for t in copies:
                moved[t]["W_x"][entry] += sign * H
            out.append(unrolled_loss(moved, xs))
        return (out[0] - out[1]) / (2 * H)

    untied = [dict(tied) for _ in range(STEPS)]  # every step a copy of the same weights
    per_step = np.array([difference(untied, [t]) for t in range(STEPS)])
    assert values["terms_per_tied_weight"] == np.count_nonzero(np.abs(per_step) > 1e-9)
    # Moving the tied weight moves every copy at once: its gradient is the sum.
    assert difference(untied, range(STEPS)) == pytest.approx(per_step.sum(), abs=1e-7)
