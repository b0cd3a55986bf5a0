"""Stride and shifts, recomputed as a stride-1 convolution (by FFT) followed by subsampling,
on every draw; the claims about the distribution over draws checked against the draws."""
import numpy as np
import pytest
from scipy import stats

from conftest import SEED_BLOCKS

from snippets.equiv import stride as snippet
from snippets.equiv.exact import conv_fft  # checked against scipy in tests/equiv/test_exact.py


def strided(weights, x):
    """Each layer: the stride-1 convolution, every second row and column, then ReLU (a
    stride-2 convolution is a stride-1 convolution subsampled)."""
    for w in weights:
        x = np.maximum(conv_fft(x, w)[:, :, ::2, ::2], 0)
    return x


def draw(kind, index):
    """The snippet's draw: inputs, then the weights of every depth, from its generator."""
    rng = np.random.default_rng((snippet.SEED, snippet.INPUTS.index(kind), index))
    x = rng.normal(size=(snippet.IMAGES, snippet.CHANNELS, snippet.SIZE, snippet.SIZE))
    if kind == "smooth":  # a [1, 2, 1] / 4 blur, circular, as a product of FFTs
        taps = np.zeros(snippet.SIZE)
        taps[[0, 1, -1]] = [0.5, 0.25, 0.25]
        response = np.abs(np.fft.fft(taps)) ** snippet.SMOOTHING  # symmetric taps: a real response
        x = np.real(np.fft.ifft2(np.fft.fft2(x) * np.outer(response, response)))
    return x, {depth: snippet.strided_weights(depth, rng) for depth in snippet.DEPTHS}


def mismatch(weights, x, shift):
    """Distance from the output of the shifted input to the nearest shift of the output."""
    y, moved = strided(weights, x), strided(weights, np.roll(x, shift, axis=3))
    return min(np.linalg.norm(moved - np.roll(y, u, axis=3)) for u in range(y.shape[3])) / np.linalg.norm(y)


def recomputed(draws):
    """{kind: (draws, depth 1..3, shift 0..8)} mismatches, recomputed by FFT."""
    return {kind: np.array([[[mismatch(weights[d], x, t) for t in range(9)] for d in snippet.DEPTHS]
                            for x, weights in (draw(kind, i) for i in draws)])
            for kind in snippet.INPUTS}


@pytest.fixture(scope="module")
def held_out():
    """Every value of the page on the held-out draws (1000–1009), and the recomputed errors."""
    return snippet.measure(snippet.HELD_OUT_DRAWS), recomputed(snippet.HELD_OUT_DRAWS)


@pytest.fixture(scope="module")
def page_errors():
    return recomputed(snippet.PAGE_DRAWS)


@pytest.fixture(params=SEED_BLOCKS)
def blocks(request):
    """[(values, draws, recomputed errors)] of one block, the page's or the held-out one:
    every claim is checked on both."""
    if request.param == "page":
        return [(request.getfixturevalue("values"), snippet.PAGE_DRAWS, request.getfixturevalue("page_errors"))]
    values, errors = request.getfixturevalue("held_out")
    return [(values, snippet.HELD_OUT_DRAWS, errors)]


@pytest.mark.covers("equiv_stride", "table", "size", "draws", "smoothing")
def test_errors_per_shift_match_a_subsampled_convolution(blocks):
    for values, draws, errors in blocks:
        check_errors_per_shift(values, draws, errors)


def check_errors_per_shift(values, draws, errors):
    assert values["size"] == snippet.SIZE and values["draws"] == len(draws) >= 10
    assert values["smoothing"] == snippet.SMOOTHING
    for row in values["table"]:
        t = row["input shift (pixels)"]
        for kind in snippet.INPUTS:
            for depth, label in ((1, "one layer"), (2, "two layers")):
                m, samples = row[f"{label}, {kind}"], errors[kind][:, depth - 1, t]
                assert m["n"] == len(samples)
                assert m["mean"] == pytest.approx(samples.mean(), abs=1e-9)
                assert (m["min"], m["max"]) == (pytest.approx(samples.min(), abs=1e-9),
                                                pytest.approx(samples.max(), abs=1e-9))


@pytest.mark.covers("equiv_stride", "exact_shift_one_layer", "exact_shift_two_layers", "exact_shift_three_layers")
def test_the_first_exact_shift_is_the_product_of_the_strides_on_every_draw(blocks):
    for values, _, errors in blocks:
        check_first_exact_shift(values, errors)


def check_first_exact_shift(values, errors):
    # The effective stride of stacked layers is the product of their strides (Araujo,
    # Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks", 2019).
    shown = (values["exact_shift_one_layer"], values["exact_shift_two_layers"], values["exact_shift_three_layers"])
    assert shown == (2, 2 * 2, 2 * 2 * 2)
    for kind in snippet.INPUTS:
        for depth, period in zip(snippet.DEPTHS, shown):
            exact = errors[kind][:, depth - 1, 1:] < 1e-12  # shifts 1..8
            assert (exact == (np.arange(1, 9) % period == 0)).all()


@pytest.mark.covers("equiv_stride", "smallest_mismatch_white", "smallest_mismatch_smooth", "smallest_mismatch")
def test_how_far_off_the_other_shifts_are_depends_on_the_input(blocks):
    for values, _, errors in blocks:
        check_how_far_off(values, errors)


def check_how_far_off(values, errors):
    def closest(kind):
        e = errors[kind][:, :2, :5]  # depths 1 and 2, the table's shifts
        off = np.arange(5)[None, :] % np.array([[2], [4]]) != 0
        return np.array([draw_errors[off].min() for draw_errors in e])

    white, smooth = closest("white noise"), closest("smooth")
    for m, samples in ((values["smallest_mismatch_white"], white), (values["smallest_mismatch_smooth"], smooth)):
        low, high = stats.t.interval(0.95, len(samples) - 1, loc=samples.mean(), scale=stats.sem(samples))
        assert m["mean"] == pytest.approx(samples.mean(), abs=1e-9)
        assert (m["low"], m["high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    assert values["smallest_mismatch"] == pytest.approx(min(white.min(), smooth.min()), abs=1e-9)
    # The page: never exact, and far closer for smooth inputs than for white noise
    assert values["smallest_mismatch"] > 0.01
    assert values["smallest_mismatch_smooth"]["high"] < values["smallest_mismatch_white"]["low"]


def test_the_input_size_must_be_a_multiple_of_the_effective_stride():
    """The page's condition: two stride-2 layers match a shift by 4 exactly on a 16-pixel
    input, but not on an 18-pixel one (18 = 2 × 9: the second layer's 9 positions do not
    split evenly into kept and dropped ones)."""
    rng = np.random.default_rng(4)
    weights = snippet.strided_weights(2, rng)
    for size, exact in ((16, True), (18, False)):
        x = rng.normal(size=(snippet.IMAGES, snippet.CHANNELS, size, size))
        assert (mismatch(weights, x, 4) < 1e-12) == exact, size
