"""Receptive fields measured by brute force: back-propagation through an all-ones copy of a
network of layer specs, independent of the arithmetic in `receptive`.

Replace every window by an all-ones convolution of its geometry (same kernel, stride,
padding, dilation), push the gradient of two central output units back through
`layers.conv2d_backward`, and read where it is nonzero (`measured`); or count, pixel by
pixel, the paths that lead from the input to one unit (`path_counts`).

A spec's ``geometry`` gives the padding before (top, left); what comes after is taken
from the spec's output shape (`_window`).
"""
from __future__ import annotations

import numpy as np

from snippets.lib import layers
from snippets.lib.formulas import conv_output_size, pair
from snippets.lib.receptive import Field, features
from snippets.lib.specs import ResidualSpec, SequentialSpec


def measured(network, size: int) -> Field:
    """Field measured on a ``size × size`` input from the gradients of two output units.

    Units ``(i, i)`` and ``(i + 1, i + 1)`` at the centre of the last spatial map: the
    rows and columns where each gradient is nonzero are their fields, the distance
    between the two is the jump, and the start of unit ``i``'s field minus ``i·jump`` is
    where unit 0's starts. All weights are ones, so no two paths cancel. Raises
    ValueError when the input is too small for those fields to avoid every padding."""
    spatial = features(network)
    x = np.ones((2, 1, size, size))
    out = _push(spatial, x)
    index = tuple((n - 2) // 2 for n in out.shape[2:])
    grad = np.zeros_like(out)
    grad[0, 0, index[0], index[1]] = 1
    grad[1, 0, index[0] + 1, index[1] + 1] = 1
    g = _pull(spatial, x, grad, strict=True)
    spans = [[_support(g[n, 0].any(axis=1 - axis)) for n in (0, 1)] for axis in (0, 1)]
    jump = tuple(b[0] - a[0] for a, b in spans)
    return Field(
        size=tuple(a[1] - a[0] + 1 for a, _ in spans),
        jump=jump,
        start=tuple(a[0] - i * j for (a, _), i, j in zip(spans, index, jump)),
    )


def path_counts(network, size: int, index=None) -> np.ndarray:
    """Gradient of one output unit (default: the central one) with respect to a
    ``size × size`` input when every weight is one and every pooling averages, times
    the window sizes: how many paths lead from each input pixel to that unit."""
    spatial = features(network)
    x = np.ones((1, 1, size, size))
    out = _push(spatial, x)
    grad = np.zeros_like(out)
    index = index or tuple((n - 1) // 2 for n in out.shape[2:])
    grad[0, 0, index[0], index[1]] = 1
    return _pull(spatial, x, grad)[0, 0]


def _support(mask) -> tuple[int, int]:
    rows = np.flatnonzero(mask)
    return int(rows[0]), int(rows[-1])


def _push(network, x):
    """Forward through the all-ones version of `network` (one channel)."""
    for layer in network:
        x = _push_one(layer, x)
    return x


def _push_one(layer, x):
    if isinstance(layer, SequentialSpec):
        return _push(layer.layers, x)
    if isinstance(layer, ResidualSpec):
        return _push(layer.main, x) + _push(layer.shortcut, x)
    window = _window(layer, x.shape)
    if window is None:
        return x
    kernel, stride, dilation, before, after = window
    return layers.conv2d(_frame(x, before, after), np.ones((1, 1, *kernel)), stride=stride, dilation=dilation)


def _pull(network, x, grad, strict=False):
    """Gradient with respect to `x` of ``sum(grad · network(x))``, layer by layer backwards.

    `strict` refuses gradients that reach any layer's padding: a unit that reads padding
    inside the network has a field clipped by that map's border, not the whole field."""
    inputs = []
    for layer in network:
        inputs.append(x)
        x = _push_one(layer, x)
    for layer, x_in in zip(reversed(network), reversed(inputs)):
        grad = _pull_one(layer, x_in, grad, strict)
    return grad


def _pull_one(layer, x, grad, strict):
    if isinstance(layer, SequentialSpec):
        return _pull(layer.layers, x, grad, strict)
    if isinstance(layer, ResidualSpec):
        return _pull(layer.main, x, grad, strict) + _pull(layer.shortcut, x, grad, strict)
    window = _window(layer, x.shape)
    if window is None:
        return grad
    kernel, stride, dilation, before, after = window
    framed = _frame(x, before, after)
    grad_framed = layers.conv2d_backward(framed, np.ones((1, 1, *kernel)), grad, stride=stride,
                                         dilation=dilation)[0]
    # Adjoint of _frame: drop the added pixels, give the cropped ones a zero gradient.
    grad_x = np.zeros_like(x)
    rows, cols = (min(n, f - b) for n, f, b in zip(x.shape[2:], framed.shape[2:], before))
    kept = grad_framed[:, :, before[0]:before[0] + rows, before[1]:before[1] + cols]
    grad_x[:, :, :rows, :cols] = kept
    if strict and np.count_nonzero(grad_framed) != np.count_nonzero(kept):  # all ones: nothing cancels
        raise ValueError("the central units read a feature map's padding: use a larger input")
    return grad_x


def _window(layer, x_shape):
    """(kernel, stride, dilation, before, after) of a window layer; None for an identity.

    ``before`` is the spec's padding. ``after`` is the same for the symmetric specs of
    `specs`, minus the trailing pixels that no window reaches (the floor in the output
    size skips them; a negative count crops them); a spec that pads asymmetrically, such
    as `specs.ZeroPadSpec`, states its own ``after``."""
    shape = (1, *x_shape[2:])
    kernel, stride, padding, dilation = layer.geometry(shape)
    if hasattr(layer, "after"):
        return kernel, stride, dilation, padding, pair(layer.after)
    if kernel == (1, 1) and stride == (1, 1) and padding == (0, 0):
        return None
    out = [conv_output_size(*axis) for axis in zip(shape[1:], kernel, stride, padding, dilation)]
    after = tuple((o - 1) * s + d * (k - 1) + 1 - n - p
                  for o, s, d, k, n, p in zip(out, stride, dilation, kernel, shape[1:], padding))
    return kernel, stride, dilation, padding, after


def _frame(x, before, after):
    """Zeros added before and after the rows and columns; a negative `after` crops."""
    kept = x[:, :, :x.shape[2] + min(after[0], 0), :x.shape[3] + min(after[1], 0)]
    widths = ((0, 0), (0, 0), (before[0], max(after[0], 0)), (before[1], max(after[1], 0)))
    return np.pad(kept, widths)
