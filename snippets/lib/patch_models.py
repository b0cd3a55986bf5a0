"""The three models of the learning curves (snippets/learning), every seed trained at once.

Each model is one first layer, a ReLU, a max over positions and a dense classifier, and
its first layer is a matrix product of patches: every model multiplies each patch of the
image (a window of KERNEL×KERNEL pixels at each of the P places it fits; for the dense
model the whole image, at its one place) by a weight matrix. They differ only in how many
matrices there are:

- locally connected: one matrix per place (P of them);
- convolutional: one matrix for every place, the same weights at each, which is weight
  sharing;
- dense: one place, so one matrix.

Written that way, S seeds of a model are one batched matrix product with a seed axis, and
training them together costs one pass of Python per minibatch instead of S. The patches
of the training pool are cut once. Each seed keeps exactly what it would have alone: its
training set, its initial weights (drawn by `_common.build`, the nets model, from the
seed's own generator), its minibatch order (drawn as `nets.train` draws it) and its Adam
state (Adam is elementwise). `tests/lib/test_patch_models.py` checks that the weights and
accuracies equal those of `nets.train`, seed by seed, to float rounding.

Why it stays beside `side_by_side`, which trains these nets models too: it is faster on
the windowed models. `python benchmarks/patch_models_vs_side_by_side.py N` (10 seeds, one
BLAS thread, float64, best of 2; load 0.9-1.7 on 2 cores), side_by_side's time over this
module's: at 50 examples, dense 1.11, locally connected 1.90, convolutional 3.48; at 100
examples, 0.97, 1.39, 2.53. Both gave the same test accuracy for every seed there.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from snippets.lib import nets

DTYPE = np.float64  # as nets, so that a seed trained here equals one trained alone, to rounding


def patches(x, window):
    """(N, P, D + 1) patches of single-channel images x (N, 1, H, W): every window×window
    window at stride 1, in row-major order of its place, flattened, and a 1 at the end,
    the input that the bias multiplies (so one product gives weights and bias)."""
    if window == x.shape[-1]:  # the dense model: the whole image, at its one place
        flat = x.reshape(len(x), 1, -1)
    else:
        views = sliding_window_view(x[:, 0], (window, window), axis=(1, 2))  # (N, H', W', k, k)
        flat = views.reshape(len(x), views.shape[1] * views.shape[2], -1)
    return np.concatenate([flat, np.ones(flat.shape[:2] + (1,))], axis=2).astype(DTYPE)


def stacked_weights(models):
    """From S nets models of one kind: the first layer's matrices (S, 1 or P, D + 1, C),
    one for every place or one per place, each with its bias as the last row; the
    classifier's weights (S, K, C) and biases (S, K)."""
    first, classifier = zip(*([layer for layer in m.layers if layer.params] for m in models))
    w, b = (np.stack(arrays) for arrays in zip(*(layer.params for layer in first)))
    if w.ndim == 3:  # dense (S, C, D): one place
        w, b = w.transpose(0, 2, 1)[:, None], b[:, None, None]
    elif w.ndim == 5:  # convolution (S, C, 1, k, k): one matrix for every place
        w, b = w.reshape(len(w), len(w[0]), -1).transpose(0, 2, 1)[:, None], b[:, None, None]
    else:  # locally connected (S, H', W', C, 1, k, k) and biases (S, C, H', W'): one per place
        s, h, wd, c = w.shape[:4]
        w = w.reshape(s, h * wd, c, -1).transpose(0, 1, 3, 2)
        b = b.reshape(s, c, h * wd).transpose(0, 2, 1)[:, :, None]
    v, c = (np.stack(arrays) for arrays in zip(*(layer.params for layer in classifier)))
    return [np.ascontiguousarray(p, dtype=DTYPE) for p in (np.concatenate([w, b], axis=2), v, c)]


