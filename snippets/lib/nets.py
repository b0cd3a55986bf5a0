"""Small trainable networks on the reference layers, with hand-written backpropagation.

A network is a `Sequential` of layer objects. Each layer's `forward` keeps what its
`backward` needs; `backward` takes the gradient of the loss with respect to the layer's
output, fills `grads` (same order as `params`) and returns the gradient with respect to
its input. The arithmetic is in `layers.py`, except for the two circular layers that
exact shift equivariance needs (`WindowMax`, `Subsample`), which are small enough to
live here.
"""
import numpy as np

from snippets.lib import layers
from snippets.lib.formulas import conv_output_size


def he_normal(rng, shape, fan_in):
    """Weights scaled for ReLU networks (He et al., 2015): variance 2 / fan_in."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)


class Layer:
    params = ()

    def __init__(self):
        self.grads = [np.zeros_like(p) for p in self.params]

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    def backward_params(self, grad):
        """Only the parameter gradients: what training needs from a first layer."""
        self.backward(grad)


class Dense(Layer):
    def __init__(self, d_in, d_out, rng):
        self.params = [he_normal(rng, (d_out, d_in), d_in), np.zeros(d_out)]
        super().__init__()

    def forward(self, x):
        self.x = x
        return layers.dense(x, *self.params)

    def backward(self, grad):
        grad_x, *self.grads = layers.dense_backward(self.x, self.params[0], grad)
        return grad_x


class _Windowed(Layer):
    """A layer whose arithmetic is a pair of functions in `layers`: `apply(x, w, b, **options)`
    and `gradients(x, w, grad, input_grad=..., **options)`."""

    def forward(self, x):
        self.x = x
        return type(self).apply(x, *self.params, **self.options)

    def backward(self, grad, input_grad=True):
        grad_x, *self.grads = type(self).gradients(self.x, self.params[0], grad, input_grad=input_grad,
                                                   **self.options)
        return grad_x

    def backward_params(self, grad):
        self.backward(grad, input_grad=False)


class Conv(_Windowed):
    """Convolution: one (C_out, C_in, k, k) filter bank shared by every position."""

    apply, gradients = staticmethod(layers.conv2d), staticmethod(layers.conv2d_backward)

    def __init__(self, c_in, c_out, k, rng, stride=1, padding=0, padding_mode="zeros"):
        self.params = [he_normal(rng, (c_out, c_in, k, k), c_in * k * k), np.zeros(c_out)]
        self.options = dict(stride=stride, padding=padding, padding_mode=padding_mode)
        super().__init__()


class LocallyConnected(_Windowed):
    """A convolution's connectivity without its sharing: a filter and bias per position."""

    apply, gradients = staticmethod(layers.locally_connected2d), staticmethod(layers.locally_connected2d_backward)

    def __init__(self, c_in, c_out, k, in_hw, rng, stride=1, padding=0):
        h_out, w_out = (conv_output_size(n, k, stride, padding) for n in in_hw)
        fan_in = c_in * k * k
        self.params = [he_normal(rng, (h_out, w_out, c_out, c_in, k, k), fan_in), np.zeros((c_out, h_out, w_out))]
        self.options = dict(stride=stride, padding=padding)
        super().__init__()


class ReLU(Layer):
    def forward(self, x):
        self.x = x
        return layers.relu(x)

    def backward(self, grad):
        return layers.relu_backward(self.x, grad)


class MaxPool(Layer):
    def __init__(self, size, stride=None):
        self.size, self.stride = size, stride
        super().__init__()

    def forward(self, x):
        self.x = x
        return layers.max_pool2d(x, self.size, self.stride)

    def backward(self, grad):
        return layers.max_pool2d_backward(self.x, grad, self.size, self.stride)


class AvgPool(MaxPool):
    def forward(self, x):
        self.x = x
        return layers.avg_pool2d(x, self.size, self.stride)

    def backward(self, grad):
        return layers.avg_pool2d_backward(self.x, grad, self.size, self.stride)


class BlurPool(Layer):
    """Anti-aliased downsampling (Zhang, 2019): a fixed binomial blur, then subsampling.

    The blur is a depthwise convolution with the outer product of [1, 2, 1] / 4 and
    itself; it has no trainable parameters."""

    def __init__(self, channels, stride=2, padding_mode="circular"):
        taps = np.array([1.0, 2.0, 1.0]) / 4
        self.kernel = np.broadcast_to(np.outer(taps, taps), (channels, 1, 3, 3)).copy()
        self.options = dict(stride=stride, padding=1, groups=channels, padding_mode=padding_mode)
        super().__init__()

    def forward(self, x):
        self.x = x
        return layers.conv2d(x, self.kernel, **self.options)

    def backward(self, grad):
        return layers.conv2d_backward(self.x, self.kernel, grad, **self.options)[0]


