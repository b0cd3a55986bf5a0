"""Effective receptive fields (Luo et al., 2016): the gradient of a centre unit with
respect to the input through deep stacks of k×k convolutions with random weights, how
widely it spreads, and how that width grows with depth.
"""
import math

import numpy as np

from snippets.lib import layers


def stack_gradients(weights, x, depths, relu=False):
    """Gradient maps of the centre unit of a stack of k×k 'same' convolutions.

    ``weights`` is ``(L, S, k, k)``: S independent single-channel stacks run side by side
    as the groups of one grouped convolution. Returns ``{depth: (S, H, W)}``, the gradient
    of the centre output of layer ``depth`` (before its activation) with respect to the
    input ``x`` ``(S, H, W)``; with ``relu``, a ReLU follows every layer but the last."""
    count, seeds, k, _ = weights.shape
    w = weights[:, :, None]  # (L, S, 1, k, k): one filter per group
    h = x[None]
    pre = []  # pre-activations, whose signs gate the gradient
    for layer in range(max(depths)):
        a = layers.relu(h) if relu and layer else h
        pre.append(h)
        h = layers.conv2d(a, w[layer], padding=k // 2, groups=seeds)
    pre.append(h)
    centre = tuple(n // 2 for n in x.shape[1:])
    maps = {}
    for depth in depths:
        grad = np.zeros_like(pre[depth])
        grad[0, :, centre[0], centre[1]] = 1
        for layer in range(depth, 0, -1):
            inputs = layers.relu(pre[layer - 1]) if relu and layer > 1 else pre[layer - 1]
            grad = layers.conv2d_backward(inputs, w[layer - 1], grad, padding=k // 2, groups=seeds)[0]
            if relu and layer > 1:
                grad = layers.relu_backward(pre[layer - 1], grad)
        maps[depth] = grad[0]
    return maps


def spread(weight_map) -> float:
    """Standard deviation, in pixels along the rows, of a nonnegative map read as a
    distribution (the columns give the same for the square maps here)."""
    marginal = weight_map.sum(axis=1) / weight_map.sum()
    rows = np.arange(marginal.size)
    mean = rows @ marginal
    return math.sqrt(((rows - mean) ** 2) @ marginal)


def growth_exponent(depths, sizes) -> float:
    """Slope of log(size) against log(depth): size ∝ depth^slope."""
    return float(np.polyfit(np.log(depths), np.log(sizes), 1)[0])
