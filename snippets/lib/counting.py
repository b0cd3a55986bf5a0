"""Closed-form arithmetic for layers: parameters, output shapes and multiply-adds.

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

Layer specs and networks
    Small frozen dataclasses describe layers (`Conv`, `Dense`, `MaxPool`, `BatchNorm`,
    `Residual`, ...). `walk(layers, input_shape)` returns one `Row` per layer with its
    name, kind, geometry (kernel, stride, padding, dilation as ``(h, w)`` pairs), output
    shape, trainable and non-trainable parameters and MACs; `totals(rows)` adds them up.
    Non-trainable parameters are batch normalisation's running mean and variance, which
    Keras lists as "Non-trainable params" and torchvision keeps as buffers outside
    ``num_params``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

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


def separable_conv2d_params(in_channels: int, out_channels: int, kernel: Size, multiplier: int = 1,
                            bias: bool = True) -> int:
    """Depthwise filters (no bias) then a 1×1 convolution with one bias per output channel."""
    mid = in_channels * multiplier
    return depthwise_conv2d_params(in_channels, kernel, multiplier, bias=False) + pointwise_conv2d_params(
        mid, out_channels, bias)


def separable_conv2d_macs(in_shape, out_channels: int, kernel: Size, stride: Size = 1, padding: Size = 0,
                          dilation: Size = 1, multiplier: int = 1) -> int:
    """Depthwise MACs plus the 1×1 MACs on the depthwise output."""
    mid = conv2d_output_shape(in_shape, in_shape[0] * multiplier, kernel, stride, padding, dilation)
    return (depthwise_conv2d_macs(in_shape, kernel, stride, padding, dilation, multiplier)
            + pointwise_conv2d_macs(mid, out_channels))


def separable_conv2d_macs_excluding_padding(in_shape, out_channels: int, kernel: Size, stride: Size = 1,
                                            padding: Size = 0, dilation: Size = 1, multiplier: int = 1) -> int:
    """Exact MACs: only the depthwise step meets padding."""
    mid = conv2d_output_shape(in_shape, in_shape[0] * multiplier, kernel, stride, padding, dilation)
    return (depthwise_conv2d_macs_excluding_padding(in_shape, kernel, stride, padding, dilation, multiplier)
            + pointwise_conv2d_macs(mid, out_channels))


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


# --- layer specs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """What one layer does to a shape, and what it costs."""

    out_shape: tuple[int, ...]
    params: int = 0
    non_trainable: int = 0
    macs: int = 0
    macs_excluding_padding: int | None = None  # None: the same as `macs`


def _name():
    """Every spec ends with an optional keyword-only ``name``."""
    return field(default="", kw_only=True)


def _feature_map(shape, layer) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise ValueError(f"{type(layer).__name__} needs a (C, H, W) input, got {shape}")
    return tuple(shape)


def _vector(shape, layer) -> int:
    if len(shape) != 1:
        raise ValueError(f"{type(layer).__name__} needs a flat (D,) input, got {shape}: add Flatten()")
    return shape[0]


class _Window:
    """Specs with a sliding window: geometry read from their own fields."""

    def geometry(self, in_shape):
        return pair(self.kernel), pair(self.stride), pair(self.padding), pair(self.dilation)


class _Pointwise:
    """Specs that act on each position alone: a 1×1 window that changes no geometry."""

    def geometry(self, in_shape):
        return (1, 1), (1, 1), (0, 0), (1, 1)


class _Flat:
    """Specs without a spatial layout (vectors): no geometry."""

    def geometry(self, in_shape):
        return None


@dataclass(frozen=True)
class Conv(_Window):
    """2-D convolution; ``groups`` for grouped, ``dilation`` for dilated, ``kernel=1`` for 1×1;
    ``table`` lists the input channels of each output channel (a partial connection scheme)."""

    out_channels: int
    kernel: Size
    stride: Size = 1
    padding: Size = 0
    dilation: Size = 1
    groups: int = 1
    bias: bool = True
    table: tuple[tuple[int, ...], ...] | None = None
    name: str = _name()

    def count(self, in_shape):
        shape = _feature_map(in_shape, self)
        geometry = (self.kernel, self.stride, self.padding, self.dilation)
        return Count(
            conv2d_output_shape(shape, self.out_channels, *geometry),
            conv2d_params(shape[0], self.out_channels, self.kernel, self.groups, self.bias, self.table),
            macs=conv2d_macs(shape, self.out_channels, *geometry, self.groups, self.table),
            macs_excluding_padding=conv2d_macs_excluding_padding(shape, self.out_channels, *geometry, self.groups,
                                                                 self.table),
        )


@dataclass(frozen=True)
class DepthwiseConv(_Window):
    """One filter per input channel (``multiplier`` filters each): ``groups = C_in``."""

    kernel: Size
    stride: Size = 1
    padding: Size = 0
    dilation: Size = 1
    multiplier: int = 1
    bias: bool = True
    name: str = _name()

    def count(self, in_shape):
        c = _feature_map(in_shape, self)[0]
        return Conv(c * self.multiplier, self.kernel, self.stride, self.padding, self.dilation, groups=c,
                    bias=self.bias).count(in_shape)


@dataclass(frozen=True)
class SeparableConv(_Window):
    """Depthwise convolution then 1×1 convolution, as one layer (Keras ``SeparableConv2D``)."""

    out_channels: int
    kernel: Size
    stride: Size = 1
    padding: Size = 0
    dilation: Size = 1
    multiplier: int = 1
    bias: bool = True
    name: str = _name()

    def count(self, in_shape):
        shape = _feature_map(in_shape, self)
        geometry = (self.kernel, self.stride, self.padding, self.dilation)
        return Count(
            conv2d_output_shape(shape, self.out_channels, *geometry),
            separable_conv2d_params(shape[0], self.out_channels, self.kernel, self.multiplier, self.bias),
            macs=separable_conv2d_macs(shape, self.out_channels, *geometry, self.multiplier),
            macs_excluding_padding=separable_conv2d_macs_excluding_padding(shape, self.out_channels, *geometry,
                                                                           self.multiplier),
        )


@dataclass(frozen=True)
class LocallyConnected(_Window):
    """A convolution without weight sharing: its own filter (and bias) at every position."""

    out_channels: int
    kernel: Size
    stride: Size = 1
    padding: Size = 0
    dilation: Size = 1
    bias: bool = True
    name: str = _name()

    def count(self, in_shape):
        shape = _feature_map(in_shape, self)
        geometry = (self.kernel, self.stride, self.padding, self.dilation)
        return Count(
            conv2d_output_shape(shape, self.out_channels, *geometry),
            locally_connected2d_params(shape, self.out_channels, *geometry, self.bias),
            macs=locally_connected2d_macs(shape, self.out_channels, *geometry),
            macs_excluding_padding=locally_connected2d_macs_excluding_padding(shape, self.out_channels, *geometry),
        )


@dataclass(frozen=True)
class ConvTranspose(_Window):
    """Transposed convolution (the adjoint of a convolution with the same geometry)."""

    out_channels: int
    kernel: Size
    stride: Size = 1
    padding: Size = 0
    output_padding: Size = 0
    dilation: Size = 1
    groups: int = 1
    bias: bool = True
    name: str = _name()

    def count(self, in_shape):
        shape = _feature_map(in_shape, self)
        geometry = (self.kernel, self.stride, self.padding, self.output_padding, self.dilation)
        return Count(
            conv_transpose2d_output_shape(shape, self.out_channels, *geometry),
            conv_transpose2d_params(shape[0], self.out_channels, self.kernel, self.groups, self.bias),
            macs=conv_transpose2d_macs(shape, self.out_channels, self.kernel, self.groups),
            macs_excluding_padding=conv_transpose2d_macs_excluding_padding(shape, self.out_channels, *geometry,
                                                                           self.groups),
        )


@dataclass(frozen=True)
class _Pool(_Window):
    """Shared code of the pooling windows; ``stride=None`` means the kernel size."""

    kernel: Size
    stride: Size | None = None
    padding: Size = 0
    dilation: Size = 1
    name: str = _name()

    def __post_init__(self):
        if self.stride is None:
            object.__setattr__(self, "stride", self.kernel)

    def count(self, in_shape):
        shape = _feature_map(in_shape, self)
        return Count(conv2d_output_shape(shape, shape[0], self.kernel, self.stride, self.padding, self.dilation))


@dataclass(frozen=True)
class MaxPool(_Pool):
    """Maximum over each window: no parameters, no MACs."""


@dataclass(frozen=True)
class AvgPool(_Pool):
    """Mean over each window: no parameters; its additions are not counted as MACs."""


@dataclass(frozen=True)
class Subsample(_Pool):
    """LeNet-5's subsampling: a window sum times one trainable coefficient, plus one
    trainable bias, per channel. Its MACs are those of the depthwise convolution it
    equals (every tap weighted by the same coefficient): kh·kw per output."""

    bias: bool = True  # always: part of the layer's definition

    def count(self, in_shape):
        out = super().count(in_shape).out_shape
        kh, kw = pair(self.kernel)
        return Count(out, params=2 * out[0], macs=math.prod(out) * kh * kw)


@dataclass(frozen=True)
class GlobalAvgPool:
    """Mean over all positions: ``(C, H, W) -> (C, 1, 1)``."""

    name: str = _name()

    def geometry(self, in_shape):
        _, h, w = in_shape
        return (h, w), (h, w), (0, 0), (1, 1)

    def count(self, in_shape):
        return Count((_feature_map(in_shape, self)[0], 1, 1))


@dataclass(frozen=True)
class AdaptiveAvgPool:
    """PyTorch's adaptive average pooling to a fixed ``output_size``."""

    output_size: Size
    name: str = _name()

    def geometry(self, in_shape):
        """A regular window only when the output size divides the input size."""
        (_, h, w), (oh, ow) = in_shape, pair(self.output_size)
        if h % oh or w % ow:
            return None
        step = (h // oh, w // ow)
        return step, step, (0, 0), (1, 1)

    def count(self, in_shape):
        return Count((_feature_map(in_shape, self)[0], *pair(self.output_size)))


@dataclass(frozen=True)
class BatchNorm(_Pointwise):
    """Per channel: trainable scale and shift; non-trainable running mean and variance."""

    name: str = _name()

    def count(self, in_shape):
        return Count(tuple(in_shape), params=2 * in_shape[0], non_trainable=2 * in_shape[0])


@dataclass(frozen=True)
class LRN(_Pointwise):
    """Local response normalisation across `size` neighbouring channels (AlexNet): no parameters."""

    size: int = 5
    alpha: float = 1e-4
    beta: float = 0.75
    k: float = 2.0
    name: str = _name()

    def count(self, in_shape):
        return Count(tuple(in_shape))


@dataclass(frozen=True)
class _Elementwise(_Pointwise):
    """Shape-preserving layers without parameters."""

    name: str = _name()

    def count(self, in_shape):
        return Count(tuple(in_shape))


@dataclass(frozen=True)
class ReLU(_Elementwise):
    """max(0, x)."""


@dataclass(frozen=True)
class ReLU6(_Elementwise):
    """min(max(0, x), 6) (MobileNets)."""


@dataclass(frozen=True)
class Tanh(_Elementwise):
    """A tanh squashing function (LeNet-5 uses 1.7159·tanh(2a/3))."""


@dataclass(frozen=True)
class Dropout(_Elementwise):
    """Identity at inference."""

    p: float = 0.5


@dataclass(frozen=True)
class Flatten(_Flat):
    """``(C, H, W) -> (C·H·W,)`` in channel-major order."""

    name: str = _name()

    def count(self, in_shape):
        return Count((math.prod(in_shape),))


@dataclass(frozen=True)
class Dense(_Flat):
    """Fully connected layer on a flat vector."""

    units: int
    bias: bool = True
    name: str = _name()

    def count(self, in_shape):
        d = _vector(in_shape, self)
        return Count((self.units,), dense_params(d, self.units, self.bias), macs=dense_macs(d, self.units))


@dataclass(frozen=True)
class RBF(_Flat):
    """LeNet-5's output: Euclidean radial basis units ``sum_j (x_j - w_ij)^2``. Their
    parameter vectors were set by hand and kept fixed, so they count as non-trainable;
    one (subtract, square, add) per parameter counts as one MAC."""

    units: int
    name: str = _name()

    def count(self, in_shape):
        d = _vector(in_shape, self)
        return Count((self.units,), non_trainable=d * self.units, macs=d * self.units)


@dataclass(frozen=True)
class Sequential:
    """Layers in order under one name (a block without a shortcut): no cost of its own."""

    layers: tuple = ()
    name: str = _name()

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))


