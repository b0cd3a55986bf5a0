"""Stride and shifts, recomputed as a stride-1 convolution (by FFT) followed by subsampling."""
import numpy as np
import pytest

from snippets.equiv import stride as snippet
from snippets.equiv.exact import conv_fft  # checked against scipy in test_equiv_exact


def strided(weights, x):
    """Each layer: the stride-1 convolution, every second row and column, then ReLU (a
    stride-2 convolution is a stride-1 convolution subsampled)."""
    for w in weights:
        x = np.maximum(conv_fft(x, w)[:, :, ::2, ::2], 0)
    return x


def snippet_weights():
    rng = np.random.default_rng(snippet.SEED)
    x = rng.normal(size=(snippet.IMAGES, snippet.CHANNELS, snippet.SIZE, snippet.SIZE))
    return x, {depth: snippet.strided_weights(depth, rng) for depth in snippet.DEPTHS}


def mismatch(weights, x, shift):
    """Distance from the output of the shifted input to the nearest shift of the output."""
    y, moved = strided(weights, x), strided(weights, np.roll(x, shift, axis=3))
    return min(np.linalg.norm(moved - np.roll(y, u, axis=3)) for u in range(y.shape[3])) / np.linalg.norm(y)


@pytest.mark.covers("equiv_stride", "table", "size", "smallest_mismatch")
def test_errors_per_shift_match_a_subsampled_convolution(values):
    x, weights = snippet_weights()
    assert values["size"] == x.shape[-1]
    for row in values["table"]:
        t = row["input shift (pixels)"]
        for depth, column in ((1, "one stride-2 layer"), (2, "two stride-2 layers")):
            # The table shows three decimals; the FFT's rounding is far below that.
            assert row[column] == pytest.approx(mismatch(weights[depth], x, t), abs=5e-4)
            # Exact at multiples of the effective stride 2^depth, far off elsewhere.
            assert (row[column] < 1e-12) == (t % 2**depth == 0)
    assert values["smallest_mismatch"] > 0.5  # "breaks" means: no output shift comes close


@pytest.mark.covers("equiv_stride", "exact_shift_one_layer", "exact_shift_two_layers", "exact_shift_three_layers")
def test_the_first_exact_shift_is_the_product_of_the_strides(values):
    # The effective stride of stacked layers is the product of their strides (Araujo,
    # Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks", 2019).
    assert values["exact_shift_one_layer"] == 2
    assert values["exact_shift_two_layers"] == 2 * 2
    assert values["exact_shift_three_layers"] == 2 * 2 * 2
    x, weights = snippet_weights()
    assert mismatch(weights[3], x, 8) < 1e-12 and min(mismatch(weights[3], x, t) for t in range(1, 8)) > 0.1
