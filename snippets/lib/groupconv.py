"""The p4 group convolution (Cohen & Welling, 2016): weight sharing over 90° rotations.

An ordinary convolution shares one filter over all translations. A p4 convolution
shares it over all translations *and* the four rotations by multiples of 90°: each
filter is applied in its four rotated copies, so a feature map gains a rotation axis of
length 4, (N, C, 4, H, W). Two layers:

- the lifting layer takes an image (N, C_in, H, W) with filters (C_out, C_in, k, k);
- the p4 layer takes a p4 map (N, C_in, 4, H, W) with filters (C_out, C_in, 4, k, k).

Rotating the input by 90° (np.rot90 on the last two axes) rotates every output map by
90° and shifts the rotation axis cyclically by one (`rotate_p4`). Both layers call
layers.conv2d once, on a filter bank that stacks the four transformed copies.
"""
import numpy as np

from snippets.lib import layers

ROTATIONS = 4  # the rotations of p4: 0°, 90°, 180°, 270°
SPATIAL = (-2, -1)  # the axes np.rot90 turns


def rotate_image(x, turns=1):
    """A batch of images (N, C, H, W) rotated by turns × 90° counterclockwise."""
    return np.rot90(x, turns, axes=SPATIAL)


def rotate_p4(y, turns=1):
    """How a rotation acts on a p4 map (N, C, 4, H, W): each map rotates and the
    rotation axis shifts cyclically, so the map that was at angle r moves to r + turns."""
    return np.roll(rotate_image(y, turns), turns, axis=2)


def lifting_filters(w):
    """The four rotated copies of each filter (C_out, C_in, k, k), as one ordinary
    filter bank (C_out * 4, C_in, k, k) ordered (filter, rotation)."""
    return np.stack([rotate_image(w, r) for r in range(ROTATIONS)], axis=1).reshape((-1,) + w.shape[1:])


def p4_filters(w):
    """The four transformed copies of each p4 filter (C_out, C_in, 4, k, k), as one
    ordinary filter bank (C_out * 4, C_in * 4, k, k): copy r is rotated by r × 90° and
    has its rotation axis shifted cyclically by r."""
    copies = [rotate_p4(w, r) for r in range(ROTATIONS)]
    c_out, c_in, _, k, _ = w.shape
    return np.stack(copies, axis=1).reshape(c_out * ROTATIONS, c_in * ROTATIONS, k, k)


def _as_p4(out, b):
    """Ordinary conv output (N, C_out * 4, H, W) as a p4 map, one bias per filter."""
    n, _, h, w = out.shape
    out = out.reshape(n, -1, ROTATIONS, h, w)
    return out if b is None else out + np.reshape(b, (-1, 1, 1, 1))


def lifting_conv(x, w, b=None, **conv):
    """Z² -> p4: an image (N, C_in, H, W) to a p4 map (N, C_out, 4, H', W').

    `conv` are layers.conv2d's options (padding, padding_mode); use stride 1 and a
    square input, which a 90° rotation maps onto itself."""
    return _as_p4(layers.conv2d(x, lifting_filters(w), **conv), b)


def p4_conv(y, w, b=None, **conv):
    """p4 -> p4: a p4 map (N, C_in, 4, H, W) to a p4 map (N, C_out, 4, H', W')."""
    n, c_in, _, h, wd = y.shape
    flat = y.reshape(n, c_in * ROTATIONS, h, wd)  # channel order (c, rotation), as p4_filters
    return _as_p4(layers.conv2d(flat, p4_filters(w), **conv), b)
