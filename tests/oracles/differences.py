"""Derivatives by central finite differences: the oracle of every backward pass."""
import numpy as np

from snippets.lib import nets

FD_STEP = 1e-3


def central_difference(loss, a, h=FD_STEP):
    """d loss / d a, one entry at a time; `loss` reads `a`, which is perturbed in place."""
    grad = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        kept = a[idx]
        a[idx] = kept + h
        up = loss()
        a[idx] = kept - h
        down = loss()
        a[idx] = kept
        grad[idx] = (up - down) / (2 * h)
    return grad


def loss_of(model, x, y):
    return nets.softmax_cross_entropy(model.forward(x), y)[0]


def max_relative_error(model, x, y, rng, samples=25, h=1e-5):
    """Compare backprop with central differences at random entries of every parameter."""
    loss, grad = nets.softmax_cross_entropy(model.forward(x), y)
    model.backward(grad)
    worst = 0.0
    for p, g in zip(model.params, model.grads):
        for index in map(tuple, rng.integers(0, p.shape, size=(samples, p.ndim))):
            saved = p[index]
            p[index] = saved + h
            up = loss_of(model, x, y)
            p[index] = saved - h
            down = loss_of(model, x, y)
            p[index] = saved
            numeric = (up - down) / (2 * h)
            worst = max(worst, abs(numeric - g[index]) / max(abs(numeric) + abs(g[index]), 1e-8))
    return worst
