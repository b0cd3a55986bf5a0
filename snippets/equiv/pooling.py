"""Pooling and invariance: global average pooling exactly, local max pooling approximately.

Runs digits through a layer of random 3×3 detectors (circular padding, ReLU), pools the
detector maps in three ways and measures how much of each result a one-pixel shift of
the digit changes; then checks global average pooling against every circular shift.
"""
import numpy as np

from snippets.equiv._common import on_canvas
from snippets.lib import digits, layers, nets

SEED = 2016  # Goodfellow, Bengio & Courville, "Deep Learning", section 9.3
DIGITS, DETECTORS, KERNEL = 500, 8, 3
EVERY_SHIFT_DIGITS = 50  # the digits tried at every circular shift of the canvas
ONE_PIXEL = (0, 1)  # one pixel to the right
SAME = 1e-9  # outputs closer than this (relative to the largest) count as unchanged: float noise only
POOLINGS = {
    "none (the detector maps)": lambda d: d,
    "max pooling 3×3, stride 1": lambda d: layers.max_pool2d(d, 3, 1),
    "max pooling 2×2, stride 2": lambda d: layers.max_pool2d(d, 2),
    "global average pooling": layers.global_avg_pool,
}


def shift(x, by):
    """Circular shift of an NCHW batch by (down, right) pixels."""
    return np.roll(x, by, axis=(2, 3))


def change(before, after):
    """The fraction of outputs that change, among those nonzero before or after (a ReLU
    map is mostly zeros that stay zero), and the relative size of the change."""
    changed = np.abs(after - before) > SAME * np.abs(before).max()
    active = (before > 0) | (after > 0)
    return float(changed[active].mean()), float(np.linalg.norm(after - before) / np.linalg.norm(before))


def compute():
    rng = np.random.default_rng(SEED)
    x = on_canvas(digits.scans()[0][:DIGITS])
    w = nets.he_normal(rng, (DETECTORS, 1, KERNEL, KERNEL), KERNEL * KERNEL)

    def detect(images):
        return layers.relu(layers.conv2d(images, w, padding=KERNEL // 2, padding_mode="circular"))

    maps, shifted_maps = detect(x), detect(shift(x, ONE_PIXEL))
    changes = {name: change(pool(maps), pool(shifted_maps)) for name, pool in POOLINGS.items()}
    rows = [{"after the detectors": name, "share of outputs that change": round(fraction, 3),
             "relative size of the change": round(relative, 3)} for name, (fraction, relative) in changes.items()]
    few = x[:EVERY_SHIFT_DIGITS]
    pooled = layers.global_avg_pool(detect(few))
    every_shift = [(dy, dx) for dy in range(x.shape[2]) for dx in range(x.shape[3])]
    gap_error = max(np.abs(layers.global_avg_pool(detect(shift(few, s))) - pooled).max() for s in every_shift)
    detector, max3, max2, _ = changes.values()
    return {
        "digits": DIGITS, "detectors": DETECTORS,
        "table": rows,
        "detector_changed": detector[0],
        "detector_relative_change": detector[1],
        "max3_changed": max3[0],
        "max3_relative_change": max3[1],
        "max2_changed": max2[0],
        "max2_relative_change": max2[1],
        "every_shift_digits": EVERY_SHIFT_DIGITS,
        "shifts_tried": len(every_shift),
        "gap_error": float(gap_error / np.abs(pooled).max()),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
