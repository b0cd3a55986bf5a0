"""Many seeds of one network trained side by side: a seed axis in every weight array.

An experimental claim is measured over seeds. `stack(models)` takes the per-seed networks
(built by the same code from each seed's generator, so each copy starts exactly where it
would alone) and returns one network whose weights carry a seed axis, so that one batched
pass trains them all:

- a convolution becomes a grouped convolution with one group per seed (the activations
  of seed s are channels s·C ... (s+1)·C - 1 of one batch), computed as one GEMM per seed
  over the whole batch (layers.grouped_conv2d);
- a locally connected or dense layer multiplies each seed's block of the activations by
  that seed's weights (a batched matrix product);
- layers that act channel by channel need no seed axis (nets' own WindowMax and
  GlobalAvgPool keep the memory order below). Two have versions of their own here,
  because on a batch ten times larger their arithmetic, not Python, is the cost of a
  step: WindowMax followed by Subsample (one 2×2 max pooling, a quarter of the work) and
  BlurPool (two one-dimensional passes of its separable kernel).

The activations are batch-last in memory (NCHW arrays whose memory is in CHWN order,
windows.batch_last), so every window, shift and slice moves long runs of values. The
arithmetic is float64 by default; `stack(models, np.float32)` halves the memory each step
moves.

Each seed keeps its own data order (its own generator draws its permutations, as
`nets.train` draws them) and its own optimiser state: Adam is elementwise, so one Adam
over the stacked weights is ten independent ones. In float64, `train` here matches
`nets.train` run seed by seed, to float rounding (tests/lib/test_side_by_side.py,
tests/equiv/test_consistency.py); benchmarks/seeded_training.py measures how much faster
it is.
"""
import copy

import numpy as np

from snippets.lib import layers, nets, windows
from snippets.lib.nets import axis_index, neighbour_pairs  # indexing along one axis, wrapping around


class SeedConv(nets.Layer):
    """Convolutions of S seeds as one grouped convolution (layers.grouped_conv2d: one GEMM
    per seed covers the whole batch), its window columns kept for the backward pass."""

    def __init__(self, convs):
        self.params = [np.concatenate([c.params[0] for c in convs]), np.concatenate([c.params[1] for c in convs])]
        self.options = dict(convs[0].options, groups=len(convs))
        super().__init__()

    def forward(self, x):
        self.x_shape = x.shape
        out, self.cols = layers.grouped_conv2d(x, *self.params, **self.options)
        return out

    def backward(self, grad, input_grad=True):
        options = {k: v for k, v in self.options.items() if k != "groups"}
        grad_x, *self.grads = layers.grouped_conv2d_backward(self.cols, self.x_shape, self.params[0], grad,
                                                             input_grad=input_grad, **options)
        return grad_x

    def backward_params(self, grad):
        self.backward(grad, input_grad=False)


class SeedLocallyConnected(nets.Layer):
    """Locally connected layers of S seeds: weights (S, H_out, W_out, C_out, C_in, k, k)."""

    def __init__(self, locals_):
        self.params = [np.stack([m.params[0] for m in locals_]), np.stack([m.params[1] for m in locals_])]
        self.options = locals_[0].options
        super().__init__()

    def _windows(self, x):
        s, _, _, _, c_in, k, _ = self.params[0].shape
        stride, padding = windows.as_pair(self.options["stride"]), windows.as_pair(self.options["padding"])
        win = windows.sliding_windows(windows.pad_hw(x, padding, "zeros"), (k, k), stride, (1, 1))
        n, _, ho, wo = win.shape[:4]
        return win.reshape(n, s, c_in, ho, wo, k, k)

    def forward(self, x):
        self.x = x
        w, b = self.params
        out = np.einsum("nschwij,shwocij->nsohw", self._windows(x), w, optimize=True) + b
        return out.reshape(len(x), -1, *out.shape[3:])

    def backward(self, grad, input_grad=True):
        w = self.params[0]
        s, ho, wo, c_out = w.shape[:4]
        g = grad.reshape(len(grad), s, c_out, ho, wo)
        self.grads = [np.einsum("nsohw,nschwij->shwocij", g, self._windows(self.x), optimize=True), g.sum(axis=0)]
        if not input_grad:
            return None
        grad_win = np.einsum("nsohw,shwocij->nschwij", g, w, optimize=True)
        grad_win = grad_win.reshape(len(g), -1, *grad_win.shape[3:])
        return windows.col2im(grad_win, self.x.shape, windows.as_pair(self.options["stride"]),
                             windows.as_pair(self.options["padding"]))

    def backward_params(self, grad):
        self.backward(grad, input_grad=False)


