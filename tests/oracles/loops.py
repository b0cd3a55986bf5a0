"""Convolution written as its definition, one Python loop per index (slow): the oracle the
fast `layers.conv2d` and every layer built on it are compared with, and the depthwise,
pointwise and separable layers whose matrices the formulas' closed forms are checked
against (no snippet runs these layers: the site counts them, it does not train them).

Independent of the code it checks: the output size and the padding are worked out here,
position by position, without `snippets/`.
"""
import numpy as np


def _pair(value):
    return (int(value), int(value)) if np.ndim(value) == 0 else tuple(int(v) for v in value)


def conv2d_loop(x, w, b=None, *, stride=1, padding=0, dilation=1, groups=1, padding_mode="zeros"):
    """conv2d of an NCHW batch x with filters w (C_out, C_in / groups, kh, kw), bias b (C_out,)."""
    n, c_in, h, wd = x.shape
    c_out, c_per_group, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    # the last window start that still fits the padded input, counted in strides
    ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if min(ho, wo) < 1:
        raise ValueError(f"window {(kh, kw)} (dilation {(dh, dw)}) does not fit input {(h, wd)} padded by {(ph, pw)}")
    if padding_mode not in ("zeros", "circular"):
        raise ValueError(f"padding_mode must be 'zeros' or 'circular', not {padding_mode!r}")
    out_per_group = c_out // groups
    out = np.zeros((n, c_out, ho, wo))
    for o in range(c_out):
        first_channel = (o // out_per_group) * c_per_group  # this filter sees its group only
        for oy in range(ho):
            for ox in range(wo):
                for c in range(c_per_group):
                    for i in range(kh):
                        for j in range(kw):
                            iy, ix = oy * sh - ph + i * dh, ox * sw - pw + j * dw
                            if padding_mode == "circular":
                                iy, ix = iy % h, ix % wd
                            elif not (0 <= iy < h and 0 <= ix < wd):
                                continue  # a zero of the padding
                            out[:, o, oy, ox] += x[:, first_channel + c, iy, ix] * w[o, c, i, j]
        if b is not None:
            out[:, o] += b[o]
    return out


def depthwise_conv2d_loop(x, w, b=None, **geometry):
    """Each channel convolved with its own filters, w (C_in * multiplier, 1, kh, kw)."""
    return conv2d_loop(x, w, b, groups=x.shape[1], **geometry)


def pointwise_conv2d_loop(x, w, b=None):
    """A 1×1 convolution, w (C_out, C_in): one dense map over the channels, pixel by pixel."""
    n, _, h, wd = x.shape
    out = np.zeros((n, w.shape[0], h, wd))
    for y in range(h):
        for x_ in range(wd):
            out[:, :, y, x_] = x[:, :, y, x_] @ w.T + (0 if b is None else b)
    return out


def separable_conv2d_loop(x, w_depthwise, w_pointwise, b=None, **geometry):
    """Depthwise then pointwise; the one bias b (C_out,) comes last."""
    return pointwise_conv2d_loop(depthwise_conv2d_loop(x, w_depthwise, **geometry), w_pointwise, b)
