"""Derivatives by central finite differences: the oracle of every backward pass.

The loss is this module's own cross-entropy, written from its definition (the mean over
examples of minus the log of the softmax probability of the true class, by a plain loop),
so a wrong loss in snippets/lib/nets.py cannot make its own gradients look right."""
import math

import numpy as np

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


def cross_entropy(logits, labels):
    """Mean of -log(softmax(logits)[true class]), one example at a time."""
    total = 0.0
    for row, label in zip(np.asarray(logits, dtype=float), labels):
        top = max(row)
        log_sum = top + math.log(sum(math.exp(v - top) for v in row))
        total += log_sum - row[label]
    return total / len(labels)


def cross_entropy_gradient(logits, labels):
    """d cross_entropy / d logits: (softmax - one-hot) / N, one example at a time."""
    grad = np.zeros_like(np.asarray(logits, dtype=float))
    for i, (row, label) in enumerate(zip(np.asarray(logits, dtype=float), labels)):
        exps = [math.exp(v - max(row)) for v in row]
        grad[i] = [e / sum(exps) for e in exps]
        grad[i, label] -= 1
    return grad / len(labels)


def loss_of(model, x, y):
    return cross_entropy(model.forward(x), y)


def max_relative_error(model, x, y, rng, samples=25, h=1e-5):
    """Compare backprop with central differences at random entries of every parameter."""
    model.backward(cross_entropy_gradient(model.forward(x), y))
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