class SeedDense(nets.Layer):
    """Dense layers of S seeds: weights (S, D_out, D_in), one batched matrix product."""

    def __init__(self, denses):
        self.params = [np.stack([d.params[0] for d in denses]), np.stack([d.params[1] for d in denses])]
        super().__init__()

    def forward(self, x):
        w, b = self.params
        self.x = x.reshape(len(x), len(w), -1).transpose(1, 0, 2)  # (S, N, D_in)
        out = self.x @ w.transpose(0, 2, 1) + b[:, None, :]  # (S, N, D_out)
        return out.transpose(1, 0, 2).reshape(len(x), -1)

    def backward(self, grad):
        w = self.params[0]
        g = grad.reshape(len(grad), len(w), -1).transpose(1, 0, 2)  # (S, N, D_out)
        self.grads = [g.transpose(0, 2, 1) @ self.x, g.sum(axis=1)]
        return (g @ w).transpose(1, 0, 2).reshape(len(grad), -1)


class SeedMaxPool(nets.Layer):
    """WindowMax then Subsample as one 2×2 max pooling: at the positions that Subsample
    keeps the windows do not wrap (even sizes), so only a quarter of the maxima are
    computed. Ties go where nets.WindowMax sends them: to the top pair of the window,
    then to the left entry of the pair."""

    def forward(self, x):
        if x.shape[2] % 2 or x.shape[3] % 2:
            raise ValueError(f"2×2 pooling of {x.shape[2:]} maps: use even sizes")
        self.x = x
        a, b, c, d = (x[:, :, i::2, j::2] for i in (0, 1) for j in (0, 1))
        self.left = a >= b, c >= d  # in the top pair of the window, in the bottom pair
        top, bottom = np.maximum(a, b), np.maximum(c, d)
        self.top = top >= bottom
        return np.maximum(top, bottom)

    def backward(self, grad):
        out = np.empty_like(self.x)  # in the input's memory order
        for i, half, left in ((0, grad * self.top, self.left[0]), (1, grad * ~self.top, self.left[1])):
            np.multiply(half, left, out=out[:, :, i::2, 0::2])
            np.multiply(half, ~left, out=out[:, :, i::2, 1::2])
        return out


def _blur_half(x, axis):
    """[1, 2, 1] / 4 along `axis`, wrapping around, kept at every second position: out[i] =
    (x[2i - 1] + 2 x[2i] + x[2i + 1]) / 4."""
    odd = x[axis_index(axis, slice(1, None, 2))]
    out = x[axis_index(axis, slice(0, None, 2))] * 2
    out += odd
    out[axis_index(axis, slice(1, None))] += odd[axis_index(axis, slice(None, -1))]
    out[axis_index(axis, 0)] += odd[axis_index(axis, -1)]  # wrapping around
    out /= 4
    return out


def _blur_half_backward(grad, axis, like):
    """Adjoint of _blur_half: x[2i] gets 2 g[i] / 4, x[2i + 1] gets (g[i] + g[i + 1]) / 4.
    `like` is the input, whose shape and memory order the gradient takes."""
    out = np.empty_like(like)
    np.multiply(grad, 2 / 4, out=out[axis_index(axis, slice(0, None, 2))])
    odd = neighbour_pairs(np.add, grad, axis, out[axis_index(axis, slice(1, None, 2))])
    odd /= 4
    return out


class SeedBlurPool(nets.Layer):
    """nets.BlurPool (circular, stride 2) as two one-dimensional passes: the binomial
    kernel is separable, and the depthwise convolution of a stacked batch (S·C groups of
    one channel) was slower than the rest of the network."""

    def forward(self, x):
        if x.shape[2] % 2 or x.shape[3] % 2:
            raise ValueError(f"blur pooling of {x.shape[2:]} maps: use even sizes")
        self.x, self.half = x, _blur_half(x, 3)
        return _blur_half(self.half, 2)

    def backward(self, grad):
        return _blur_half_backward(_blur_half_backward(grad, 2, self.half), 3, self.x)


def _seeded(layers_):
    """One layer of the stacked network from the same layer of every seed's network."""
    first = layers_[0]
    if isinstance(first, nets.Conv):
        return SeedConv(layers_)
    if isinstance(first, nets.LocallyConnected):
        return SeedLocallyConnected(layers_)
    if isinstance(first, nets.Dense):
        return SeedDense(layers_)
    if isinstance(first, nets.BlurPool) and first.options["stride"] == 2 and first.options["padding_mode"] == "circular":
        return SeedBlurPool()
    if isinstance(first, nets.BlurPool):  # a depthwise blur: one kernel per channel of every seed
        return nets.BlurPool(len(layers_) * first.kernel.shape[0], first.options["stride"],
                             first.options["padding_mode"])
    if first.params:
        raise TypeError(f"no seed axis for {type(first).__name__}")
    clone = object.__new__(type(first))  # channel by channel: the same layer, its own state
    clone.__dict__.update(first.__dict__)
    return clone