def first_layer(x, w):
    """Pre-activations (S, C, N, P) of patches x, each seed's own (S, N, P, D + 1) or
    shared (N, P, D + 1), places last so that the max over them reads contiguous memory."""
    *seeds, n, p, d = x.shape
    if w.shape[1] == 1:  # the same matrix at every place: the layer is one large product
        rows = x.reshape(*seeds, n * p, d)
        return (w[:, 0].transpose(0, 2, 1) @ rows.swapaxes(-1, -2)).reshape(len(w), -1, n, p)
    return (x.swapaxes(-3, -2) @ w).transpose(0, 3, 2, 1)  # place by place


def forward(params, x):
    """Logits (S, N, K), and what the backward pass needs: each channel's maximum over
    places after the ReLU (S, N, C), and the place it came from (S, C, N)."""
    w, v, c = params
    h = first_layer(x, w)
    where = h.argmax(axis=3)  # the first maximum, as nets.MaxPool's gradient takes it
    top = np.take_along_axis(h, where[..., None], axis=3)[..., 0]  # the max commutes with the ReLU
    features = np.maximum(top, 0).transpose(0, 2, 1)
    return features @ v.transpose(0, 2, 1) + c[:, None], (features, where)


def gradients(params, x, labels, logits, cache):
    """Gradients of each seed's mean cross-entropy over its batch, in the order of params."""
    w, v, _ = params
    features, where = cache
    s, n, _ = logits.shape
    grad = np.exp(logits - logits.max(axis=2, keepdims=True))
    grad /= grad.sum(axis=2, keepdims=True)
    grad[np.arange(s)[:, None], np.arange(n), labels] -= 1
    grad /= n
    grad_v, grad_c = grad.transpose(0, 2, 1) @ features, grad.sum(axis=1)
    # Only each channel's maximum, if positive, passes the gradient back, from its place.
    grad_top = ((grad @ v) * (features > 0)).transpose(0, 2, 1)  # (S, C, N)
    if x.shape[2] == 1:  # one place (the dense model): its patch is the whole image
        grad_w = (x[:, :, 0].transpose(0, 2, 1) @ grad_top.transpose(0, 2, 1))[:, None]
    elif w.shape[1] == 1:  # one matrix: the patch each maximum came from, wherever it was
        came_from = x[np.arange(s)[:, None, None], np.arange(n), where]  # (S, C, N, D + 1)
        grad_w = (grad_top[:, :, None] @ came_from)[:, :, 0].transpose(0, 2, 1)[:, None]
    else:  # one matrix per place: each place gets the patches whose maximum it gave
        at_place = (where[..., None] == np.arange(x.shape[2])) * grad_top[..., None]  # (S, C, N, P)
        grad_w = x.transpose(0, 2, 3, 1) @ at_place.transpose(0, 3, 2, 1)
    return [grad_w, grad_v, grad_c]


def train(models, x, labels, chosen, rngs, epochs, batch_size, lr):
    """Train S nets models of one kind as `nets.train` would, each on its own examples.

    x: (N, P, D + 1) patches of the pool; chosen (S, n): each seed's training examples;
    rngs[s] draws seed s's minibatch order. Returns the trained stacked params."""
    params = stacked_weights(models)
    s, n = chosen.shape
    mine, ys = x[chosen], labels[chosen]  # (S, n, P, D), (S, n): each seed's own examples
    optimizer = nets.Adam(params, lr=lr)
    seeds = np.arange(s)[:, None]
    for _ in range(epochs):
        orders = np.stack([rng.permutation(n) for rng in rngs])
        for start in range(0, n, batch_size):
            batch = seeds, orders[:, start:start + batch_size]  # (S, b)
            xb = mine[batch]
            logits, cache = forward(params, xb)
            optimizer.step(gradients(params, xb, ys[batch], logits, cache))
    return params


def accuracy(params, x, labels):
    """(S,) accuracy of every seed: on shared patches x (N, P, D) with labels (N,), or on
    each seed's own patches (S, N, P, D) with labels (S, N)."""
    logits, _ = forward(params, x)
    return (logits.argmax(axis=2) == labels).mean(axis=1)
