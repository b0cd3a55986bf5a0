"""Real networks as lists of layer specs.

Each function returns the layers of one network for `accounting.walk`; `INPUT` gives the
input shape each was published with, `NAMES` how tables and figures print it. Layer
names follow the paper or the framework the counts are compared with (``conv5_3``,
``layer4.2.conv3``, ``conv_dw_13``...); the totals the publishers state are in
`published_totals`. The frameworks build some networks differently:

- Keras ResNet50 convolutions have biases (Caffe-era v1 design, stride in the first 1×1
  of a bottleneck); torchvision's have none (stride in the 3×3, "v1.5").
- Keras MobileNet (v1) convolutions have no biases; its classifier is a 1×1
  convolution with bias on the pooled features, which counts like a dense layer.

The TensorFlow-slim variants at the end ('SAME' padding, strides where TF-slim puts
them) serve the receptive fields that TF-slim publishes.
"""
from __future__ import annotations

from snippets.lib.formulas import conv_output_size, same_padding
from snippets.lib.specs import (
    AdaptiveAvgPoolSpec, BatchNormSpec, ConvSpec, DenseSpec, DepthwiseConvSpec, DropoutSpec,
    FlattenSpec, GlobalAvgPoolSpec, LRNSpec, MaxPoolSpec, RBFSpec, ReLU6Spec, ReLUSpec,
    ResidualSpec, SequentialSpec, SubsampleSpec, TanhSpec, ZeroPadSpec,
)

INPUT = {
    "lenet5": (1, 32, 32),
    "alexnet_2012": (3, 227, 227),  # 55 positions with no padding and the floor; the paper's 224 gives
    # 55 with cuda-convnet's ceiling (or the floor and 2 pixels of padding), which these specs do not model
    "alexnet_torchvision": (3, 224, 224),
    "vgg16": (3, 224, 224),
    "resnet18": (3, 224, 224),
    "resnet50": (3, 224, 224),
    "mobilenet_v1": (3, 224, 224),
    "mobilenet_v2": (3, 224, 224),
}

CLASSES = 1000


# --- builders ----------------------------------------------------------------------------


