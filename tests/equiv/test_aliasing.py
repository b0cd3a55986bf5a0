"""Aliasing: the four networks rebuilt from FFT convolutions, sliding-window maxima and
subsampling, with the snippet's weights."""
import functools

import numpy as np
import pytest
from scipy import stats
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.datasets import load_digits

from snippets.equiv import aliasing as snippet
from snippets.equiv._common import DOWNSAMPLING, features
from snippets.equiv.exact import conv_fft  # checked against scipy in tests/equiv/test_exact.py
from snippets.lib import nets

BINOMIAL = np.outer([1, 2, 1], [1, 2, 1]) / 16  # Zhang (2019): the "Tri-3" blur
FLOAT = 1e-9  # two implementations of the same network: they differ in rounding only


def window_max(x):
    """Maximum over the 2×2 window starting at each pixel, wrapping around the edges."""
    wrapped = np.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)), mode="wrap")
    return sliding_window_view(wrapped, (2, 2), axis=(2, 3)).max(axis=(-2, -1))


def blur(x):
    """The binomial blur applied to each channel on its own (a diagonal filter bank)."""
    channels = x.shape[1]
    bank = np.zeros((channels, channels, 3, 3))
    bank[np.arange(channels), np.arange(channels)] = BINOMIAL
    return conv_fft(x, bank)


def pooled_features(kind, conv_weights, x):
    """Zhang's four ways to halve the resolution, written as: stride-1 operations, then
    every second row and column; global average pooling at the end."""
    for w in conv_weights:
        x = np.maximum(conv_fft(x, w), 0)
        if kind.startswith("max pooling"):
            x = window_max(x)
        if kind.endswith("blur"):
            x = blur(x)
        x = x[:, :, ::2, ::2]
    return x.mean(axis=(2, 3))


@functools.cache
def curves(draws=snippet.PAGE_DRAWS):
    """Per kind, (draw, shift): the mean relative change of the features at each shift of
    the snippet, for each of `draws` of the weights."""
    x = np.pad(load_digits().images[:snippet.DIGITS] / 16, ((0, 0), (2, 2), (2, 2)))[:, None]
    result = {}
    for kind in DOWNSAMPLING:
        rows = []
        for draw in draws:
            weights = [layer.params[0] for layer in features(kind, np.random.default_rng((snippet.SEED, draw)))
                       if isinstance(layer, nets.Conv)]
            before = pooled_features(kind, weights, x)
            rows.append([np.mean(np.linalg.norm(pooled_features(kind, weights, np.roll(x, t, axis=3)) - before, axis=1)
                                 / np.linalg.norm(before, axis=1)) for t in snippet.SHIFTS])
        result[kind] = np.array(rows)
    return result


@pytest.mark.covers("equiv_aliasing", "digits", "draws", "table", "max_pool_change", "max_blur_change",
                    "strided_change", "strided_blur_change", "blur_cut_smallest", "blur_cut_bound")
def test_worst_changes_match_the_rebuilt_networks_on_every_draw(blocks):
    for values, draws in blocks:
        check_worst_changes(values, draws)


def check_worst_changes(values, draws):
    expected = curves(draws)
    assert values["digits"] == snippet.DIGITS and values["draws"] == len(draws) >= 10
    for kind, key in zip(DOWNSAMPLING, ("max_pool_change", "max_blur_change", "strided_change", "strided_blur_change")):
        worst = expected[kind].max(axis=1)
        m = values[key]
        low, high = stats.t.interval(0.95, len(worst) - 1, loc=worst.mean(), scale=stats.sem(worst))
        assert m["mean"] == pytest.approx(worst.mean(), rel=FLOAT)
        assert (m["low"], m["high"]) == (pytest.approx(low, rel=1e-6), pytest.approx(high, rel=1e-6))
        assert (m["min"], m["max"]) == (pytest.approx(worst.min(), rel=FLOAT), pytest.approx(worst.max(), rel=FLOAT))
    for row in values["table"]:
        curve = expected[row["downsampling"]]
        assert row["change at a 2-pixel shift"]["mean"] == pytest.approx(curve[:, 2].mean(), rel=FLOAT)
    # The page's claim: on every draw of the weights, for both kinds, the blur divides the
    # largest change by more than blur_cut_bound (3), on both blocks of draws.
    cut = [expected[k].max(axis=1) / expected[f"{k} + blur"].max(axis=1) for k in ("max pooling", "strided convolution")]
    assert values["blur_cut_smallest"] == pytest.approx(min(c.min() for c in cut), rel=1e-6)
    assert values["blur_cut_bound"] == 3 and min(c.min() for c in cut) > values["blur_cut_bound"]


@pytest.mark.covers("equiv_aliasing", "change_at_effective_stride", "blur_change_at_two")
def test_zero_change_where_the_analysis_says(blocks):
    for values, draws in blocks:
        check_zero_change(values, draws)


def check_zero_change(values, draws):
    # Analytic: two stride-2 stages with circular padding commute with a shift by 4, and
    # the global average ignores where the features are; so 4 and 8 pixels change nothing.
    # And [1, 2, 1] is zero at the highest frequency, (1, -1, 1, -1, ...): averaged over
    # the even or over the odd positions, a blurred map gives the same mean, so after the
    # blur the last subsampling's phase does not matter and 2-pixel shifts change nothing.
    assert np.dot([1, 2, 1], [1, -1, 1]) == 0
    expected = curves(draws)
    assert max(expected[k][:, 4::4].max() for k in DOWNSAMPLING) < FLOAT
    assert max(expected[k][:, 2::2].max() for k in DOWNSAMPLING if k.endswith("blur")) < FLOAT
    assert min(expected[k][:, 2].min() for k in DOWNSAMPLING if not k.endswith("blur")) > 0.05
    assert values["change_at_effective_stride"] < 1e-14 and values["blur_change_at_two"] < 1e-14
