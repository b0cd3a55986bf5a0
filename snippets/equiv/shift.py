"""The shift slider's data: one digit moved pixel by pixel, and what four layers make of it.

A handwritten digit on a 16×16 canvas moves 0 to 12 pixels to the right, in two ways:
circularly (what leaves on the right comes back on the left, and the layers pad
circularly) and with zeros (what leaves is gone, zeros come in, the layers pad with
zeros). For every shift and both ways this records the canvas; the feature map of a 3×3
vertical-edge detector (convolution and ReLU); that map max-pooled 2×2 at stride 2 and
averaged globally; the detector at stride 2; and, for each map, whether it is the
unshifted one moved (equivariance) and which cells differ from that, and how many pooled
outputs differ from the unshifted ones (invariance). The widget on Equivariance only
displays these numbers.
"""
import numpy as np

from snippets.lib import layers, sklearn_files

CANVAS, TOP, LEFT = 16, 4, 1  # the digit's top-left corner on the canvas
SHIFTS = range(0, 13)  # from 9 on, the digit reaches the right edge
INDEX = 2  # scikit-learn's third scan, a "2": no mirror symmetry
KERNEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])  # Sobel: responds where ink starts on the left
MODES = {"circular": "circular", "zero": "zeros"}  # the widget's name -> layers.conv2d's padding_mode


def canvas():
    """The digit (grey levels 0 to 16) on a blank canvas, as integers."""
    scans, _ = sklearn_files.digits()
    image = np.zeros((CANVAS, CANVAS), dtype=int)
    image[TOP:TOP + sklearn_files.DIGIT, LEFT:LEFT + sklearn_files.DIGIT] = scans[INDEX].astype(int)
    return image


def move(a, t, mode):
    """`a` moved t columns to the right: around the edge (circular) or with zeros coming in."""
    if mode == "circular":
        return np.roll(a, t, axis=1)
    out = np.zeros_like(a)
    out[:, t:] = a[:, :a.shape[1] - t]
    return out


def detect(image, mode, stride=1):
    """ReLU of the edge detector on one image; integer-valued (integer inputs and weights)."""
    x, w = image[None, None].astype(float), KERNEL[None, None].astype(float)
    return layers.relu(layers.conv2d(x, w, stride=stride, padding=1, padding_mode=mode))[0, 0]


def ints(a):
    return np.rint(a).astype(int).tolist()


def differing(a, b):
    """The [row, column] cells where two maps differ."""
    return [[int(r), int(c)] for r, c in zip(*np.nonzero(a != b))]


def panels(image, base, t, mode):
    """What the four layers make of `image` (the base image moved t), against the base's."""
    feature = detect(image, MODES[mode])
    pooled = layers.max_pool2d(feature[None, None], 2)[0, 0]
    strided = detect(image, MODES[mode], stride=2)
    # Equivariance predicts the unshifted result moved: by t pixels, by t/2 cells after a stride of 2.
    want_map = move(base["map"], t, mode)
    want_pooled, want_strided = move(base["pooled"], t // 2, mode), move(base["stride2"], t // 2, mode)
    return {
        "image": image.tolist(), "map": ints(feature), "pooled": ints(pooled), "stride2": ints(strided),
        "global": float(feature.mean()),
        "map_follows": bool(np.array_equal(feature, want_map)), "map_differs": differing(feature, want_map),
        "pooled_follows": bool(t % 2 == 0 and np.array_equal(pooled, want_pooled)),
        "pooled_differs": differing(pooled, want_pooled),
        "pooled_changed": int((pooled != base["pooled"]).sum()), "pooled_total": int(pooled.size),
        "stride2_follows": bool(t % 2 == 0 and np.array_equal(strided, want_strided)),
        "stride2_differs": differing(strided, want_strided),
    }


def compute():
    image = canvas()
    frames = [{"shift": t} for t in SHIFTS]
    for mode, padding in MODES.items():
        feature = detect(image, padding)
        base = {"map": feature, "pooled": layers.max_pool2d(feature[None, None], 2)[0, 0],
                "stride2": detect(image, padding, stride=2)}
        for frame in frames:  # a table's cells are plain values: "circular_map", "zero_map", ...
            made = panels(move(image, frame["shift"], mode), base, frame["shift"], mode)
            frame.update({f"{mode}_{key}": value for key, value in made.items()})
    return {
        "frames": frames,
        "largest_shift": SHIFTS[-1],
        "canvas": (CANVAS, CANVAS),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
