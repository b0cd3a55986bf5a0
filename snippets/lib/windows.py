"""Windows over an NCHW batch: output shapes, padding, the strided window view and its
adjoint (col2im), and the batch-last memory layout.

These are the steps every window layer of `layers` (convolution, locally connected,
pooling) and of `side_by_side` is made of: pad, take a strided window view (no copy),
reduce or multiply each window, and, going backwards, scatter-add the windows' gradients
back onto the input. Sizes, strides, paddings and dilations accept an int or an (h, w)
pair (`as_pair`).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from snippets.lib.formulas import conv_output_size

PADDING_MODES = ("zeros", "circular")


# --- shapes -------------------------------------------------------------------------


def as_pair(v):
    """An int or an (h, w) pair, as a pair."""
    return (int(v), int(v)) if np.ndim(v) == 0 else tuple(int(u) for u in v)


def output_hw(hw, k, stride, padding, dilation):
    """(H_out, W_out); refuses a window larger than the padded input."""
    try:
        return tuple(conv_output_size(*args) for args in zip(hw, k, stride, padding, dilation))
    except ValueError as error:  # name the whole window, not the one axis
        raise ValueError(f"window {k} (dilation {dilation}) does not fit input {hw} "
                         f"padded by {padding}") from error


# --- padding, windows and their adjoint (col2im) ------------------------------------


def pad_hw(x, padding, mode):
    """Pad H and W of an NCHW batch with zeros, or periodically ("circular")."""
    if mode not in PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {PADDING_MODES}, not {mode!r}")
    (ph, pw), (h, w) = padding, x.shape[2:]
    if mode == "circular" and (ph > h or pw > w):  # wraps more than once
        return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode="wrap")
    # In x's memory order (np.pad's is always C): a grouped convolution keeps the batch
    # innermost, and its windows need that order to be copied in long runs.
    xp = (np.zeros_like if mode == "zeros" else np.empty_like)(x, shape=x.shape[:2] + (h + 2 * ph, w + 2 * pw))
    xp[:, :, ph:ph + h, pw:pw + w] = x
    if mode == "circular":  # the columns that wrap, then whole rows (corners included)
        xp[:, :, ph:ph + h, :pw], xp[:, :, ph:ph + h, pw + w:] = x[:, :, :, w - pw:], x[:, :, :, :pw]
        xp[:, :, :ph], xp[:, :, ph + h:] = xp[:, :, h:h + ph], xp[:, :, ph:2 * ph]
    return xp


def _unpad(grad_padded, padding, mode, hw):
    """Adjoint of pad_hw: padded positions send their gradient back to where they came from."""
    (ph, pw), (h, w) = padding, hw
    if mode == "zeros":
        return grad_padded[:, :, ph:ph + h, pw:pw + w]
    # "wrap" copies input row (r - p) mod h into padded row r; add each row back there.
    if ph > h or pw > w:  # padding wraps more than once: add each padded row back by index
        rows = (np.arange(h + 2 * ph) - ph) % h
        cols = (np.arange(w + 2 * pw) - pw) % w
        grad = np.zeros(grad_padded.shape[:2] + (h, w), grad_padded.dtype)
        np.add.at(grad, (slice(None), slice(None), rows[:, None], cols), grad_padded)
        return grad
    # Fold the padded columns back onto the ones they copy, then the padded rows.
    folded = grad_padded[:, :, :, pw:pw + w].copy(order="K")  # "K": keep a batch-last layout
    if pw:
        folded[..., :pw] += grad_padded[..., pw + w:]
        folded[..., w - pw:] += grad_padded[..., :pw]
    grad = folded[:, :, ph:ph + h].copy(order="K")
    if ph:
        grad[:, :, :ph] += folded[:, :, ph + h:]
        grad[:, :, h - ph:] += folded[:, :, :ph]
    return grad


def sliding_windows(xp, k, stride, dilation):
    """View (N, C, H_out, W_out, kh, kw) of the receptive fields of a padded batch (no copy)."""
    (kh, kw), (sh, sw), (dh, dw) = k, stride, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    return sliding_window_view(xp, span, axis=(2, 3))[:, :, ::sh, ::sw, ::dh, ::dw]


def col2im(grad_windows, x_shape, stride, padding=(0, 0), dilation=(1, 1), mode="zeros"):
    """Adjoint of pad_hw + sliding_windows: scatter-add window gradients back onto the input.

    One strided slice-add per kernel tap, so the Python loop is only kh * kw long.
    """
    n, c, h, w = x_shape
    ho, wo, kh, kw = grad_windows.shape[2:]
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    # In the memory order of the windows (batch-last from a grouped convolution), so
    # that each slice-add below walks both arrays in step.
    grad = np.zeros_like(grad_windows[..., 0, 0], dtype=np.result_type(grad_windows, 1.0), shape=(n, c, h + 2 * ph, w + 2 * pw))
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (ho - 1) + 1, sh)
            cols = slice(j * dw, j * dw + sw * (wo - 1) + 1, sw)
            grad[:, :, rows, cols] += grad_windows[:, :, :, :, i, j]
    return _unpad(grad, padding, mode, (h, w))



# --- memory layout ------------------------------------------------------------------


def batch_last(a, shape):
    """A (C, H, W, N) array seen as the NCHW batch of `shape`: memory in CHWN order (as
    cuda-convnet's), so that every window, shift or pad of the batch moves runs of W * N
    values rather than of W, and a grouped GEMM writes its output with no transpose."""
    n, c, h, w = shape
    return a.reshape(c, h, w, n).transpose(3, 0, 1, 2)

