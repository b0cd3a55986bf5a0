"""Closed forms for layers: parameters, output shapes and multiply-adds, as functions of
the hyperparameters (layer specifications are in `specs`, networks are walked by `accounting`).

Shapes are per example, without the batch axis: ``(C, H, W)`` for feature maps and
``(D,)`` for vectors. Spatial sizes use the floor convention of PyTorch and Caffe::

    H_out = floor((H + 2·padding - dilation·(kernel - 1) - 1) / stride) + 1

and a transposed convolution gives
``H_out = (H - 1)·stride - 2·padding + dilation·(kernel - 1) + output_padding + 1``.
Padding is symmetric (the same number of pixels on both sides); TensorFlow's ``'same'``
can pad one pixel more at the end, see `same_padding`.

Multiply-adds (MACs)
    One MAC is one multiplication whose product is added to a running sum. Only the
    linear maps (dense, convolution, locally connected, LeNet's subsampling and RBF
    units) have MACs; bias additions, batch normalisation (folded into the preceding
    convolution at inference), activations, pooling and the addition that closes a
    residual block count zero.

FLOPs = 2 × MACs
    This module's convention, through `flops`: one multiply-add is two floating point
    operations. Sources disagree: the ResNet paper's "FLOPs" and torchvision's
    "GFLOPS" column are multiply-adds, others double them. Always say which.

Padded taps
    The conventional count, ``H_out·W_out·C_out·(C_in/groups)·kh·kw`` (`conv2d_macs`),
    includes the multiplications of kernel taps that fall on padding zeros, because a
    dense implementation performs them. The equivalent dense matrix has no entry for
    them, so its nonzero count is smaller; `conv2d_macs_excluding_padding` gives that
    exact number, counting per axis the (output, tap) pairs that land inside the input.
    The site uses the conventional count (it is what papers and frameworks publish) and
    shows the other one where padding is the subject.
"""
from __future__ import annotations

Size = int | tuple[int, int]
Pair = tuple[int, int]


# --- small helpers ---------------------------------------------------------------------


def pair(value: Size) -> Pair:
    """``3 -> (3, 3)``; a ``(h, w)`` pair is returned as a tuple."""
    if isinstance(value, int):
        return (value, value)
    h, w = value
    return (int(h), int(w))


def flops(macs: int) -> int:
    """Floating point operations of `macs` multiply-adds: two each (this site's convention)."""
    return 2 * macs


