"""Shift equivariance of convolution, checked on every draw with scipy's convolution, a
brute-force padding band and explicit matrices."""
import functools

import numpy as np
import pytest
from scipy import ndimage, stats

from snippets.equiv import exact as snippet
from snippets.lib import layers
from snippets.lib.dense_equivalent import equivalent_matrix

# Rounding: an output sums C·k² = 75 products of O(1) numbers; moving the same products to
# another pixel may at most reorder that sum, a few ulps (1e-16) of the largest output.
ROUNDING = 1e-14
SAME_ORDER = 0.1  # "as large as the outputs themselves": within a factor of ten of the largest


def scipy_conv(x, w, mode):
    """'Same' cross-correlation by scipy.ndimage, one image, filter and channel at a time;
    mode "wrap" is circular padding, "constant" is zero padding."""
    return np.array([[sum(ndimage.correlate(image[c], f[c], mode=mode) for c in range(len(f))) for f in w]
                     for image in x])


def draw(i):
    """Draw i's white-noise images, filters and shifts, in the snippet's order from its
    stream (SEED, i)."""
    rng = np.random.default_rng((snippet.SEED, i))
    x = rng.normal(size=(snippet.IMAGES, snippet.CHANNELS, snippet.SIZE, snippet.SIZE))
    w = rng.normal(size=(snippet.FILTERS, snippet.CHANNELS, snippet.KERNEL, snippet.KERNEL))
    return x, w, [tuple(int(t) for t in s) for s in rng.integers(1, snippet.SIZE, (snippet.SHIFTS, 2))]


@functools.cache
def window_leaves_image(size, reach, shift):
    """Brute force: does the (2·reach + 1)² window of an output pixel read padding, either
    in the shifted image or, for shift(conv(x)), at the pixel it came from?"""
    leaves = np.zeros((size, size), bool)
    offsets = range(-reach, reach + 1)
    for i in range(size):
        for j in range(size):
            source = ((i - shift[0]) % size, (j - shift[1]) % size)
            for a in offsets:
                for b in offsets:
                    outside_here = not (0 <= i + a < size and 0 <= j + b < size)
                    outside_there = not (0 <= source[0] + a < size and 0 <= source[1] + b < size)
                    leaves[i, j] |= outside_here or outside_there
    return leaves


@functools.cache
def recomputed(i):
    """Draw i by scipy: its largest output, and for each mode the error map
    |conv(shift(x)) − shift(conv(x))| / largest output (largest over images and filters)
    at each of its random shifts and at the figure's shift."""
    x, w, shifts = draw(i)
    outputs = {mode: scipy_conv(x, w, mode) for mode in ("wrap", "constant")}
    scale = np.abs(outputs["wrap"]).max()
    maps = {mode: {s: np.abs(scipy_conv(np.roll(x, s, axis=(2, 3)), w, mode)
                             - np.roll(out, s, axis=(2, 3))).max(axis=(0, 1)) / scale
                   for s in shifts + [snippet.MAP_SHIFT]}
            for mode, out in outputs.items()}
    return x, w, shifts, scale, maps


def check_measurement(m, samples):
    """A measurement is the mean, 95% t interval, min and max of its samples (scipy)."""
    samples = np.asarray(samples, float)
    assert m["n"] == len(samples) >= 10 and m["over"] == "draws"
    low, high = stats.t.interval(0.95, len(samples) - 1, loc=samples.mean(), scale=stats.sem(samples))
    assert m["mean"] == pytest.approx(samples.mean(), rel=1e-9)
    assert (m["low"], m["high"]) == (pytest.approx(low, rel=1e-6), pytest.approx(high, rel=1e-6))
    assert (m["min"], m["max"]) == (pytest.approx(samples.min(), rel=1e-9), pytest.approx(samples.max(), rel=1e-9))


@pytest.mark.covers("equiv_exact", "circular_error", "images", "channels", "filters", "shifts", "draws")
def test_circular_convolution_commutes_with_every_shift_in_every_draw(blocks):
    for values, draws in blocks:
        check_circular_convolution_commutes_with_every_shift_in_every_draw(values, draws)


def check_circular_convolution_commutes_with_every_shift_in_every_draw(values, draws):
    # Brute force: the circular convolution's matrix commutes with every shift's
    # permutation matrix (a small image, so every shift can be tried).
    w = np.random.default_rng(0).normal(size=(1, 1, 5, 5))
    m = equivalent_matrix(lambda v: layers.conv2d(v, w, padding=2, padding_mode="circular"), (1, 7, 7))
    identity = np.eye(49).reshape(49, 1, 7, 7)
    for shift in np.ndindex(7, 7):
        p = np.roll(identity, shift, axis=(2, 3)).reshape(49, 49).T
        np.testing.assert_allclose(m @ p, p @ m, atol=ROUNDING)
    # On every draw of the page's white noise, scipy's circular convolution commutes with
    # every shift to rounding ...
    assert values["draws"] == len(draws) >= 10
    for i in draws:
        x, w, shifts, _, maps = recomputed(i)
        assert (values["images"], values["channels"], values["filters"], values["shifts"]) == (
            x.shape[0], x.shape[1], w.shape[0], len(shifts))
        assert max(e.max() for e in maps["wrap"].values()) < ROUNDING
    # ... and the snippet's, which sums the same products in the same order on both
    # sides, exactly: the page says "zero", for the largest over all draws.
    assert values["circular_error"] == 0
    assert all(row["circular error"] == 0 for row in values["per_draw"])


