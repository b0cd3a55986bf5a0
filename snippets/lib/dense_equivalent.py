"""What a linear layer shares, found by brute force: its equivalent dense matrix, and the
free parameters read off that matrix.

A bias-free linear layer of any kind (dense, convolution, locally connected, transposed,
grouped, circular...) is one dense matrix; with weights drawn from a continuous
distribution, entries that hold the same value are one shared weight. These functions
count weights and biases that way, without the layer's formulas, which is what makes
them an independent check of the counts in `formulas`.
"""
import numpy as np


def equivalent_matrix(layer, in_shape):
    """Dense matrix M (out_size, in_size) of a bias-free linear layer, so that
    layer(x).ravel() == M @ x.ravel() for one example x of shape in_shape.

    `layer` maps a batch (N, *in_shape) to (N, ...); it is called once, on the identity
    basis plus a zero row that checks the layer really is linear at 0 (has no bias).
    """
    size = int(np.prod(in_shape))
    basis = np.eye(size + 1, size).reshape((size + 1,) + tuple(in_shape))
    out = np.asarray(layer(basis)).reshape(size + 1, -1)
    if np.any(out[-1]):
        raise ValueError("layer(0) is not 0: pass the layer without its bias "
                         "(count biases with distinct_biases)")
    return np.ascontiguousarray(out[:-1].T)


def distinct_weights(m):
    """Number of distinct nonzero entries of m.

    With weights drawn from a continuous distribution no two free weights are equal, so
    for one linear layer this counts the (tied) weights the layer actually uses. Entries
    of equivalent_matrix are the weights bit for bit (w * 1 plus exact zeros), so tied
    copies compare equal; an entry where taps overlap (circular padding of a tiny input)
    is their sum, and counts as a value of its own.
    """
    m = np.asarray(m)
    return int(np.unique(m[m != 0]).size)


def distinct_biases(layer, in_shape):
    """Number of distinct nonzero values of layer(0): the biases it uses (random biases)."""
    out = np.asarray(layer(np.zeros((1,) + tuple(in_shape))))
    return int(np.unique(out[out != 0]).size)


def parameter_index_matrix(m):
    """Which free parameter each entry of m is (by distinct value), -1 for a structural zero.

    Parameters are numbered in order of first appearance, reading m row by row.
    """
    m = np.asarray(m)
    index = np.full(m.shape, -1)
    nonzero = m != 0
    _, first, which = np.unique(m[nonzero], return_index=True, return_inverse=True)
    rank = np.empty_like(first)
    rank[np.argsort(first)] = np.arange(first.size)
    index[nonzero] = rank[which.ravel()]
    return index