@dataclass(frozen=True)
class Residual:
    """``main(x) + shortcut(x)``; an empty shortcut is the identity. The addition has no
    parameters and counts zero MACs (additions are not multiply-adds)."""

    main: tuple = ()
    shortcut: tuple = ()
    name: str = _name()

    def __post_init__(self):
        object.__setattr__(self, "main", tuple(self.main))
        object.__setattr__(self, "shortcut", tuple(self.shortcut))


# --- walking a network -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One layer of a walked network. Geometry fields are ``(h, w)`` pairs, or None for
    layers without a regular spatial window (dense, flatten, uneven adaptive pooling)."""

    name: str
    kind: str
    spec: Any
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    kernel: Pair | None
    stride: Pair | None
    padding: Pair | None
    dilation: Pair | None
    params: int
    non_trainable: int
    macs: int
    macs_excluding_padding: int


@dataclass(frozen=True)
class Totals:
    """Sums over rows. ``total`` is trainable + non-trainable, Keras's "Total params"."""

    params: int
    non_trainable: int
    macs: int
    macs_excluding_padding: int
    out_shape: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.params + self.non_trainable


def walk(layers, input_shape, prefix: str = "") -> list[Row]:
    """One `Row` per layer, in order, feeding each layer's output shape to the next.

    A `Sequential` contributes its layers' rows, named ``block.layer``; a `Residual` its
    main-path rows, its shortcut rows (``block.shortcut.layer``) and a final ``Add`` row.
    Unnamed layers are named by their position, like ``torch.nn.Sequential``."""
    rows, shape = [], tuple(input_shape)
    for index, layer in enumerate(layers):
        name = prefix + (layer.name or str(index))
        if isinstance(layer, Sequential):
            new = walk(layer.layers, shape, f"{name}.")
        elif isinstance(layer, Residual):
            new = _residual_rows(layer, shape, name)
        else:
            new = [_row(layer, shape, name)]
        rows += new
        shape = new[-1].out_shape if new else shape
    return rows


