"""Shared and untied gradients, checked against central differences and the chain rule
written out position by position.

Oracles: the shared weight's gradient by central differences of the loss
L(w) = sum(grad_out * conv2d(x, w)), which is linear in w, so the difference has no
truncation error, only rounding (about 1e-16 * |L| / h = 1e-16 * 1e2 / 1e-3 = 1e-11:
tolerance 1e-7); the untied gradient at each position from its definition,
dL/dW[i, j, o, c, m, n] = sum_b grad_out[b, o, i, j] * x[b, c, i + m, j + n], in loops.
The snippet's differences are float64 sums of 144 terms of size about 10: rounding is
about 1e-14, so they must be below 1e-12.
"""
from functools import cache

import numpy as np
import pytest

from snippets.sharing import gradients as sharing_gradients
from snippets.lib import layers
from oracles.differences import central_difference  # step 1e-3
from oracles.loops import conv2d_loop


@cache
def private():
    return sharing_gradients.compute()


@cache
def shared_gradient_by_differences():
    x, w, grad_out = private()["_data"]
    w = w.copy()  # perturbed in place
    return central_difference(lambda: float(np.sum(grad_out * conv2d_loop(x, w))), w)


def untied_gradient_by_definition():
    x, w, grad_out = private()["_data"]
    rows, cols = grad_out.shape[2:]
    k = w.shape[2]
    grad = np.zeros((rows, cols) + w.shape)
    for i, j in np.ndindex(rows, cols):
        for m, n in np.ndindex(k, k):
            # (batch, out) x (batch, in) -> (out, in): summed over the batch only
            grad[i, j, :, :, m, n] = grad_out[:, :, i, j].T @ x[:, :, i + m, j + n]
    return grad


@pytest.mark.covers("sharing_gradients", "weight_gradient_difference", "bias_gradient_difference",
                    "forward_difference", "largest_gradient")
def test_shared_gradient_is_the_sum_of_the_untied_ones(values):
    fd, untied = shared_gradient_by_differences(), untied_gradient_by_definition()
    np.testing.assert_allclose(untied.sum(axis=(0, 1)), fd, atol=1e-7)  # the identity itself
    tap = (slice(None), slice(None)) + sharing_gradients.TAP
    np.testing.assert_allclose(private()["_tap_untied"], untied[tap], rtol=1e-12, atol=1e-12)
    assert private()["_tap_shared"] == pytest.approx(fd[sharing_gradients.TAP], abs=1e-7)
    assert values["largest_gradient"] == pytest.approx(np.abs(fd).max(), abs=1e-7)
    assert values["largest_gradient"] > 1  # the differences below are small against this
    for key in ("weight_gradient_difference", "bias_gradient_difference", "forward_difference"):
        assert 0 <= values[key] < 1e-12


@pytest.mark.covers("sharing_gradients", "input_shape", "positions", "terms_per_shared_weight",
                    "terms_per_untied_weight", "shared_weights", "untied_weights")
def test_counts_of_terms_and_weights(values):
    x, w, grad_out = private()["_data"]
    assert tuple(values["input_shape"]) == x.shape
    windows = [(i, j) for i in range(x.shape[2]) for j in range(x.shape[3])
               if i + w.shape[2] <= x.shape[2] and j + w.shape[3] <= x.shape[3]]
    assert values["positions"] == len(windows)
    # Terms in the sum for one shared weight: one per (image, position) that used it;
    # for an untied weight, one per image (its own position only).
    assert values["terms_per_shared_weight"] == len(x) * len(windows)
    assert values["terms_per_untied_weight"] == len(x)
    untied = np.zeros(grad_out.shape[2:] + w.shape)
    assert layers.locally_connected2d(x, untied).shape == grad_out.shape  # a real untied layer
    assert values["shared_weights"] == w.size and values["untied_weights"] == untied.size
