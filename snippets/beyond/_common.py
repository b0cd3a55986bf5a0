"""Self-attention in numpy, shared by the attention snippet's forms."""
import numpy as np


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention(x, wq, wk, wv, wo):
    """One head of self-attention (Vaswani et al. 2017) on tokens x (one row each): every
    token's query is compared with every token's key, and the softmax weights mix the
    values. The same four matrices act on every token."""
    q, k, v = x @ wq, x @ wk, x @ wv
    return softmax(q @ k.T / np.sqrt(q.shape[1])) @ v @ wo
