"""Reference layers in numpy: forward and backward of convolution (grouped, transposed),
locally connected, dense, pooling and ReLU. A depthwise convolution is `conv2d` with one
group per channel, a pointwise one `conv2d` with a 1×1 kernel.

Conventions (as PyTorch): batches are NCHW float64 arrays; conv weights are
(C_out, C_in/groups, kh, kw); stride, padding, dilation and pool sizes accept an int
or an (h, w) pair. Every convolution here is the same three steps of `windows`: pad,
take a strided window view (no copy), multiply by the weights in one batched GEMM.
What a layer shares is read off its equivalent dense matrix in `dense_equivalent`.
"""
import numpy as np

from snippets.lib.windows import as_pair, batch_last, col2im, output_hw, pad_hw, sliding_windows

CACHE_BYTES = 2**22  # im2col columns built per GEMM in conv2d: about an L2/L3 share


# --- convolution --------------------------------------------------------------------


def _conv_args(x_shape, w_shape, groups, stride, padding, dilation):
    """Check the shapes agree; return normalised pairs and the output (H, W)."""
    n, c_in, h, w = x_shape
    c_out, c_per_group, kh, kw = w_shape
    if c_in != c_per_group * groups or c_out % groups:
        raise ValueError(f"input channels {c_in} and weights {w_shape} do not fit "
                         f"groups={groups}")
    stride, padding, dilation = as_pair(stride), as_pair(padding), as_pair(dilation)
    out_hw = output_hw((h, w), (kh, kw), stride, padding, dilation)
    return stride, padding, dilation, out_hw