def conv_bn_relu(out_channels, kernel, stride=1, *, name, bias=False, act=ReLUSpec, relu=True):
    """Convolution (padding ``kernel // 2``), batch norm and, unless ``relu=False``, the
    activation `act`; named ``conv{name}``, ``bn{name}``, ``relu{name}``."""
    layers = [ConvSpec(out_channels, kernel, stride, padding=kernel // 2, bias=bias, name=f"conv{name}"),
              BatchNormSpec(name=f"bn{name}")]
    return layers + [act(name=f"relu{name}")] if relu else layers


def dense_relu_dropout(units, *, name, p=0.5):
    """A hidden fully connected layer of AlexNet and VGG."""
    return [DenseSpec(units, name=name), ReLUSpec(name=f"{name}.relu"), DropoutSpec(p, name=f"{name}.drop")]


def residual(main, shortcut, *, name, act=ReLUSpec):
    """A residual block followed by its activation on the sum."""
    return [ResidualSpec(main, shortcut, name=name), act(name=f"{name}.relu")]


def projection(out_channels, stride, bias=False):
    """torchvision's ``downsample``: a 1×1 convolution and batch norm on the shortcut."""
    return [ConvSpec(out_channels, 1, stride, bias=bias, name="downsample.0"), BatchNormSpec(name="downsample.1")]


# --- LeNet-5 -----------------------------------------------------------------------------

# Table I of LeCun et al. (1998): the S2 maps (0-5) each C3 map (0-15) reads. Six maps
# read 3 neighbours, six read 4 neighbours, three read 4 non-neighbours, one reads all.
C3_TABLE = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


def lenet5():
    """LeNet-5 (LeCun, Bottou, Bengio, Haffner 1998) on a 32×32 image: every unit up to
    F6 squashes its weighted sum; the output is 10 fixed Euclidean RBFSpec units."""
    return [
        ConvSpec(6, 5, name="C1"), TanhSpec(name="C1.act"),
        SubsampleSpec(2, name="S2"), TanhSpec(name="S2.act"),
        ConvSpec(16, 5, table=C3_TABLE, name="C3"), TanhSpec(name="C3.act"),
        SubsampleSpec(2, name="S4"), TanhSpec(name="S4.act"),
        ConvSpec(120, 5, name="C5"), TanhSpec(name="C5.act"),
        FlattenSpec(name="flatten"),
        DenseSpec(84, name="F6"), TanhSpec(name="F6.act"),
        RBFSpec(10, name="output"),
    ]


# --- AlexNet -----------------------------------------------------------------------------


def alexnet_2012():
    """AlexNet as trained on two GPUs (Krizhevsky, Sutskever, Hinton 2012), on a 227×227
    input: conv2, conv4 and conv5 see only their own GPU's half of the channels
    (``groups=2``); conv1 and conv3 see all. Response normalisation follows conv1 and
    conv2, before pooling."""
    return [
        ConvSpec(96, 11, 4, name="conv1"), ReLUSpec(name="relu1"), LRNSpec(name="norm1"), MaxPoolSpec(3, 2, name="pool1"),
        ConvSpec(256, 5, padding=2, groups=2, name="conv2"), ReLUSpec(name="relu2"), LRNSpec(name="norm2"),
        MaxPoolSpec(3, 2, name="pool2"),
        ConvSpec(384, 3, padding=1, name="conv3"), ReLUSpec(name="relu3"),
        ConvSpec(384, 3, padding=1, groups=2, name="conv4"), ReLUSpec(name="relu4"),
        ConvSpec(256, 3, padding=1, groups=2, name="conv5"), ReLUSpec(name="relu5"), MaxPoolSpec(3, 2, name="pool5"),
        FlattenSpec(name="flatten"),
        *dense_relu_dropout(4096, name="fc6"), *dense_relu_dropout(4096, name="fc7"),
        DenseSpec(CLASSES, name="fc8"),
    ]


def alexnet_torchvision():
    """torchvision's ``alexnet`` ("one weird trick", Krizhevsky 2014): one tower of
    64/192/384/256/256 filters, no LRNSpec, adaptive average pooling to 6×6."""
    return [
        ConvSpec(64, 11, 4, padding=2, name="features.0"), ReLUSpec(name="features.1"), MaxPoolSpec(3, 2, name="features.2"),
        ConvSpec(192, 5, padding=2, name="features.3"), ReLUSpec(name="features.4"), MaxPoolSpec(3, 2, name="features.5"),
        ConvSpec(384, 3, padding=1, name="features.6"), ReLUSpec(name="features.7"),
        ConvSpec(256, 3, padding=1, name="features.8"), ReLUSpec(name="features.9"),
        ConvSpec(256, 3, padding=1, name="features.10"), ReLUSpec(name="features.11"), MaxPoolSpec(3, 2, name="features.12"),
        AdaptiveAvgPoolSpec(6, name="avgpool"), FlattenSpec(name="flatten"),
        DropoutSpec(name="classifier.0"), DenseSpec(4096, name="classifier.1"), ReLUSpec(name="classifier.2"),
        DropoutSpec(name="classifier.3"), DenseSpec(4096, name="classifier.4"), ReLUSpec(name="classifier.5"),
        DenseSpec(CLASSES, name="classifier.6"),
    ]


# --- VGG-16 ------------------------------------------------------------------------------

VGG16_STAGES = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))  # (filters, 3×3 convolutions)


