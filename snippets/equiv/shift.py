"""The shift slider's data: one digit moved pixel by pixel, and what four layers make of it.

A handwritten digit on a 16×16 canvas moves 0 to 12 pixels to the right, circularly (what
leaves on the right comes back on the left). For every shift
this records the canvas; the feature map of a 3×3 vertical-edge detector (convolution and
ReLU) with circular and with zero padding; that map max-pooled 2×2 at stride 2 and
averaged globally; the detector at stride 2; and whether each of these is the unshifted
result moved. The widget on Equivariance only displays these numbers.
"""
import numpy as np

from snippets.lib import layers, shipped

CANVAS, TOP, LEFT = 16, 4, 1  # the digit's top-left corner on the canvas
SHIFTS = range(0, 13)  # from 9 on, the digit crosses the right edge and comes back on the left
INDEX = 2  # scikit-learn's third scan, a "2": no mirror symmetry
KERNEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])  # Sobel: responds where ink starts on the left


def canvas():
    """The digit (grey levels 0 to 16) on a blank canvas, as integers."""
    scans, _ = shipped.digits()
    image = np.zeros((CANVAS, CANVAS), dtype=int)
    image[TOP:TOP + shipped.DIGIT, LEFT:LEFT + shipped.DIGIT] = scans[INDEX].astype(int)
    return image


def detect(image, mode, stride=1):
    """ReLU of the edge detector on one image; integer-valued (integer inputs and weights)."""
    x, w = image[None, None].astype(float), KERNEL[None, None].astype(float)
    return layers.relu(layers.conv2d(x, w, stride=stride, padding=1, padding_mode=mode))[0, 0]


def ints(a):
    return np.rint(a).astype(int).tolist()


def moved(a, b):
    """Whether b is a (circular, rightward) shift of a by any number of pixels."""
    return any(np.array_equal(np.roll(a, u, axis=1), b) for u in range(a.shape[1]))


def compute():
    image = canvas()
    base = {"circular": detect(image, "circular"), "zeros": detect(image, "zeros")}
    pooled_base = layers.max_pool2d(base["circular"][None, None], 2)[0, 0]
    strided_base = detect(image, "circular", stride=2)
    frames = []
    for t in SHIFTS:
        x = np.roll(image, t, axis=1)
        circular, zero = detect(x, "circular"), detect(x, "zeros")
        pooled = layers.max_pool2d(circular[None, None], 2)[0, 0]
        strided = detect(x, "circular", stride=2)
        frames.append({
            "shift": t, "image": x.tolist(), "circular": ints(circular), "zero": ints(zero),
            "pooled": ints(pooled), "stride2": ints(strided),
            "global_circular": float(circular.mean()), "global_zero": float(zero.mean()),
            "circular_follows": bool(np.array_equal(circular, np.roll(base["circular"], t, axis=1))),
            "zero_follows": bool(np.array_equal(zero, np.roll(base["zeros"], t, axis=1))),
            "pooled_changed": int((pooled != pooled_base).sum()), "pooled_total": int(pooled.size),
            "pooled_follows": moved(pooled_base, pooled),
            "stride2_follows": moved(strided_base, strided),
        })
    return {
        "frames": frames,
        "largest_shift": SHIFTS[-1],
        "canvas": (CANVAS, CANVAS),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