def _row(layer, shape, name) -> Row:
    count = layer.count(shape)
    geometry = layer.geometry(shape) or (None,) * 4
    exact = count.macs if count.macs_excluding_padding is None else count.macs_excluding_padding
    return Row(name, type(layer).__name__, layer, shape, tuple(count.out_shape), *geometry,
               count.params, count.non_trainable, count.macs, exact)


def _residual_rows(block: Residual, shape, name) -> list[Row]:
    main = walk(block.main, shape, f"{name}.")
    shortcut = walk(block.shortcut, shape, f"{name}.shortcut.")
    out = main[-1].out_shape if main else shape
    other = shortcut[-1].out_shape if shortcut else shape
    if out != other:
        raise ValueError(f"{name}: cannot add {out} and {other}")
    add = Row(f"{name}.add", "Add", block, out, out, (1, 1), (1, 1), (0, 0), (1, 1), 0, 0, 0, 0)
    return main + shortcut + [add]


def totals(rows) -> Totals:
    """Add up parameters and MACs of walked rows; the output shape is the last row's."""
    return Totals(
        params=sum(r.params for r in rows),
        non_trainable=sum(r.non_trainable for r in rows),
        macs=sum(r.macs for r in rows),
        macs_excluding_padding=sum(r.macs_excluding_padding for r in rows),
        out_shape=rows[-1].out_shape,
    )


def summarize(layers, input_shape) -> Totals:
    """`totals` of `walk`: the whole network in one call."""
    return totals(walk(layers, input_shape))


def as_table(rows) -> list[dict]:
    """Rows as a snippet table value: a list of dicts with the same keys."""
    return [{"layer": r.name, "type": r.kind, "output": r.out_shape, "params": r.params,
             "non_trainable": r.non_trainable, "macs": r.macs} for r in rows]