# --- one axis ----------------------------------------------------------------------------


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output positions of a sliding window along one axis (floor convention)."""
    span = dilation * (kernel - 1) + 1
    out = (size + 2 * padding - span) // stride + 1
    if out < 1:
        raise ValueError(f"a window of span {span} does not fit in {size} + 2·{padding} pixels")
    return out


def conv_transpose_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0,
                               output_padding: int = 0, dilation: int = 1) -> int:
    """Output size of a transposed convolution along one axis."""
    if not 0 <= output_padding < max(stride, dilation):
        raise ValueError("output_padding must be smaller than the stride or the dilation")
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> Pair:
    """TensorFlow ``'same'`` padding ``(before, after)``: output ``ceil(size / stride)``.

    An odd total puts the extra pixel after, so a stride-2 3×3 convolution on an even
    size pads ``(0, 1)``; ``'valid'`` padding is ``(0, 0)``."""
    out = -(-size // stride)
    total = max((out - 1) * stride + dilation * (kernel - 1) + 1 - size, 0)
    return (total // 2, total - total // 2)


def taps_inside(size_in: int, size_out: int, kernel: int, stride: int = 1, padding: int = 0,
                dilation: int = 1) -> int:
    """(output position, kernel tap) pairs along one axis whose input index is inside.

    Output ``o`` and tap ``t`` read input ``o·stride + t·dilation - padding``; for each tap
    the valid outputs form one interval, whose length is computed without a loop over
    positions."""
    total = 0
    for tap in range(kernel):
        offset = tap * dilation - padding
        first = max(0, -(offset // stride))  # ceil(-offset / stride)
        last = min(size_out - 1, (size_in - 1 - offset) // stride)
        total += max(0, last - first + 1)
    return total


# --- dense -------------------------------------------------------------------------------


def dense_params(in_features: int, out_features: int, bias: bool = True) -> int:
    """A weight per (input, output) pair, plus a bias per output."""
    return in_features * out_features + (out_features if bias else 0)


def dense_macs(in_features: int, out_features: int) -> int:
    """One multiply-add per weight."""
    return in_features * out_features


# --- convolution (grouped, dilated, strided, 1×1) ---------------------------------------


def channel_links(in_channels: int, out_channels: int, groups: int = 1, table=None) -> int:
    """How many (output channel, input channel) pairs a convolution connects.

    ``out·in/groups`` for a grouped convolution, or the total length of a connection
    `table` (one tuple of input channels per output channel, as in LeNet-5's C3)."""
    if table is not None:
        if len(table) != out_channels or groups != 1:
            raise ValueError("a connection table needs one entry per output channel and groups=1")
        if any(not 0 <= c < in_channels for entry in table for c in entry):
            raise ValueError("connection table names a channel that does not exist")
        return sum(len(set(entry)) for entry in table)
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide {in_channels} and {out_channels} channels")
    return out_channels * (in_channels // groups)


def conv2d_output_shape(in_shape, out_channels: int, kernel: Size, stride: Size = 1, padding: Size = 0,
                        dilation: Size = 1) -> tuple[int, int, int]:
    """``(C_out, H_out, W_out)`` of a convolution on a ``(C, H, W)`` input."""
    _, h, w = in_shape
    sizes = (conv_output_size(n, *axis) for n, axis in zip((h, w), _axes(kernel, stride, padding, dilation)))
    return (out_channels, *sizes)


def conv2d_params(in_channels: int, out_channels: int, kernel: Size, groups: int = 1, bias: bool = True,
                  table=None) -> int:
    """``C_out·(C_in/groups)·kh·kw`` weights plus ``C_out`` biases."""
    kh, kw = pair(kernel)
    return channel_links(in_channels, out_channels, groups, table) * kh * kw + (out_channels if bias else 0)


def conv2d_macs(in_shape, out_channels: int, kernel: Size, stride: Size = 1, padding: Size = 0,
                dilation: Size = 1, groups: int = 1, table=None) -> int:
    """Conventional count ``H_out·W_out·C_out·(C_in/groups)·kh·kw``, padded taps included."""
    _, h_out, w_out = conv2d_output_shape(in_shape, out_channels, kernel, stride, padding, dilation)
    kh, kw = pair(kernel)
    return h_out * w_out * kh * kw * channel_links(in_shape[0], out_channels, groups, table)


def conv2d_macs_excluding_padding(in_shape, out_channels: int, kernel: Size, stride: Size = 1,
                                  padding: Size = 0, dilation: Size = 1, groups: int = 1, table=None) -> int:
    """Exact count without the taps on padding: the nonzeros of the equivalent matrix."""
    _, h, w = in_shape
    _, h_out, w_out = conv2d_output_shape(in_shape, out_channels, kernel, stride, padding, dilation)
    (kh, sh, ph, dh), (kw, sw, pw, dw) = _axes(kernel, stride, padding, dilation)
    return (taps_inside(h, h_out, kh, sh, ph, dh) * taps_inside(w, w_out, kw, sw, pw, dw)
            * channel_links(in_shape[0], out_channels, groups, table))


def pointwise_conv2d_params(in_channels: int, out_channels: int, bias: bool = True) -> int:
    """A 1×1 convolution: a dense layer applied at every pixel."""
    return conv2d_params(in_channels, out_channels, 1, bias=bias)


def pointwise_conv2d_macs(in_shape, out_channels: int) -> int:
    """``H·W·C_in·C_out``: no padding, so both MAC counts agree."""
    return conv2d_macs(in_shape, out_channels, 1)


# --- depthwise and depthwise-separable ---------------------------------------------------


def depthwise_conv2d_params(channels: int, kernel: Size, multiplier: int = 1, bias: bool = True) -> int:
    """One kh×kw filter per (channel, multiplier): a convolution with ``groups = C``."""
    return conv2d_params(channels, channels * multiplier, kernel, groups=channels, bias=bias)


def depthwise_conv2d_macs(in_shape, kernel: Size, stride: Size = 1, padding: Size = 0, dilation: Size = 1,
                          multiplier: int = 1) -> int:
    """Conventional MACs of a depthwise convolution (padded taps included)."""
    c = in_shape[0]
    return conv2d_macs(in_shape, c * multiplier, kernel, stride, padding, dilation, groups=c)


def depthwise_conv2d_macs_excluding_padding(in_shape, kernel: Size, stride: Size = 1, padding: Size = 0,
                                            dilation: Size = 1, multiplier: int = 1) -> int:
    """Exact MACs of a depthwise convolution without the padded taps."""
    c = in_shape[0]
    return conv2d_macs_excluding_padding(in_shape, c * multiplier, kernel, stride, padding, dilation, groups=c)


# --- locally connected (untied weights) --------------------------------------------------


def locally_connected2d_params(in_shape, out_channels: int, kernel: Size, stride: Size = 1, padding: Size = 0,
                               dilation: Size = 1, bias: bool = True) -> int:
    """A convolution's filters, once per output position; one bias per output unit."""
    c_out, h_out, w_out = conv2d_output_shape(in_shape, out_channels, kernel, stride, padding, dilation)
    return h_out * w_out * conv2d_params(in_shape[0], c_out, kernel, bias=bias)


def locally_connected2d_macs(in_shape, out_channels: int, kernel: Size, stride: Size = 1, padding: Size = 0,
                             dilation: Size = 1) -> int:
    """The same multiply-adds as the convolution with the same geometry: untying adds none."""
    return conv2d_macs(in_shape, out_channels, kernel, stride, padding, dilation)


def locally_connected2d_macs_excluding_padding(in_shape, out_channels: int, kernel: Size, stride: Size = 1,
                                               padding: Size = 0, dilation: Size = 1) -> int:
    """Exact MACs without padded taps (equal to the convolution's)."""
    return conv2d_macs_excluding_padding(in_shape, out_channels, kernel, stride, padding, dilation)


# --- transposed convolution --------------------------------------------------------------


def conv_transpose2d_output_shape(in_shape, out_channels: int, kernel: Size, stride: Size = 1, padding: Size = 0,
                                  output_padding: Size = 0, dilation: Size = 1) -> tuple[int, int, int]:
    """``(C_out, H_out, W_out)`` of a transposed convolution."""
    _, h, w = in_shape
    axes = zip((h, w), pair(kernel), pair(stride), pair(padding), pair(output_padding), pair(dilation))
    return (out_channels, *(conv_transpose_output_size(*axis) for axis in axes))


def conv_transpose2d_params(in_channels: int, out_channels: int, kernel: Size, groups: int = 1,
                            bias: bool = True) -> int:
    """Weights ``C_in·(C_out/groups)·kh·kw`` (the same count as the forward convolution) plus biases."""
    return conv2d_params(out_channels, in_channels, kernel, groups, bias=False) + (out_channels if bias else 0)


def conv_transpose2d_macs(in_shape, out_channels: int, kernel: Size, groups: int = 1) -> int:
    """Conventional count ``H_in·W_in·C_in·(C_out/groups)·kh·kw``: every input pixel
    scatters a full kernel, including the taps that `padding` later crops away."""
    c_in, h, w = in_shape
    kh, kw = pair(kernel)
    return h * w * kh * kw * channel_links(out_channels, c_in, groups)


def conv_transpose2d_macs_excluding_padding(in_shape, out_channels: int, kernel: Size, stride: Size = 1,
                                            padding: Size = 0, output_padding: Size = 0, dilation: Size = 1,
                                            groups: int = 1) -> int:
    """Exact count: only the scattered taps that land inside the output (the matrix's nonzeros)."""
    c_in, h, w = in_shape
    _, h_out, w_out = conv_transpose2d_output_shape(in_shape, out_channels, kernel, stride, padding,
                                                    output_padding, dilation)
    (kh, sh, ph, dh), (kw, sw, pw, dw) = _axes(kernel, stride, padding, dilation)
    # Input i and tap t write output i·s + t·d - p: the forward convolution's pairs, roles swapped.
    return (taps_inside(h_out, h, kh, sh, ph, dh) * taps_inside(w_out, w, kw, sw, pw, dw)
            * channel_links(out_channels, c_in, groups))


def _axes(kernel, stride, padding, dilation):
    """Per-axis ``(kernel, stride, padding, dilation)`` tuples: ``[(kh, sh, ph, dh), (kw, sw, pw, dw)]``."""
    return list(zip(pair(kernel), pair(stride), pair(padding), pair(dilation)))
