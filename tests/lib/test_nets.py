"""Backpropagation through the small networks, against finite differences and a real task."""
import numpy as np
import pytest

from oracles.differences import max_relative_error
from snippets.lib import layers, nets


def models(rng):
    c, hw = 2, (8, 8)
    return {
        "dense": nets.Sequential(nets.Flatten(), nets.Dense(c * 64, 5, rng), nets.ReLU(), nets.Dense(5, 3, rng)),
        "conv+max": nets.Sequential(nets.Conv(c, 4, 3, rng, padding=1), nets.ReLU(), nets.MaxPool(2),
                                    nets.Flatten(), nets.Dense(4 * 16, 3, rng)),
        "locally connected+avg": nets.Sequential(nets.LocallyConnected(c, 3, 3, hw, rng), nets.ReLU(), nets.AvgPool(2),
                                                 nets.Flatten(), nets.Dense(3 * 9, 3, rng)),
        "conv+blur+gap": nets.Sequential(nets.Conv(c, 4, 3, rng, stride=1, padding=1, padding_mode="circular"),
                                         nets.ReLU(), nets.BlurPool(4), nets.GlobalAvgPool(), nets.Dense(4, 3, rng)),
    }


@pytest.mark.parametrize("name", ["dense", "conv+max", "locally connected+avg", "conv+blur+gap"])
def test_backprop_matches_finite_differences(name):
    rng = np.random.default_rng(3)
    model = models(rng)[name]
    x, y = rng.normal(size=(4, 2, 8, 8)), rng.integers(0, 3, size=4)
    # Central differences have O(h^2) truncation and O(eps/h) rounding error: with h = 1e-5
    # on float64 the relative error of a correct gradient is about 1e-7; kinks of ReLU and
    # max can cost a few samples, hence 1e-5 rather than 1e-7.
    assert max_relative_error(model, x, y, rng) < 1e-5


def test_softmax_cross_entropy_against_the_definition():
    logits, labels = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]), np.array([0, 2])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss, grad = nets.softmax_cross_entropy(logits, labels)
    assert loss == pytest.approx(-(np.log(p[0, 0]) + np.log(p[1, 2])) / 2)
    assert np.allclose(grad, (p - np.eye(3)[labels]) / 2)


def test_a_convolution_learns_where_a_bright_bar_is_vertical_or_horizontal():
    """A task a broken network cannot learn: chance is 50%, a working one nears 100%."""
    rng = np.random.default_rng(0)
    n = 400
    x = rng.normal(0, 0.3, size=(n, 1, 8, 8))
    y = rng.integers(0, 2, size=n)
    rows, cols = rng.integers(1, 7, size=n), rng.integers(1, 7, size=n)
    for i in range(n):
        if y[i]:
            x[i, 0, rows[i], 1:7] += 1.0
        else:
            x[i, 0, 1:7, cols[i]] += 1.0
    model = nets.Sequential(nets.Conv(1, 4, 3, rng, padding=1), nets.ReLU(), nets.GlobalAvgPool(), nets.Dense(4, 2, rng))
    history = nets.train(model, x[:300], y[:300], rng, epochs=30, batch_size=32, lr=1e-2)
    assert history[-1] < history[0] / 2
    assert nets.accuracy(model, x[300:], y[300:]) > 0.9


def test_blur_pool_has_no_parameters_and_preserves_a_constant():
    pool = nets.BlurPool(3)
    x = np.full((2, 3, 8, 8), 5.0)
    assert pool.params == () and np.allclose(pool.forward(x), 5.0) and pool.forward(x).shape == (2, 3, 4, 4)


def test_window_max_then_subsample_is_max_pooling():
    x = np.random.default_rng(0).normal(size=(2, 3, 8, 8))
    pooled = nets.Subsample().forward(nets.WindowMax().forward(x))
    np.testing.assert_array_equal(pooled, layers.max_pool2d(x, 2))


def test_window_max_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    x, grad = rng.normal(size=(1, 2, 4, 4)), rng.normal(size=(1, 2, 4, 4))
    layer = nets.WindowMax()
    layer.forward(x)
    analytic = layer.backward(grad)
    step = 1e-6  # central differences: error O(step²) on a piecewise linear function
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        bump = np.zeros_like(x)
        bump[i] = step
        numeric[i] = ((nets.WindowMax().forward(x + bump) - nets.WindowMax().forward(x - bump)) * grad).sum() / (2 * step)
    np.testing.assert_allclose(analytic, numeric, atol=1e-8)