@pytest.mark.covers("equiv_exact", "fft_error_in_epsilons", "epsilon", "per_draw")
def test_the_fft_route_differs_by_rounding_only_in_every_draw(blocks):
    for values, draws in blocks:
        check_the_fft_route_differs_by_rounding_only_in_every_draw(values, draws)


def check_the_fft_route_differs_by_rounding_only_in_every_draw(values, draws):
    assert values["epsilon"] == 2.0 ** -52  # float64 has a 52-bit fraction
    errors = []
    for index, i in enumerate(draws):
        x, _, shifts, scale, _ = recomputed(i)
        w = draw(i)[1]
        # The snippet's FFT route is scipy's circular convolution (other tests use it as
        # an oracle) ...
        np.testing.assert_allclose(snippet.conv_fft(x, w), scipy_conv(x, w, "wrap"), atol=1e-12 * scale)
        # ... but it sums in another order: its shift error is rounding, nonzero, in every draw.
        error = max(np.abs(snippet.conv_fft(np.roll(x, s, axis=(2, 3)), w)
                           - np.roll(snippet.conv_fft(x, w), s, axis=(2, 3))).max() for s in shifts) / scale
        assert 0 < error < ROUNDING
        assert values["per_draw"][index]["FFT error"] == pytest.approx(error, rel=1e-9)
        errors.append(error / np.finfo(float).eps)
    check_measurement(values["fft_error_in_epsilons"], errors)


@pytest.mark.covers("equiv_exact", "zero_padding_error", "size", "kernel", "pixels", "per_draw")
def test_zero_padding_breaks_equivariance_by_as_much_as_an_output_in_every_draw(blocks):
    for values, draws in blocks:
        check_zero_padding_breaks_equivariance_by_as_much_as_an_output_in_every_draw(values, draws)


def check_zero_padding_breaks_equivariance_by_as_much_as_an_output_in_every_draw(values, draws):
    worst = []
    for i in draws:
        x, w, shifts, _, maps = recomputed(i)
        assert (values["size"], values["kernel"]) == (x.shape[-1], w.shape[-1])
        worst.append(max(maps["constant"][s].max() for s in shifts))
    assert values["pixels"] == np.zeros((values["size"], values["size"])).size
    check_measurement(values["zero_padding_error"], worst)
    assert [row["zero padding error"] for row in values["per_draw"]] == pytest.approx(worst, rel=1e-9)
    # The page: of the order of the outputs themselves, in every draw.
    assert min(worst) > SAME_ORDER


@pytest.mark.covers("equiv_exact", "border", "band_pixels", "error_outside_band", "smallest_error_inside_band",
                    "share_of_pixels_that_differ", "map_shift_rows", "map_shift_columns", "per_draw")
def test_the_error_fills_exactly_the_band_the_kernel_reaches_in_every_draw(blocks):
    for values, draws in blocks:
        check_the_error_fills_exactly_the_band_the_kernel_reaches_in_every_draw(values, draws)


def check_the_error_fills_exactly_the_band_the_kernel_reaches_in_every_draw(values, draws):
    size, reach = values["size"], values["border"]
    map_shift = (values["map_shift_rows"], values["map_shift_columns"])
    assert values["band_pixels"] == window_leaves_image(size, reach, map_shift).sum()
    smallest, share = [], []
    for i in draws:
        _, _, shifts, _, maps = recomputed(i)
        for s, errors in maps["constant"].items():
            band = window_leaves_image(size, reach, s)
            # Exactly zero outside the band (the same products in the same order), nonzero
            # at every pixel inside it: the pixels that differ are the band, no more, no less.
            assert errors[~band].max() == 0 and errors[band].min() > 0
            # One pixel narrower and the band misses errors: the width is not a loose bound.
            assert errors[~window_leaves_image(size, reach - 1, s)].max() > 0
        smallest.append(min(maps["constant"][s][window_leaves_image(size, reach, s)].min() for s in shifts))
        share.append(np.mean([(maps["constant"][s] > 0).mean() for s in shifts]))
    assert values["error_outside_band"] == 0
    check_measurement(values["smallest_error_inside_band"], smallest)
    check_measurement(values["share_of_pixels_that_differ"], share)
    for row, low, part in zip(values["per_draw"], smallest, share):
        assert row["error outside the band"] == 0
        assert row["smallest error inside the band"] == pytest.approx(low, rel=1e-9)
        assert row["share of pixels that differ"] == pytest.approx(part, rel=1e-12)


@pytest.mark.covers("equiv_exact", "border", "exercise_kernel", "exercise_border")
def test_border_is_the_padding_that_keeps_the_size(values):
    for kernel, border in ((values["kernel"], values["border"]), (values["exercise_kernel"], values["exercise_border"])):
        x = np.zeros((1, 1, 16, 16))
        same = [p for p in range(kernel) if layers.conv2d(x, np.zeros((1, 1, kernel, kernel)), padding=p).shape == x.shape]
        assert same == [border]