class Seeds(nets.Sequential):
    """S networks of one architecture as one: input (N, S·C, H, W), output (N, S·K)."""

    def __init__(self, models, dtype=np.float64):
        self.seeds = len(models)
        stack = [_seeded(list(group)) for group in zip(*(m.layers for m in models))]
        for i in reversed(range(len(stack) - 1)):  # WindowMax, Subsample: one max pooling
            if isinstance(stack[i], nets.WindowMax) and isinstance(stack[i + 1], nets.Subsample):
                stack[i:i + 2] = [SeedMaxPool()]
        super().__init__(*stack)
        self._cast(dtype)

    def _cast(self, dtype):
        for layer in self.layers:
            layer.params = [p.astype(dtype) for p in layer.params]
            layer.grads = [np.zeros_like(p) for p in layer.params]
        self.dtype = dtype

    def astype(self, dtype):
        """A copy of this network whose weights, and so its arithmetic, are in `dtype`."""
        twin = copy.copy(self)
        twin.layers = tuple(copy.copy(layer) for layer in self.layers)
        twin._cast(dtype)
        return twin

    def logits(self, x):
        """(N, S, K) logits of every seed on the same images x (N, C, H, W) or per-seed
        batches x (N, S, C, H, W)."""
        if x.ndim == 4 or x.ndim == 2:
            x = np.stack([x] * self.seeds, axis=1)
        x = x.reshape(len(x), -1, *x.shape[3:]).astype(self.dtype, copy=False)
        if x.ndim == 4:  # images: batch-last in memory, as the grouped convolutions keep them
            x = windows.batch_last(np.ascontiguousarray(x.transpose(1, 2, 3, 0)), x.shape)
        return self.forward(x).reshape(len(x), self.seeds, -1)


def stack(models, dtype=np.float64):
    """One network with a seed axis from per-seed networks of one architecture, its
    weights (and so its arithmetic) in `dtype`."""
    return Seeds(models, dtype)


def cross_entropy(logits, labels):
    """Each seed's mean softmax cross-entropy, summed over seeds, and its gradient.
    logits (N, S, K), labels (N, S): the sum's gradient for seed s is seed s's own."""
    n, s, k = logits.shape
    loss, grad = nets.softmax_cross_entropy(logits.reshape(n * s, k), labels.reshape(n * s))
    return loss * s, (grad * s).reshape(n, s, k)


def train(model, x, y, rngs, epochs=10, batch_size=32, lr=1e-3):
    """`nets.train` for every seed at once. x (n, ...) and y (n,) are shared by all seeds,
    or x (S, n, ...) and y (S, n) give each seed its own training set of n examples;
    rngs[s] draws seed s's minibatch order. Returns each epoch's summed loss."""
    s = model.seeds
    xs = x if y.ndim == 2 else np.broadcast_to(x, (s,) + x.shape)
    ys = y if y.ndim == 2 else np.broadcast_to(y, (s,) + y.shape)
    n, rows = ys.shape[1], np.arange(s)[:, None]
    optimizer = nets.Adam(model.params, lr=lr)
    history = []
    for _ in range(epochs):
        orders, losses = np.stack([rng.permutation(n) for rng in rngs]), []
        for start in range(0, n, batch_size):
            batch = orders[:, start:start + batch_size]  # (S, b)
            xb = xs[rows, batch].swapaxes(0, 1)  # (b, S, ...)
            loss, grad = cross_entropy(model.logits(xb), ys[rows, batch].T)
            model.backward(grad.reshape(len(grad), -1), input_grad=False)
            optimizer.step(model.grads)
            losses.append(loss)
        history.append(float(np.mean(losses)))
    return history


def predict(model, x, batch_size=256):
    """(N, S) predicted classes of every seed, on the same images x (N, ...) or on each
    seed's own x (N, S, ...)."""
    return np.concatenate([model.logits(x[i:i + batch_size]).argmax(axis=2) for i in range(0, len(x), batch_size)])


def accuracy(model, x, y):
    """(S,) test accuracy of every seed, on the same images x (N, ...) with labels y (N,),
    or on each seed's own x (N, S, ...) with labels y (N, S)."""
    y = np.asarray(y)
    return (predict(model, x) == (y if y.ndim == 2 else y[:, None])).mean(axis=0)
