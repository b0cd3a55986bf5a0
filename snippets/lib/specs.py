"""Layer specifications: what a layer is, not how it runs.

Small frozen dataclasses describe layers by their hyperparameters (`ConvSpec`,
`DenseSpec`, `MaxPoolSpec`, `BatchNormSpec`, `ResidualSpec`, ...); the `Spec` suffix
keeps them apart from the trainable layers of `nets` (`nets.Conv` has weights; a
`ConvSpec` only counts them). Each spec has `count(in_shape)`, a `Count` of its output
shape, parameters and multiply-adds from the closed forms of `formulas`, and
`geometry(in_shape)`, its window as ``(kernel, stride, padding, dilation)`` pairs, or
None for layers without a spatial layout. `accounting.walk` goes through a network.

Non-trainable parameters are batch normalisation's running mean and variance, which
Keras lists as "Non-trainable params" and torchvision keeps as buffers outside
``num_params``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from snippets.lib.formulas import (Size, conv2d_macs, conv2d_macs_excluding_padding, conv2d_output_shape, conv2d_params, dense_macs, dense_params, locally_connected2d_macs, locally_connected2d_macs_excluding_padding, locally_connected2d_params, pair)


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
        raise ValueError(f"{kind(layer)} needs a (C, H, W) input, got {shape}")
    return tuple(shape)


def _vector(shape, layer) -> int:
    if len(shape) != 1:
        raise ValueError(f"{kind(layer)} needs a flat (D,) input, got {shape}: add a FlattenSpec()")
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
class ConvSpec(_Window):
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
class DepthwiseConvSpec(_Window):
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
        return ConvSpec(c * self.multiplier, self.kernel, self.stride, self.padding, self.dilation, groups=c,
                    bias=self.bias).count(in_shape)


@dataclass(frozen=True)
class LocallyConnectedSpec(_Window):
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
class MaxPoolSpec(_Pool):
    """Maximum over each window: no parameters, no MACs."""


@dataclass(frozen=True)
class AvgPoolSpec(_Pool):
    """Mean over each window: no parameters; its additions are not counted as MACs."""


@dataclass(frozen=True)
class SubsampleSpec(_Pool):
    """LeNet-5's subsampling: a window sum times one trainable coefficient, plus one
    trainable bias, per channel. Its MACs are those of the depthwise convolution it
    equals (every tap weighted by the same coefficient): kh·kw per output."""

    bias: bool = True  # always: part of the layer's definition

    def count(self, in_shape):
        out = super().count(in_shape).out_shape
        kh, kw = pair(self.kernel)
        return Count(out, params=2 * out[0], macs=math.prod(out) * kh * kw)


@dataclass(frozen=True)
class GlobalAvgPoolSpec:
    """Mean over all positions: ``(C, H, W) -> (C, 1, 1)``."""

    name: str = _name()

    def geometry(self, in_shape):
        _, h, w = in_shape
        return (h, w), (h, w), (0, 0), (1, 1)

    def count(self, in_shape):
        return Count((_feature_map(in_shape, self)[0], 1, 1))


@dataclass(frozen=True)
class AdaptiveAvgPoolSpec:
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
class BatchNormSpec(_Pointwise):
    """Per channel: trainable scale and shift; non-trainable running mean and variance."""

    name: str = _name()

    def count(self, in_shape):
        return Count(tuple(in_shape), params=2 * in_shape[0], non_trainable=2 * in_shape[0])


@dataclass(frozen=True)
class LRNSpec(_Pointwise):
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
class ReLUSpec(_Elementwise):
    """max(0, x)."""


@dataclass(frozen=True)
class ReLU6Spec(_Elementwise):
    """min(max(0, x), 6) (MobileNets)."""


@dataclass(frozen=True)
class TanhSpec(_Elementwise):
    """A tanh squashing function (LeNet-5 uses 1.7159·tanh(2a/3))."""


@dataclass(frozen=True)
class DropoutSpec(_Elementwise):
    """Identity at inference."""

    p: float = 0.5


@dataclass(frozen=True)
class FlattenSpec(_Flat):
    """``(C, H, W) -> (C·H·W,)`` in channel-major order."""

    name: str = _name()

    def count(self, in_shape):
        return Count((math.prod(in_shape),))


@dataclass(frozen=True)
class DenseSpec(_Flat):
    """Fully connected layer on a flat vector."""

    units: int
    bias: bool = True
    name: str = _name()

    def count(self, in_shape):
        d = _vector(in_shape, self)
        return Count((self.units,), dense_params(d, self.units, self.bias), macs=dense_macs(d, self.units))


@dataclass(frozen=True)
class RBFSpec(_Flat):
    """LeNet-5's output: Euclidean radial basis units ``sum_j (x_j - w_ij)^2``. Their
    parameter vectors were set by hand and kept fixed, so they count as non-trainable;
    one (subtract, square, add) per parameter counts as one MAC."""

    units: int
    name: str = _name()

    def count(self, in_shape):
        d = _vector(in_shape, self)
        return Count((self.units,), non_trainable=d * self.units, macs=d * self.units)


@dataclass(frozen=True)
class SequentialSpec:
    """Layers in order under one name (a block without a shortcut): no cost of its own."""

    layers: tuple = ()
    name: str = _name()

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))


@dataclass(frozen=True)
class ResidualSpec:
    """``main(x) + shortcut(x)``; an empty shortcut is the identity. The addition has no
    parameters and counts zero MACs (additions are not multiply-adds)."""

    main: tuple = ()
    shortcut: tuple = ()
    name: str = _name()

    def __post_init__(self):
        object.__setattr__(self, "main", tuple(self.main))
        object.__setattr__(self, "shortcut", tuple(self.shortcut))


@dataclass(frozen=True)
class ZeroPadSpec:
    """Zeros added before and after the rows and columns, ``(h, w)`` pairs each (Keras
    ``ZeroPadding2D``; what TensorFlow's 'SAME' adds around a window layer). Its geometry
    is a 1×1 window whose padding is the part added before."""

    before: tuple = (0, 0)
    after: tuple = (0, 0)
    name: str = ""

    def geometry(self, in_shape):
        return (1, 1), (1, 1), pair(self.before), (1, 1)

    def count(self, in_shape):
        c, h, w = in_shape
        (bh, bw), (ah, aw) = pair(self.before), pair(self.after)
        return Count((c, h + bh + ah, w + bw + aw))


def kind(layer):
    """A layer's kind as tables print it: its spec's name without the suffix ('Conv')."""
    return type(layer).__name__.removesuffix("Spec")
