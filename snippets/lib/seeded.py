"""Many seeds of one network trained side by side: a seed axis in every weight array.

An experimental claim is measured over seeds. Training ten copies of a small network one
after the other spends most of its time in Python, once per minibatch and copy; here the
copies become one network whose weights carry a seed axis, and one batched pass trains
them all. `stack(models)` takes the per-seed networks (built by the same code from each
seed's generator, so each copy starts exactly where it would alone) and returns that
network:

- a convolution becomes a grouped convolution with one group per seed: the activations
  of seed s are channels s·C ... (s+1)·C - 1 of one batch;
- a locally connected or dense layer multiplies each seed's block of the activations by
  that seed's weights (a batched matrix product);
- layers that act channel by channel (ReLU, pooling, blur) need no change.

Each seed keeps its own data order (its own generator draws its permutations, as
`nets.train` draws them) and its own optimiser state: Adam is elementwise, so one Adam
over the stacked weights is ten independent ones. `train` here matches `nets.train` run
seed by seed, to float rounding (tests/lib/test_seeded.py).
"""
import numpy as np

from snippets.lib import layers, nets


class SeedConv(nets._Windowed):
    """Convolutions of S seeds as one grouped convolution."""

    apply, gradients = staticmethod(layers.conv2d), staticmethod(layers.conv2d_backward)

    def __init__(self, convs):
        self.params = [np.concatenate([c.params[0] for c in convs]), np.concatenate([c.params[1] for c in convs])]
        self.options = dict(convs[0].options, groups=len(convs))
        nets.Layer.__init__(self)


class SeedLocallyConnected(nets.Layer):
    """Locally connected layers of S seeds: weights (S, H_out, W_out, C_out, C_in, k, k)."""

    def __init__(self, locals_):
        self.params = [np.stack([m.params[0] for m in locals_]), np.stack([m.params[1] for m in locals_])]
        self.options = locals_[0].options
        super().__init__()

    def _windows(self, x):
        s, _, _, _, c_in, k, _ = self.params[0].shape
        stride, padding = layers._pair(self.options["stride"]), layers._pair(self.options["padding"])
        win = layers._windows(layers._pad(x, padding, "zeros"), (k, k), stride, (1, 1))
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
        return layers._col2im(grad_win, self.x.shape, layers._pair(self.options["stride"]),
                              layers._pair(self.options["padding"]))

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


def _seeded(layers_):
    """One layer of the stacked network from the same layer of every seed's network."""
    first = layers_[0]
    if isinstance(first, nets.Conv):
        return SeedConv(layers_)
    if isinstance(first, nets.LocallyConnected):
        return SeedLocallyConnected(layers_)
    if isinstance(first, nets.Dense):
        return SeedDense(layers_)
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

    def __init__(self, models):
        self.seeds = len(models)
        super().__init__(*[_seeded(list(group)) for group in zip(*(m.layers for m in models))])

    def logits(self, x):
        """(N, S, K) logits of every seed on the same images x (N, C, H, W) or per-seed
        batches x (N, S, C, H, W)."""
        if x.ndim == 4 or x.ndim == 2:
            x = np.stack([x] * self.seeds, axis=1)
        return self.forward(x.reshape(len(x), -1, *x.shape[3:])).reshape(len(x), self.seeds, -1)


def stack(models):
    """One network with a seed axis from per-seed networks of one architecture."""
    return Seeds(models)


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
