"""Shared by the equivariance snippets: digits on a canvas and the downsampling stages
whose symmetry the page measures."""
from snippets.lib import digits, nets

CANVAS = 12  # scikit-learn's 8×8 digits, centred on a 12×12 canvas
WIDTHS = (8, 16)  # channels of the two stages; each halves the resolution
EFFECTIVE_STRIDE = 2 ** len(WIDTHS)
DOWNSAMPLING = ("max pooling", "max pooling + blur", "strided convolution", "strided convolution + blur")


def on_canvas(images):
    """Each 8×8 digit in the middle of an empty CANVAS×CANVAS image, as an NCHW batch."""
    return digits.paste(images, digits.positions("centred", len(images), CANVAS, rng=None), CANVAS)


def stage(kind, c_in, c_out, rng):
    """A 3×3 convolution and ReLU that halve the resolution in the way `kind` names. The
    anti-aliased kinds blur before they subsample: Zhang's MaxBlurPool and ConvBlurPool."""
    stride = 2 if kind == "strided convolution" else 1
    conv = nets.Conv(c_in, c_out, 3, rng, stride=stride, padding=1, padding_mode="circular")
    downsample = {
        "max pooling": [nets.WindowMax(), nets.Subsample()],
        "max pooling + blur": [nets.WindowMax(), nets.BlurPool(c_out)],
        "strided convolution": [],
        "strided convolution + blur": [nets.BlurPool(c_out)],
    }[kind]
    return [conv, nets.ReLU(), *downsample]


def features(kind, rng):
    """One stage per entry of WIDTHS, each halving the resolution, then global average
    pooling. Circular padding everywhere, so only the downsampling breaks the symmetry."""
    stack = [layer for c_in, c_out in zip((1,) + WIDTHS, WIDTHS) for layer in stage(kind, c_in, c_out, rng)]
    return stack + [nets.GlobalAvgPool()]