def vgg16():
    """VGG-16, configuration D (Simonyan and Zisserman 2014), as torchvision builds it
    (the 7×7 adaptive pooling is the identity on a 224×224 input; Keras omits it)."""
    layers = []
    for stage, (filters, convs) in enumerate(VGG16_STAGES, 1):
        for i in range(1, convs + 1):
            layers += [ConvSpec(filters, 3, padding=1, name=f"conv{stage}_{i}"), ReLUSpec(name=f"relu{stage}_{i}")]
        layers.append(MaxPoolSpec(2, name=f"pool{stage}"))
    return layers + [
        AdaptiveAvgPoolSpec(7, name="avgpool"), FlattenSpec(name="flatten"),
        *dense_relu_dropout(4096, name="fc6"), *dense_relu_dropout(4096, name="fc7"),
        DenseSpec(CLASSES, name="fc8"),
    ]


# --- ResNets -----------------------------------------------------------------------------


def basic_block(in_channels, out_channels, stride, *, name):
    """Two 3×3 convolutions (ResNet-18/34); a projection shortcut when the shape changes."""
    main = conv_bn_relu(out_channels, 3, stride, name="1") + conv_bn_relu(out_channels, 3, name="2", relu=False)
    changes = stride != 1 or in_channels != out_channels
    return residual(main, projection(out_channels, stride) if changes else [], name=name)


def bottleneck(in_channels, width, stride, *, name, stride_on="3x3", bias=False):
    """1×1 reduce, 3×3, 1×1 expand to ``4·width`` (ResNet-50). ``stride_on="3x3"`` is
    torchvision's "v1.5"; ``"1x1"`` puts it on the first 1×1 convolution, as the original
    Caffe model and Keras do. ``bias`` gives every convolution a bias (Keras)."""
    if stride_on not in ("1x1", "3x3"):
        raise ValueError("stride_on is '1x1' or '3x3'")
    out = 4 * width
    first, middle = (stride, 1) if stride_on == "1x1" else (1, stride)
    main = (conv_bn_relu(width, 1, first, name="1", bias=bias) + conv_bn_relu(width, 3, middle, name="2", bias=bias)
            + conv_bn_relu(out, 1, name="3", bias=bias, relu=False))
    changes = stride != 1 or in_channels != out
    return residual(main, projection(out, stride, bias) if changes else [], name=name)


def resnet_stem(bias=False):
    """7×7 stride-2 convolution, batch norm, ReLUSpec, 3×3 stride-2 max pooling: 224 -> 56."""
    return [ConvSpec(64, 7, 2, padding=3, bias=bias, name="conv1"), BatchNormSpec(name="bn1"), ReLUSpec(name="relu"),
            MaxPoolSpec(3, 2, padding=1, name="maxpool")]


def resnet_head():
    """Global average pooling and the 1000-way classifier."""
    return [GlobalAvgPoolSpec(name="avgpool"), FlattenSpec(name="flatten"), DenseSpec(CLASSES, name="fc")]


def resnet18():
    """ResNet-18 (He et al. 2015) as torchvision builds it: no convolution biases."""
    layers, channels = resnet_stem(), 64
    for stage, out in enumerate((64, 128, 256, 512), 1):
        for i in range(2):
            stride = 2 if stage > 1 and i == 0 else 1
            layers += basic_block(channels, out, stride, name=f"layer{stage}.{i}")
            channels = out
    return layers + resnet_head()


RESNET50_STAGES = ((64, 3), (128, 4), (256, 6), (512, 3))  # (bottleneck width, blocks)


def resnet50(stride_on="3x3", bias=False):
    """ResNet-50. Defaults: torchvision (stride in the 3×3, no conv biases).
    ``resnet50("1x1")`` is the original Caffe placement; ``resnet50("1x1", bias=True)``
    is Keras ``ResNet50``. TF-slim's ``resnet_v1_50`` differs again (stride in the 3×3 of
    the last block of a stage): see `resnet_v1_50_slim`."""
    layers, channels = resnet_stem(bias), 64
    for stage, (width, blocks) in enumerate(RESNET50_STAGES, 1):
        for i in range(blocks):
            stride = 2 if stage > 1 and i == 0 else 1
            layers += bottleneck(channels, width, stride, name=f"layer{stage}.{i}", stride_on=stride_on, bias=bias)
            channels = 4 * width
    return layers + resnet_head()


# --- MobileNets --------------------------------------------------------------------------

