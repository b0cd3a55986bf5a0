"""Shift equivariance of convolution, checked with scipy's convolution and explicit matrices."""
import numpy as np
import pytest
from scipy import ndimage

from snippets.equiv import exact as snippet
from snippets.lib import layers

# Rounding: an output sums C·k² = 75 products of O(1) numbers; moving the same products to
# another pixel may at most reorder that sum, a few ulps (1e-16) of the largest output.
ROUNDING = 1e-14


def scipy_conv(x, w, mode):
    """'Same' cross-correlation by scipy.ndimage, one image, filter and channel at a time;
    mode "wrap" is circular padding, "constant" is zero padding."""
    return np.array([[sum(ndimage.correlate(image[c], f[c], mode=mode) for c in range(len(f))) for f in w]
                     for image in x])


def snippet_data():
    """The snippet's random images, filters and shifts, drawn in the snippet's order."""
    rng = np.random.default_rng(snippet.SEED)
    x = rng.normal(size=(snippet.IMAGES, snippet.CHANNELS, snippet.SIZE, snippet.SIZE))
    w = rng.normal(size=(snippet.FILTERS, snippet.CHANNELS, snippet.KERNEL, snippet.KERNEL))
    return x, w, [tuple(s) for s in rng.integers(1, snippet.SIZE, (snippet.SHIFTS, 2))]


def error_map(x, w, shift, mode):
    """|conv(shift(x)) − shift(conv(x))| by scipy, largest over images and filters."""
    moved = scipy_conv(np.roll(x, shift, axis=(2, 3)), w, mode)
    return np.abs(moved - np.roll(scipy_conv(x, w, mode), shift, axis=(2, 3))).max(axis=(0, 1))


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


@pytest.mark.covers("equiv_exact", "circular_error", "fft_error", "images", "shifts")
def test_circular_convolution_commutes_with_every_shift(values):
    # Brute force: the circular convolution's matrix commutes with every shift's
    # permutation matrix (a small image, so every shift can be tried).
    w = np.random.default_rng(0).normal(size=(1, 1, 5, 5))
    m = layers.equivalent_matrix(lambda v: layers.conv2d(v, w, padding=2, padding_mode="circular"), (1, 7, 7))
    identity = np.eye(49).reshape(49, 1, 7, 7)
    for shift in np.ndindex(7, 7):
        p = np.roll(identity, shift, axis=(2, 3)).reshape(49, 49).T
        np.testing.assert_allclose(m @ p, p @ m, atol=ROUNDING)
    # scipy's circular convolution of the snippet's data agrees, and so do its two numbers.
    x, w, shifts = snippet_data()
    assert (values["images"], values["shifts"]) == (len(x), len(shifts))
    scale = np.abs(scipy_conv(x, w, "wrap")).max()
    assert max(error_map(x, w, s, "wrap").max() for s in shifts) / scale < ROUNDING
    assert 0 <= values["circular_error"] < ROUNDING
    # The snippet's FFT route is the same circular convolution (other tests use it as
    # an oracle) ...
    np.testing.assert_allclose(snippet.conv_fft(x, w), scipy_conv(x, w, "wrap"), atol=1e-12 * scale)
    # ... but it sums in another order: rounding shows, but only at rounding size.
    assert 0 < values["fft_error"] < ROUNDING


@pytest.mark.covers("equiv_exact", "zero_padding_error", "size", "kernel", "pixels")
def test_zero_padding_breaks_equivariance_by_as_much_as_an_output(values):
    x, w, shifts = snippet_data()
    assert (values["size"], values["kernel"]) == (x.shape[-1], w.shape[-1])
    assert values["pixels"] == np.zeros((values["size"], values["size"])).size
    scale = np.abs(scipy_conv(x, w, "wrap")).max()
    expected = max(error_map(x, w, s, "constant").max() for s in shifts) / scale
    assert values["zero_padding_error"] == pytest.approx(expected, rel=ROUNDING)
    assert values["zero_padding_error"] > 0.1  # the page: comparable to the outputs themselves


@pytest.mark.covers("equiv_exact", "border", "band_pixels", "error_outside_band", "smallest_error_inside_band",
                    "map_shift_rows", "map_shift_columns")
def test_the_error_fills_exactly_the_band_the_kernel_reaches(values):
    x, w, _ = snippet_data()
    shift = (values["map_shift_rows"], values["map_shift_columns"])
    errors = error_map(x, w, shift, "constant")
    band = window_leaves_image(values["size"], values["border"], shift)
    assert values["band_pixels"] == band.sum()
    # Exactly zero outside the band (the same products in the same order), nonzero at
    # every pixel inside it for these generic random numbers.
    assert errors[~band].max() == 0 and values["error_outside_band"] == 0
    assert errors[band].min() > 0 and values["smallest_error_inside_band"] > 0
    # One pixel narrower and the band misses errors: the width is not a loose bound.
    assert errors[~window_leaves_image(values["size"], values["border"] - 1, shift)].max() > 0


@pytest.mark.covers("equiv_exact", "border", "exercise_kernel", "exercise_border")
def test_border_is_the_padding_that_keeps_the_size(values):
    for kernel, border in ((values["kernel"], values["border"]), (values["exercise_kernel"], values["exercise_border"])):
        x = np.zeros((1, 1, 16, 16))
        same = [p for p in range(kernel) if layers.conv2d(x, np.zeros((1, 1, kernel, kernel)), padding=p).shape == x.shape]
        assert same == [border]