class WindowMax(Layer):
    """The max of max pooling without its subsampling: the maximum over the 2×2 window
    at every position (stride 1), wrapping around the edges like the circular
    convolutions, so the layer commutes with every circular shift. The maximum is
    separable: over each pair of columns, then over each pair of rows. Masks and slices,
    not np.where and np.roll, which were many times slower on large batches."""

    def forward(self, x):
        self.first = []  # per axis: does x[i] hold the maximum of x[i], x[i + 1]? (it wins ties)
        for axis in (3, 2):  # along each row, then along each column
            self.first.append(neighbour_pairs(np.greater_equal, x, axis, np.empty_like(x, dtype=bool)))
            x = neighbour_pairs(np.maximum, x, axis, np.empty_like(x))
        return x

    def backward(self, grad):
        for axis, first in zip((2, 3), reversed(self.first)):
            to_next = grad * ~first  # the gradient of each x[i + 1] that won
            grad = grad * first
            grad[axis_index(axis, slice(1, None))] += to_next[axis_index(axis, slice(None, -1))]
            grad[axis_index(axis, 0)] += to_next[axis_index(axis, -1)]  # wrapping around
        return grad


def axis_index(axis, index):
    """x[axis_index(axis, i)] is x[..., i, ...]: an index (int or slice) on one axis of an NCHW batch."""
    key = [slice(None)] * 4
    key[axis] = index
    return tuple(key)


def neighbour_pairs(op, x, axis, out):
    """op(x[i], x[i + 1]) along `axis`, wrapping around, written into out (in x's memory
    order, which a batch of seeds side by side keeps batch-last)."""
    head, tail = axis_index(axis, slice(None, -1)), axis_index(axis, slice(1, None))
    op(x[head], x[tail], out=out[head])
    op(x[axis_index(axis, -1)], x[axis_index(axis, 0)], out=out[axis_index(axis, -1)])
    return out


class Subsample(Layer):
    """Keep every second row and column: after WindowMax, this is 2×2 max pooling."""

    def forward(self, x):
        self.shape = x.shape
        return x[:, :, ::2, ::2]

    def backward(self, grad):
        out = np.zeros(self.shape)
        out[:, :, ::2, ::2] = grad
        return out


class GlobalAvgPool(Layer):
    def forward(self, x):
        self.x = x
        return layers.global_avg_pool(x)

    def backward(self, grad):
        out = np.empty_like(self.x)  # in the input's memory order (batch-last for stacked seeds)
        out[...] = (grad / (out.shape[2] * out.shape[3]))[:, :, None, None]
        return out


class Flatten(Layer):
    def forward(self, x):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, grad):
        return grad.reshape(self.shape)


class Sequential:
    def __init__(self, *stack):
        self.layers = stack

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad, input_grad=True):
        """Fill every layer's grads; return the gradient with respect to the input, or, with
        input_grad=False (training), skip computing it, which saves a first convolution
        or locally connected layer about a third of its backward pass."""
        first, *rest = self.layers
        for layer in reversed(rest):
            grad = layer.backward(grad)
        if input_grad:
            return first.backward(grad)
        first.backward_params(grad)

    @property
    def params(self):
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self):
        return [g for layer in self.layers for g in layer.grads]

    def count_params(self):
        return sum(p.size for p in self.params)


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of integer labels, and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(labels))
    grad = np.exp(log_probs)
    grad[rows, labels] -= 1
    return -log_probs[rows, labels].mean(), grad / len(labels)


class Adam:
    """Adam (Kingma & Ba, 2015) with the paper's defaults."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.scratch = [(np.empty_like(p), np.empty_like(p)) for p in params]
        self.t = 0

    def step(self, grads):
        """One update. It computes, in this order, m ← b1·m + (1 - b1)·g,
        v ← b2·v + (1 - b2)·g·g and p ← p - lr·m̂ / (√v̂ + eps), in place in two scratch
        arrays per parameter: the same roundings as the formulas written out, without
        allocating (which for a large layer took most of the step)."""
        self.t += 1
        b1, b2 = self.betas
        for p, g, m, v, (a, b) in zip(self.params, grads, self.m, self.v, self.scratch):
            m *= b1
            m += np.multiply(g, 1 - b1, out=a)
            v *= b2
            np.multiply(g, 1 - b2, out=a)
            v += np.multiply(a, g, out=a)
            np.divide(m, 1 - b1**self.t, out=a)  # m̂
            a *= self.lr
            np.divide(v, 1 - b2**self.t, out=b)  # v̂
            b = np.sqrt(b, out=b)
            b += self.eps
            p -= np.divide(a, b, out=a)  # in place: layers hold p


def train(model, x, y, rng, epochs=10, batch_size=32, lr=1e-3):
    """Minibatch Adam on softmax cross-entropy; returns the mean loss of each epoch."""
    optimizer = Adam(model.params, lr=lr)
    history = []
    for _ in range(epochs):
        order, losses = rng.permutation(len(x)), []
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            loss, grad = softmax_cross_entropy(model.forward(x[batch]), y[batch])
            model.backward(grad, input_grad=False)
            optimizer.step(model.grads)
            losses.append(loss)
        history.append(float(np.mean(losses)))
    return history


def predict(model, x, batch_size=256):
    """Predicted class of every example, in batches to bound memory."""
    return np.concatenate([model.forward(x[i:i + batch_size]).argmax(axis=1) for i in range(0, len(x), batch_size)])


def accuracy(model, x, y):
    return float((predict(model, x) == y).mean())