# MobileNet V1 (Howard et al. 2017, Table 1): (pointwise filters, depthwise stride).
MOBILENET_V1_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
                       (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


def depthwise_separable(out_channels, stride, *, name):
    """MobileNet V1 block: 3×3 depthwise, BN, ReLU6Spec, 1×1 pointwise, BN, ReLU6Spec (no biases)."""
    return [DepthwiseConvSpec(3, stride, padding=1, bias=False, name=f"conv_dw_{name}"),
            BatchNormSpec(name=f"conv_dw_{name}_bn"), ReLU6Spec(name=f"conv_dw_{name}_relu"),
            ConvSpec(out_channels, 1, bias=False, name=f"conv_pw_{name}"),
            BatchNormSpec(name=f"conv_pw_{name}_bn"), ReLU6Spec(name=f"conv_pw_{name}_relu")]


def mobilenet_v1():
    """MobileNet V1 1.0-224 as Keras builds it: the classifier is a 1×1 convolution with
    bias on the globally pooled features (the paper's fully connected layer). Keras pads
    its stride-2 convolutions by (0, 1) instead of (1, 1): the same shapes and counts,
    windows shifted by one pixel."""
    layers = [ConvSpec(32, 3, 2, padding=1, bias=False, name="conv1"), BatchNormSpec(name="conv1_bn"),
              ReLU6Spec(name="conv1_relu")]
    for block, (out, stride) in enumerate(MOBILENET_V1_BLOCKS, 1):
        layers += depthwise_separable(out, stride, name=block)
    return layers + [GlobalAvgPoolSpec(name="global_pool"), DropoutSpec(1e-3, name="dropout"),
                     ConvSpec(CLASSES, 1, name="conv_preds"), FlattenSpec(name="reshape_2")]


# MobileNet V2 (Sandler et al. 2018, Table 2): (expansion t, channels c, repeats n, stride s).
MOBILENET_V2_SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                         (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))


def inverted_residual(in_channels, out_channels, stride, expansion, *, name):
    """1×1 expansion (omitted when t = 1), 3×3 depthwise, linear 1×1 projection; the
    input is added back when stride is 1 and the channel count is unchanged."""
    hidden = in_channels * expansion
    expand = [] if expansion == 1 else conv_bn_relu(hidden, 1, name="_expand", act=ReLU6Spec)
    layers = expand + [
        DepthwiseConvSpec(3, stride, padding=1, bias=False, name="conv_depthwise"), BatchNormSpec(name="bn_depthwise"),
        ReLU6Spec(name="relu_depthwise"),
        ConvSpec(out_channels, 1, bias=False, name="conv_project"), BatchNormSpec(name="bn_project"),
    ]
    if stride == 1 and in_channels == out_channels:
        return [ResidualSpec(layers, name=name)]
    return [SequentialSpec(layers, name=name)]


def mobilenet_v2():
    """MobileNet V2 1.0-224 as torchvision builds it (Keras has the same layers)."""
    layers, channels = conv_bn_relu(32, 3, 2, name="_stem", act=ReLU6Spec), 32
    block = 0
    for expansion, out, repeats, stride in MOBILENET_V2_SETTINGS:
        for i in range(repeats):
            block += 1
            layers += inverted_residual(channels, out, stride if i == 0 else 1, expansion, name=f"block{block}")
            channels = out
    return layers + conv_bn_relu(1280, 1, name="_last", act=ReLU6Spec) + [
        GlobalAvgPoolSpec(name="avgpool"), FlattenSpec(name="flatten"), DropoutSpec(0.2, name="dropout"),
        DenseSpec(CLASSES, name="classifier"),
    ]


# Display names, as the per-layer tables and figures print them.
NAMES = {
    "lenet5": "LeNet-5", "alexnet_2012": "AlexNet (2012)", "alexnet_torchvision": "AlexNet (torchvision)",
    "vgg16": "VGG-16", "resnet18": "ResNet-18", "resnet50": "ResNet-50",
    "mobilenet_v1": "MobileNet V1", "mobilenet_v2": "MobileNet V2",
}