def _im2col(xp, k, groups, stride, dilation):
    """Windows of a padded batch as GEMM columns, (N, groups, C_in/groups * kh * kw,
    H_out * W_out) (a copy)."""
    n, c = xp.shape[:2]
    win = sliding_windows(xp, k, stride, dilation)
    ho, wo, kh, kw = win.shape[2:]
    win = win.reshape(n, groups, c // groups, ho, wo, kh, kw)
    # Put (channel, tap) on the contracted axis and positions last: the output then
    # comes out of the GEMM already in NCHW order, with no transpose afterwards.
    return win.transpose(0, 1, 2, 5, 6, 3, 4).reshape(n, groups, -1, ho * wo)


def _group_cols(xp, k, groups, stride, dilation):
    """Windows of a padded batch as one GEMM matrix per group, (groups, C_in/groups * kh *
    kw, H_out * W_out * N) (a copy): every image of a group in one product, the batch
    innermost (see batch_last)."""
    n, c = xp.shape[:2]
    win = sliding_windows(xp, k, stride, dilation)
    ho, wo, kh, kw = win.shape[2:]
    win = win.reshape(n, groups, c // groups, ho, wo, kh, kw)
    return win.transpose(1, 2, 5, 6, 3, 4, 0).reshape(groups, -1, ho * wo * n)


def _by_group(a, groups):
    """An NCHW batch as (groups, C/groups, H * W * N): no copy if it is batch-last."""
    return a.transpose(1, 2, 3, 0).reshape(groups, a.shape[1] // groups, -1)


def _image_chunks(n, bytes_per_image):
    """Slices of the batch whose im2col columns fit in cache (at least one image each)."""
    step = max(1, CACHE_BYTES // bytes_per_image)
    return [slice(i, i + step) for i in range(0, n, step)]


def _group_weights(w, groups):
    """Weights as (groups, C_out/groups, C_in/groups * kh * kw) GEMM matrices."""
    return w.reshape(groups, w.shape[0] // groups, -1)


def _add_bias(out, b):
    """Add a per-channel bias, in place, if there is one."""
    if b is not None:
        out += np.reshape(b, (-1,) + (1,) * (out.ndim - 2))
    return out


def conv2d(x, w, b=None, *, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """2-D convolution (cross-correlation, as in PyTorch): (N, C_out, H_out, W_out)."""
    stride, padding, dilation, (ho, wo) = _conv_args(x.shape, w.shape, groups,
                                                     stride, padding, dilation)
    if groups > 1:
        return grouped_conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups,
                              padding_mode=padding_mode)[0]
    n, c_out = x.shape[0], w.shape[0]
    xp, wg = pad_hw(x, padding, padding_mode), _group_weights(w, groups)
    out = np.empty((n, groups, c_out // groups, ho * wo))
    # The columns are kh * kw times the input: build them a few images at a time and
    # multiply while they are still in cache (about 1.3x faster than all at once).
    for images in _image_chunks(n, 8 * wg.shape[2] * groups * ho * wo):
        cols = _im2col(xp[images], w.shape[2:], groups, stride, dilation)
        # (G, C_out/G, K) @ (n, G, K, L) -> (n, G, C_out/G, L): one GEMM per group and image.
        np.matmul(wg, cols, out=out[images])
    return _add_bias(out.reshape(n, c_out, ho, wo), b)


def _conv2d_grad_input(grad_out, w, x_shape, groups, stride, padding, dilation, mode):
    """Gradient of conv2d with respect to its input: W^T per group, then col2im."""
    n, c_out, ho, wo = grad_out.shape
    kh, kw = w.shape[2:]
    wg_t = _group_weights(w, groups).swapaxes(1, 2)
    if groups > 1:  # as in grouped_conv2d: one GEMM per group, batch-last
        grad_cols = wg_t @ _by_group(grad_out, groups)  # (G, K, L * N)
        grad_win = grad_cols.reshape(x_shape[1], kh, kw, ho, wo, n).transpose(5, 0, 3, 4, 1, 2)
    else:
        grad_cols = wg_t @ grad_out.reshape(n, 1, c_out, ho * wo)  # (N, 1, K, L)
        grad_win = grad_cols.reshape(n, x_shape[1], kh, kw, ho, wo).transpose(0, 1, 4, 5, 2, 3)
    return col2im(grad_win, x_shape, stride, padding, dilation, mode)


def conv2d_backward(x, w, grad_out, *, stride=1, padding=0, dilation=1, groups=1,
                    padding_mode="zeros", input_grad=True):
    """Gradients (grad_x, grad_w, grad_b) of conv2d given the gradient of its output;
    grad_x is None with input_grad=False (a first layer, whose input is data)."""
    stride, padding, dilation, _ = _conv_args(x.shape, w.shape, groups,
                                              stride, padding, dilation)
    xp = pad_hw(x, padding, padding_mode)
    if groups > 1:
        return grouped_conv2d_backward(_group_cols(xp, w.shape[2:], groups, stride, dilation), x.shape, w,
                                       grad_out, stride=stride, padding=padding, dilation=dilation,
                                       padding_mode=padding_mode, input_grad=input_grad)
    n, c_out = grad_out.shape[:2]
    cols = _im2col(xp, w.shape[2:], groups, stride, dilation)
    # A shared weight's gradient sums over every position (and image) that used it.
    grad_w = (grad_out.reshape(n, groups, c_out // groups, -1) @ cols.swapaxes(2, 3)).sum(axis=0).reshape(w.shape)
    grad_x = _conv2d_grad_input(grad_out, w, x.shape, groups, stride, padding, dilation,
                                padding_mode) if input_grad else None
    return grad_x, grad_w, grad_out.sum(axis=(0, 2, 3))


# Many small groups (seeds side by side, a depthwise blur) would be N * groups tiny GEMMs
# per image above; the grouped path makes one GEMM per group over the whole batch, and
# keeps the batch innermost in memory (batch_last).


def grouped_conv2d(x, w, b=None, *, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """conv2d as one GEMM per group: (output, columns), the output batch-last in memory
    and the window columns that grouped_conv2d_backward can use again."""
    stride, padding, dilation, (ho, wo) = _conv_args(x.shape, w.shape, groups, stride, padding, dilation)
    cols = _group_cols(pad_hw(x, padding, padding_mode), w.shape[2:], groups, stride, dilation)
    out = _group_weights(w, groups) @ cols  # (G, C_out/G, L * N)
    return _add_bias(batch_last(out, (len(x), len(w), ho, wo)), b), cols


def grouped_conv2d_backward(cols, x_shape, w, grad_out, *, stride=1, padding=0, dilation=1,
                            padding_mode="zeros", input_grad=True):
    """conv2d_backward from the columns of grouped_conv2d (the groups are cols' first axis)."""
    groups = len(cols)
    stride, padding, dilation, _ = _conv_args(x_shape, w.shape, groups, stride, padding, dilation)
    g = _by_group(grad_out, groups)  # (G, C_out/G, L * N)
    # Summed over every position and image; as (K, L * N) @ (L * N, C_out/G), which BLAS
    # runs about 1.6 times faster than the transposed product for these shapes.
    grad_w = (cols @ g.swapaxes(1, 2)).swapaxes(1, 2).reshape(w.shape)
    grad_x = _conv2d_grad_input(grad_out, w, x_shape, groups, stride, padding, dilation,
                                padding_mode) if input_grad else None
    return grad_x, grad_w, g.sum(axis=2).ravel()


def conv_transpose2d(x, w, b=None, *, stride=1, padding=0, output_padding=0, dilation=1,
                     groups=1):
    """Transposed convolution, w (C_in, C_out/groups, kh, kw): the adjoint of conv2d in x."""
    n, c_in, h, wd = x.shape
    if c_in != w.shape[0] or c_in % groups:
        raise ValueError(f"{c_in} input channels do not fit weights {w.shape}, "
                         f"groups={groups}")
    stride, padding, dilation = as_pair(stride), as_pair(padding), as_pair(dilation)
    output_padding = as_pair(output_padding)
    out_hw = tuple((size - 1) * s - 2 * p + d * (k - 1) + op + 1 for size, s, p, d, k, op
                   in zip((h, wd), stride, padding, dilation, w.shape[2:], output_padding))
    if any(op >= max(s, d) for op, s, d in zip(output_padding, stride, dilation)):
        raise ValueError(f"output_padding {output_padding} must be smaller than the "
                         f"stride or the dilation")
    out_shape = (n, w.shape[1] * groups) + out_hw
    # x plays the gradient of that conv2d's output. When stride <= output_padding <
    # dilation, the conv2d has output positions past x's: they get no gradient.
    out = _conv2d_grad_input(x, w, out_shape, groups, stride, padding, dilation, "zeros")
    return _add_bias(out, b)


# --- locally connected (untied weights) ---------------------------------------------


def _lc_args(x_shape, w_shape, stride, padding, dilation):
    """Normalised (stride, padding, dilation), after checking w has one filter bank per
    output position."""
    stride, padding, dilation = as_pair(stride), as_pair(padding), as_pair(dilation)
    out_hw = output_hw(x_shape[2:], w_shape[4:], stride, padding, dilation)
    if w_shape[:2] != out_hw or w_shape[3] != x_shape[1]:
        raise ValueError(f"weights {w_shape} do not fit output {out_hw} "
                         f"and {x_shape[1]} input channels")
    return stride, padding, dilation


def locally_connected2d(x, w, b=None, *, stride=1, padding=0, dilation=1):
    """A convolution without sharing: w (H_out, W_out, C_out, C_in, kh, kw), b (C_out, H_out,
    W_out), one filter bank and bias per output position."""
    stride, padding, dilation = _lc_args(x.shape, w.shape, stride, padding, dilation)
    win = sliding_windows(pad_hw(x, padding, "zeros"), w.shape[4:], stride, dilation)
    out = np.einsum("nchwij,hwocij->nohw", win, w, optimize=True)
    return out if b is None else out + b


def locally_connected2d_backward(x, w, grad_out, *, stride=1, padding=0, dilation=1,
                                 input_grad=True):
    """Gradients (grad_x, grad_w, grad_b) of locally_connected2d: no sums over positions.
    grad_x is None with input_grad=False."""
    stride, padding, dilation = _lc_args(x.shape, w.shape, stride, padding, dilation)
    win = sliding_windows(pad_hw(x, padding, "zeros"), w.shape[4:], stride, dilation)
    grad_w = np.einsum("nohw,nchwij->hwocij", grad_out, win, optimize=True)
    grad_x = None
    if input_grad:
        grad_win = np.einsum("nohw,hwocij->nchwij", grad_out, w, optimize=True)
        grad_x = col2im(grad_win, x.shape, stride, padding, dilation)
    return grad_x, grad_w, grad_out.sum(axis=0)


# --- dense --------------------------------------------------------------------------


def dense(x, w, b=None):
    """Fully connected layer: x (N, D_in), w (D_out, D_in) -> (N, D_out)."""
    return _add_bias(x @ w.T, b)


def dense_backward(x, w, grad_out):
    """Gradients (grad_x, grad_w, grad_b) of dense."""
    return grad_out @ w, grad_out.T @ x, grad_out.sum(axis=0)


# --- pooling and activation ---------------------------------------------------------


def _pool_windows(x, size, stride):
    """Pooling windows (N, C, H_out, W_out, kh, kw); the stride defaults to the size."""
    size = as_pair(size)
    stride = size if stride is None else as_pair(stride)
    output_hw(x.shape[2:], size, stride, (0, 0), (1, 1))
    return sliding_windows(x, size, stride, (1, 1)), stride


def max_pool2d(x, size, stride=None):
    """Maximum over each size x size window (no padding)."""
    return _pool_windows(x, size, stride)[0].max(axis=(4, 5))


def avg_pool2d(x, size, stride=None):
    """Mean over each size x size window (no padding)."""
    return _pool_windows(x, size, stride)[0].mean(axis=(4, 5))


def global_avg_pool(x):
    """Mean over all positions of each channel: (N, C, H, W) -> (N, C)."""
    return x.mean(axis=(2, 3))


def max_pool2d_backward(x, grad_out, size, stride=None):
    """Gradient of max_pool2d: each window's gradient goes to its (first) maximum."""
    win, stride = _pool_windows(x, size, stride)
    flat = win.reshape(win.shape[:4] + (-1,))
    winner = flat.argmax(axis=-1)[..., None] == np.arange(flat.shape[-1])
    grad_win = (winner * grad_out[..., None]).reshape(win.shape)
    if stride == as_pair(size):  # windows that tile without overlap: put each back in place
        n, c, ho, wo, kh, kw = grad_win.shape
        grad = np.zeros(x.shape, grad_win.dtype)
        grad[:, :, :ho * kh, :wo * kw] = grad_win.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, ho * kh, wo * kw)
        return grad
    return col2im(grad_win, x.shape, stride)


def avg_pool2d_backward(x, grad_out, size, stride=None):
    """Gradient of avg_pool2d: each window's gradient shared equally by its inputs."""
    win, stride = _pool_windows(x, size, stride)
    kh, kw = win.shape[4:]
    grad_win = np.broadcast_to(grad_out[..., None, None] / (kh * kw), win.shape)
    return col2im(grad_win, x.shape, stride)


def relu(x):
    """max(x, 0)."""
    return np.maximum(x, 0.0)


def relu_backward(x, grad_out):
    """Gradient of relu: passes where x > 0."""
    return grad_out * (x > 0)
