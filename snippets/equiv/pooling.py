"""Pooling and invariance: global average pooling exactly, local max pooling approximately.

Runs digits through a layer of random 3×3 detectors (circular padding, ReLU), pools the
detector maps in three ways and measures how much of each result a one-pixel shift of
the digit changes, over several draws of the detectors; then checks global average
pooling against every circular shift.
"""
import numpy as np

from snippets.equiv._common import on_canvas
from snippets.lib import digits, layers, nets, measurement

SEED = 2016  # Goodfellow, Bengio & Courville, "Deep Learning", section 9.3
PAGE_DRAWS = range(10)  # independent draws of the detectors: the page's
HELD_OUT_DRAWS = range(1000, 1010)  # a block the page never shows; the tests check every claim on it too
DIGITS, DETECTORS, KERNEL = 500, 8, 3
EVERY_SHIFT_DIGITS = 50  # the digits tried at every circular shift of the canvas
ONE_PIXEL = (0, 1)  # one pixel to the right
ALMOST_ALL = 0.99  # the page's claim: the detector maps change at more than this share of active outputs
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


def detector(i):
    """Draw i's detectors, and the function that runs them on a batch."""
    w = nets.he_normal(np.random.default_rng((SEED, i)), (DETECTORS, 1, KERNEL, KERNEL), KERNEL * KERNEL)
    return lambda images: layers.relu(layers.conv2d(images, w, padding=KERNEL // 2, padding_mode="circular"))


def compute():
    return measure(PAGE_DRAWS)


def measure(draws):
    """Every value of the page, over the detectors of `draws`."""
    x = on_canvas(digits.scans()[0][:DIGITS])
    per_draw = []
    for i in draws:
        detect = detector(i)
        maps, shifted_maps = detect(x), detect(shift(x, ONE_PIXEL))
        per_draw.append({name: change(pool(maps), pool(shifted_maps)) for name, pool in POOLINGS.items()})
    fraction = {name: measurement.measure([d[name][0] for d in per_draw], over="draws") for name in POOLINGS}
    relative = {name: measurement.measure([d[name][1] for d in per_draw], over="draws") for name in POOLINGS}
    rows = [{"after the detectors": name, "share of outputs that change (%)": measurement.measure(
                 [100 * d[name][0] for d in per_draw], over="draws"),
             "relative size of the change (%)": measurement.measure([100 * d[name][1] for d in per_draw], over="draws")}
            for name in POOLINGS]
    # Exactness: every circular shift, with every draw's detectors; the largest error over
    # all of them, relative to each draw's largest pooled feature.
    few = x[:EVERY_SHIFT_DIGITS]
    every_shift = [(dy, dx) for dy in range(x.shape[2]) for dx in range(x.shape[3])]
    gap_error = 0.0
    for i in draws:
        detect = detector(i)
        pooled = layers.global_avg_pool(detect(few))
        worst = max(np.abs(layers.global_avg_pool(detect(shift(few, s))) - pooled).max() for s in every_shift)
        gap_error = max(gap_error, float(worst / np.abs(pooled).max()))
    names = dict(zip(("detector", "max3", "max2"), POOLINGS))
    return {
        "digits": DIGITS, "detectors": DETECTORS, "draws": len(draws), "almost_all": ALMOST_ALL,
        "table": rows,
        **{f"{key}_changed": fraction[name] for key, name in names.items()},
        **{f"{key}_relative_change": relative[name] for key, name in names.items()},
        "per_draw": [{"draw": i, **{f"{key}, {what}": float(d[name][j]) for key, name in names.items()
                                    for j, what in enumerate(("changed", "relative change"))}}
                     for i, d in zip(draws, per_draw)],
        "every_shift_digits": EVERY_SHIFT_DIGITS,
        "shifts_tried": len(every_shift),
        "gap_error": gap_error,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
