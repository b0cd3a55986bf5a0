"""The layer tables of the papers and frameworks, written out here without the site's
closed forms: LeNet-5's per-layer counts as LeCun et al. (1998, section II.B) list them,
AlexNet's kernels (Krizhevsky et al. 2012, section 3.5) placed window by window on the
padded input and their products counted (nothing from `snippets/`: these tables check
the site's layers and formulas, so they must not use them), and closed forms per block
written out from the tables of VGG-16, ResNet and MobileNet (see tests/arch/test_layers.py
for the sources)."""
from functools import cache


# LeCun et al. 1998, section II.B: (output H×W×C, trainable parameters, connections).
LENET = {"C1": ((28, 28, 6), 156, 122_304), "S2": ((14, 14, 6), 12, 5_880), "C3": ((10, 10, 16), 1_516, 151_600),
         "S4": ((5, 5, 16), 32, 2_000), "C5": ((1, 1, 120), 48_120, 48_120), "F6": ((84,), 10_164, 10_164)}


def starts(size, kernel, stride, padding=0):
    """Where each window begins on the padded axis, found by sliding until it leaves it."""
    found, start = [], 0
    while start + kernel <= size + 2 * padding:
        found.append(start)
        start += stride
    return found


def ones_conv(in_shape, kernel, c_out, stride=1, padding=0, groups=1):
    """(output H×W×C, multiply-adds) of a convolution, its products counted window by
    window: each window multiplies kernel² taps (padding included) by the input channels
    of its group, for every output channel."""
    c, h, w = in_shape
    rows, cols = starts(h, kernel, stride, padding), starts(w, kernel, stride, padding)
    products = 0
    for _ in rows:
        for _ in cols:
            for _ in range(c_out):
                products += kernel * kernel * (c // groups)
    return (len(rows), len(cols), c_out), products


def pooled(shape, size=3, stride=2):
    h, w, c = shape
    return len(starts(h, size, stride)), len(starts(w, size, stride)), c


def dense(d_in, d_out):
    return (d_out,), d_in * d_out + d_out, 0, d_in * d_out


def alexnet_rows(kernels, first_padding, pools, image):
    """Rows of an AlexNet from its kernels [(name, c_out, k, groups)] run on ones."""
    expected, shape = {}, image
    for index, (name, c_out, k, groups) in enumerate(kernels):
        padding = first_padding if index == 0 else k // 2
        out, macs = ones_conv((shape[2], shape[0], shape[1]), k, c_out, 4 if index == 0 else 1, padding, groups)
        expected[name] = (out, c_out * (shape[2] // groups) * k * k + c_out, 0, macs)
        shape = out
        if name in pools:
            shape = pooled(shape)
            expected[pools[name]] = (shape, 0, 0, 0)
    return expected, shape


@cache
def alexnet_2012():
    # Krizhevsky et al. 2012, section 3.5: kernel counts and sizes; conv2, conv4, conv5 see
    # only the maps on their own GPU (two groups). 227 is the input size that gives 55.
    kernels = [("conv1", 96, 11, 1), ("conv2", 256, 5, 2), ("conv3", 384, 3, 1), ("conv4", 384, 3, 2),
               ("conv5", 256, 3, 2)]
    expected, shape = alexnet_rows(kernels, 0, {"conv1": "pool1", "conv2": "pool2", "conv5": "pool5"}, (227, 227, 3))
    flat = shape[0] * shape[1] * shape[2]
    return expected | {"fc6": dense(flat, 4096), "fc7": dense(4096, 4096), "fc8": dense(4096, 1000)}


def vgg16_rows():
    """Simonyan and Zisserman 2014, Table 1, configuration D: conv3-64 ×2, conv3-128 ×2,
    conv3-256 ×3, conv3-512 ×3, conv3-512 ×3, each stage followed by a 2×2 max pool."""
    expected, size, c_in = {}, 224, 3
    for stage, (c, n) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], 1):
        for i in range(1, n + 1):
            expected[f"conv{stage}_{i}"] = ((size, size, c), 9 * c_in * c + c, 0, size * size * 9 * c_in * c)
            c_in = c
        size //= 2
        expected[f"pool{stage}"] = ((size, size, c), 0, 0, 0)
    expected["avgpool"] = ((7, 7, 512), 0, 0, 0)
    return expected | {"fc6": dense(7 * 7 * 512, 4096), "fc7": dense(4096, 4096), "fc8": dense(4096, 1000)}


def bn(c):
    """(trainable, non-trainable) of a batch norm over c channels."""
    return 2 * c, 2 * c


def conv_cost(c_in, c_out, k, size_out):
    """(weights, multiply-adds) of a bias-free k×k convolution with a size_out² output."""
    return k * k * c_in * c_out, size_out * size_out * k * k * c_in * c_out


def block(convs, size_out, c_out, projection=None):
    """A block's row from its convolutions [(c_in, c_out, k, size_out)], each with a batch norm."""
    parts = convs + ([projection] if projection else [])
    params = sum(conv_cost(*p)[0] + bn(p[1])[0] for p in parts)
    fixed = sum(bn(p[1])[1] for p in parts)
    return (size_out, size_out, c_out), params, fixed, sum(conv_cost(*p)[1] for p in parts)


def resnet_stem():
    weights, macs = conv_cost(3, 64, 7, 112)
    return {"conv1": ((112, 112, 64), weights, 0, macs), "bn1": ((112, 112, 64), *bn(64), 0),
            "maxpool": ((56, 56, 64), 0, 0, 0)}


def resnet_rows(blocks_per_stage, make_block, width_out):
    """Stem, blocks layer{stage}.{i} (stride 2 in the first block of stages 2-4), head."""
    expected, c_in, size = resnet_stem(), 64, 56
    for stage, n in enumerate(blocks_per_stage, 1):
        for i in range(n):
            stride = 2 if stage > 1 and i == 0 else 1
            expected[f"layer{stage}.{i}"] = make_block(c_in, 64 * 2 ** (stage - 1), size // stride, stride)
            c_in, size = width_out(64 * 2 ** (stage - 1)), size // stride
    return expected | {"avgpool": ((1, 1, c_in), 0, 0, 0), "fc": dense(c_in, 1000)}


def basic(c_in, c, size, stride):
    projection = (c_in, c, 1, size) if stride > 1 or c_in != c else None
    return block([(c_in, c, 3, size), (c, c, 3, size)], size, c, projection)


def bottleneck(c_in, width, size, stride):
    # torchvision ("v1.5"): the stride is on the 3×3; the first 1×1 runs at the input size.
    out = 4 * width
    first = block([(c_in, width, 1, size * stride)], size, width)
    rest = block([(width, width, 3, size), (width, out, 1, size)], size, out,
                 (c_in, out, 1, size) if stride > 1 or c_in != out else None)
    return rest[0], first[1] + rest[1], first[2] + rest[2], first[3] + rest[3]


def depthwise(c, size_out):
    """(weights, multiply-adds) of a bias-free 3×3 depthwise convolution."""
    return 9 * c, size_out * size_out * 9 * c


def separable(c_in, c_out, size_out):
    dw, dw_macs = depthwise(c_in, size_out)
    pw, pw_macs = conv_cost(c_in, c_out, 1, size_out)
    return (size_out, size_out, c_out), dw + pw + bn(c_in)[0] + bn(c_out)[0], bn(c_in)[1] + bn(c_out)[1], \
        dw_macs + pw_macs


def stem(names, size=112, c=32):
    weights, macs = conv_cost(3, c, 3, size)
    return {names[0]: ((size, size, c), weights, 0, macs), names[1]: ((size, size, c), *bn(c), 0)}


def inverted_residual(c_in, c_out, t, size_in, stride):
    hidden, size = c_in * t, size_in // stride
    expand = conv_cost(c_in, hidden, 1, size_in) if t > 1 else (0, 0)
    dw, project = depthwise(hidden, size), conv_cost(hidden, c_out, 1, size)
    norms = ([hidden] if t > 1 else []) + [hidden, c_out]
    params = expand[0] + dw[0] + project[0] + sum(bn(c)[0] for c in norms)
    return (size, size, c_out), params, sum(bn(c)[1] for c in norms), expand[1] + dw[1] + project[1]