NETWORKS = {
    "lenet5": lenet5, "alexnet_2012": alexnet_2012, "alexnet_torchvision": alexnet_torchvision, "vgg16": vgg16,
    "resnet18": resnet18, "resnet50": resnet50, "mobilenet_v1": mobilenet_v1, "mobilenet_v2": mobilenet_v2,
}


# --- TensorFlow-slim variants (receptive fields) ------------------------------------------


def same(layer_type, size, kernel, stride, *args, name, **kwargs):
    """A window layer with TensorFlow 'SAME' padding on a ``size``-pixel input: symmetric
    padding when it splits evenly, else a `ZeroPadSpec` with the extra pixel after."""
    before, after = same_padding(size, kernel, stride)
    if before == after:
        return [layer_type(*args, kernel, stride, padding=before, name=name, **kwargs)]
    return [ZeroPadSpec((before, before), (after, after), name=f"{name}_pad"),
            layer_type(*args, kernel, stride, name=name, **kwargs)]


def slim_bottleneck(in_channels, width, stride, *, name):
    """TF-slim ``resnet_v1`` bottleneck: the stride on the 3×3 (explicitly padded by one
    pixel, ``conv2d_same``); the shortcut a 1×1 projection when the depth changes, else a
    1×1 stride-``stride`` subsampling (``subsample``) or the identity."""
    out = 4 * width
    main = (conv_bn_relu(width, 1, name="1") + conv_bn_relu(width, 3, stride, name="2")
            + conv_bn_relu(out, 1, name="3", relu=False))
    if in_channels != out:
        shortcut = projection(out, stride)
    else:
        shortcut = [MaxPoolSpec(1, stride, name="subsample")] if stride > 1 else []
    return residual(main, shortcut, name=name)


def resnet_v1_50_slim(size=224):
    """TF-slim's ``resnet_v1_50`` up to ``block4`` (its receptive-field end-point): the
    stride of blocks 1-3 sits in the LAST unit (``resnet_v1_block``), and ``pool1`` is a
    3×3 stride-2 'SAME' max pooling (its padding depends on the input size)."""
    layers = [ConvSpec(64, 7, 2, padding=3, bias=False, name="conv1"), BatchNormSpec(name="bn1"), ReLUSpec(name="relu")]
    layers += same(MaxPoolSpec, conv_output_size(size, 7, 2, 3), 3, 2, name="pool1")
    channels = 64
    for block, ((width, units), stride) in enumerate(zip(RESNET50_STAGES, (2, 2, 2, 1)), 1):
        for unit in range(1, units + 1):
            layers += slim_bottleneck(channels, width, stride if unit == units else 1,
                                      name=f"block{block}.unit_{unit}")
            channels = 4 * width
    return layers


def mobilenet_v1_same(size=224):
    """MobileNet V1 with TensorFlow 'SAME' padding (TF-slim ``mobilenet_v1``, and Keras,
    which pads its stride-2 layers (0, 1)), up to ``Conv2d_13_pointwise``."""
    layers = same(ConvSpec, size, 3, 2, 32, bias=False, name="conv1") + [BatchNormSpec(name="conv1_bn"),
                                                                        ReLU6Spec(name="conv1_relu")]
    size = -(-size // 2)
    for block, (out, stride) in enumerate(MOBILENET_V1_BLOCKS, 1):
        layers += same(DepthwiseConvSpec, size, 3, stride, bias=False, name=f"conv_dw_{block}")
        layers += [BatchNormSpec(name=f"conv_dw_{block}_bn"), ReLU6Spec(name=f"conv_dw_{block}_relu"),
                   ConvSpec(out, 1, bias=False, name=f"conv_pw_{block}"), BatchNormSpec(name=f"conv_pw_{block}_bn"),
                   ReLU6Spec(name=f"conv_pw_{block}_relu")]
        size = -(-size // stride)
    return layers
