"""Pooling and shifts, recomputed with scipy's filters on the snippet's digits and detectors."""
import numpy as np
import pytest
from scipy import ndimage, stats
from sklearn.datasets import load_digits

from snippets.equiv import pooling as snippet

ROUNDING = 1e-14  # a mean of 144 numbers, summed in another order: a few ulps


def recompute(draw=0):
    """The snippet's experiment written independently: digits centred on a 12×12 canvas by
    np.pad, 3×3 detectors (circular padding; draw `draw`) by scipy, pooled by scipy's
    maximum filter."""
    images = load_digits().images[:snippet.DIGITS] / 16
    x = np.pad(images, ((0, 0), (2, 2), (2, 2)))
    w = np.random.default_rng((snippet.SEED, draw)).normal(0, np.sqrt(2 / 9), (snippet.DETECTORS, 3, 3))  # He et al.

    def detect(batch):
        return np.maximum(np.stack([ndimage.correlate(batch, f[None], mode="wrap") for f in w], axis=1), 0)

    def max3(maps):  # 3×3 windows that fit, stride 1: the centres of scipy's filter
        return ndimage.maximum_filter(maps, size=(1, 1, 3, 3))[:, :, 1:-1, 1:-1]

    def max2(maps):  # 2×2 windows with stride 2: block maxima
        n, c, h, wd = maps.shape
        return maps.reshape(n, c, h // 2, 2, wd // 2, 2).max(axis=(3, 5))

    return x, detect, {"detector": lambda m: m, "max3": max3, "max2": max2}


def fraction_and_relative_change(before, after):
    """Among outputs nonzero before or after, the share that moved by more than float
    noise (1e-9 of the largest; real changes here are thousands of times larger), and
    the norm of the change relative to the norm before."""
    active = (before > 0) | (after > 0)
    moved = np.abs(after - before) > 1e-9 * before.max()
    return moved[active].mean(), np.linalg.norm(after - before) / np.linalg.norm(before)


@pytest.mark.covers("equiv_pooling", "digits", "detectors", "draws", "table", "per_draw", "detector_changed",
                    "detector_relative_change", "max3_changed", "max3_relative_change", "max2_changed",
                    "max2_relative_change", "almost_all")
def test_one_pixel_shift_changes_what_scipy_says_on_every_draw(blocks):
    for values, draws in blocks:
        check_one_pixel_shift(values, draws)


def check_one_pixel_shift(values, draws):
    assert values["draws"] == len(draws) >= 10
    found = {key: [] for key in ("detector", "max3", "max2")}
    for index, draw in enumerate(draws):
        x, detect, pools = recompute(draw)
        assert (values["digits"], values["detectors"]) == (len(x), snippet.DETECTORS)
        maps, moved = detect(x), detect(np.roll(x, 1, axis=2))
        row = values["per_draw"][index]
        assert row["draw"] == draw
        for name, pool in pools.items():
            fraction, relative = fraction_and_relative_change(pool(maps), pool(moved))
            assert row[f"{name}, changed"] == pytest.approx(fraction, abs=1e-12)
            assert row[f"{name}, relative change"] == pytest.approx(relative, rel=1e-9)
            found[name].append((fraction, relative))
    for name, pairs in found.items():
        fractions, relatives = np.array(pairs).T
        for key, samples in ((f"{name}_changed", fractions), (f"{name}_relative_change", relatives)):
            m = values[key]
            low, high = stats.t.interval(0.95, len(samples) - 1, loc=samples.mean(), scale=stats.sem(samples))
            assert m["mean"] == pytest.approx(samples.mean(), abs=1e-12)
            assert (m["low"], m["high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    table = {row["after the detectors"]: row for row in values["table"]}
    assert table["global average pooling"]["share of outputs that change (%)"]["max"] == 0
    # The page's claims, on every draw of both blocks: the detector maps change at almost
    # every active position (they moved: equivariance is not invariance); after either
    # local max pooling more than half of the outputs still change, but not all (0.9);
    # 2×2 at stride 2 changes more of them, and by more, than 3×3 at stride 1; and both
    # change by less, relative to their size, than the detector maps.
    detector, max3, max2 = (np.array(found[k]) for k in ("detector", "max3", "max2"))
    assert values["almost_all"] == 0.99 and (detector[:, 0] > values["almost_all"]).all()
    assert ((0.5 < max3[:, 0]) & (max3[:, 0] < 0.9)).all() and ((0.5 < max2[:, 0]) & (max2[:, 0] < 0.9)).all()
    assert (max2[:, 0] > max3[:, 0]).all() and (max2[:, 1] > max3[:, 1]).all()
    assert (max2[:, 1] < detector[:, 1]).all()


@pytest.mark.covers("equiv_pooling", "gap_error", "shifts_tried", "every_shift_digits")
def test_global_average_pooling_ignores_every_circular_shift_in_every_draw(blocks):
    for values, draws in blocks:
        check_every_shift(values, draws)


def check_every_shift(values, draws):
    for draw in draws:
        x, detect, _ = recompute(draw)
        x = x[:values["every_shift_digits"]]
        assert values["shifts_tried"] == x.shape[1] * x.shape[2]  # every circular shift of the canvas
        pooled = detect(x).mean(axis=(2, 3))
        worst = max(np.abs(detect(np.roll(x, s, axis=(1, 2))).mean(axis=(2, 3)) - pooled).max()
                    for s in np.ndindex(x.shape[1:]))
        assert worst / pooled.max() < ROUNDING
    # The snippet's value: the largest over all draws, rounding too.
    assert 0 <= values["gap_error"] < ROUNDING
