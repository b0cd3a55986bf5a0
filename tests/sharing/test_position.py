"""Where sharing hurts: the measured accuracies against what the construction implies.

Oracles: the test set is checked to be closed under the half-canvas shift with opposite
labels, and a convolution with circular padding followed by global average pooling is
checked (freshly built, random weights) to give the same output on an image and its
shift; together they imply that such a model is right on exactly one image of every
pair: accuracy exactly 1/2, whatever it learned. Parameter counts are the sizes of the
arrays each model's layers need. The other accuracies are measurements: the margins
below are ones a working model clears easily and a broken one (a model that cannot see
position, or sees it through a bug) does not.
"""
import numpy as np
import pytest

from snippets.sharing import position as sp

# Outputs on an image and its shift are the same numbers summed in another order:
# float64 rounding of a mean over 144 positions, about 1e-16.
SHIFT_TOLERANCE = 1e-12


def test_the_test_set_pairs_every_image_with_its_half_shift():
    images, labels, cols = sp.paired_test_set(np.random.default_rng(0))
    first, second = images[:sp.TEST_PAIRS], images[sp.TEST_PAIRS:]
    # The square is where `cols` says: a 3×3 block there sums to about 9 (noise: std
    # 0.2 × 3 = 0.6 per block), every block that does not overlap it to about 0.
    blocks = np.lib.stride_tricks.sliding_window_view(images[:, 0], (sp.SQUARE, sp.SQUARE), axis=(1, 2)).sum(axis=(3, 4))
    for block, col in zip(blocks, cols):
        apart = np.abs(np.arange(block.shape[1]) - col) >= sp.SQUARE
        assert block[:, col].max() > 6 > block[:, apart].max()
    assert np.array_equal(np.roll(first, sp.CANVAS // 2, axis=3), second)
    assert np.array_equal(labels[sp.TEST_PAIRS:], 1 - labels[:sp.TEST_PAIRS])
    assert np.array_equal(labels, (cols >= sp.CANVAS // 2).astype(int))  # the label is the half


def test_circular_convolution_with_global_pooling_cannot_see_the_shift():
    rng = np.random.default_rng(1)
    net = sp.conv_gap(rng, 1, "circular")
    x = rng.normal(size=(8, 1, sp.CANVAS, sp.CANVAS))
    gap = np.abs(net.forward(x) - net.forward(np.roll(x, sp.CANVAS // 2, axis=3))).max()
    assert gap < SHIFT_TOLERANCE
    zero_padded = sp.conv_gap(rng, 1, "zeros")  # this check can fail: zero padding sees the shift
    assert np.abs(zero_padded.forward(x) - zero_padded.forward(np.roll(x, sp.CANVAS // 2, axis=3))).max() > 1e-3


@pytest.mark.covers("sharing_position", "conv_accuracy", "pair_output_gap", "test_size", "train_size", "canvas")
def test_the_circular_convolution_is_exactly_at_chance(values):
    assert values["pair_output_gap"] < SHIFT_TOLERANCE
    assert values["conv_accuracy"] == 0.5  # one right per pair, exactly
    assert values["test_size"] == 2 * sp.TEST_PAIRS and values["train_size"] == sp.TRAIN
    assert tuple(values["canvas"]) == (sp.CANVAS, sp.CANVAS)


@pytest.mark.covers("sharing_position", "zero_padding_by_edge")
def test_zero_padding_helps_only_next_to_an_edge(values):
    rng = np.random.default_rng(sp.SEED)  # the snippet's draws: training set, then test set
    sp.squares(rng, sp.TRAIN)
    _, _, cols = sp.paired_test_set(rng)
    distance = np.array([min(c, sp.CANVAS - sp.SQUARE - c) for c in cols])  # pixels to the nearer side
    rows = values["zero_padding_by_edge"]
    key = "distance to the nearer side edge (pixels)"
    assert [row[key] for row in rows] == sorted(set(distance.tolist()))
    assert [row["test images"] for row in rows] == [int((distance == row[key]).sum()) for row in rows]
    overall = sum(row["test images"] * row["accuracy (zero padding)"] for row in rows) / len(cols)
    assert overall == pytest.approx(values["zero_padding_accuracy"], abs=1e-12)
    # The page: squares touching an edge are classified well above chance; the others
    # at about chance (a margin of 0.15, over 2 standard deviations of 60-70 coin flips).
    touching, *others = [row["accuracy (zero padding)"] for row in rows]
    assert touching > 0.6
    assert all(abs(a - 0.5) < 0.15 for a in others)


@pytest.mark.covers("sharing_position", "local_accuracy", "coordconv_accuracy", "zero_padding_accuracy")
def test_models_that_can_see_position_learn_it(values):
    # The page: the locally connected model and CoordConv are right on nearly every image.
    assert values["local_accuracy"] >= 0.95
    assert values["coordconv_accuracy"] >= 0.95
    # The page: with zero padding, the borders give a little away, not enough to solve it.
    assert 0.5 < values["zero_padding_accuracy"] < 0.75


def parameter_arrays(c_in, hidden, positions=None):
    """Weights and biases of the snippet's models, as arrays of their shapes."""
    k, n_classes = 3, 2
    if positions is None:  # conv + global pooling + dense
        return [np.zeros((hidden, c_in, k, k)), np.zeros(hidden), np.zeros((n_classes, hidden)), np.zeros(n_classes)]
    return [np.zeros((positions, positions, hidden, c_in, k, k)), np.zeros((hidden, positions, positions)),
            np.zeros((n_classes, hidden * positions * positions)), np.zeros(n_classes)]


@pytest.mark.covers("sharing_position", "results")
def test_results_table(values):
    rows = values["results"]
    side = sp.CANVAS - 2
    expected = [parameter_arrays(1, sp.FILTERS), parameter_arrays(1, sp.FILTERS),
                parameter_arrays(1, sp.FILTERS // 2, side), parameter_arrays(3, sp.FILTERS)]
    assert [row["parameters"] for row in rows] == [sum(a.size for a in arrays) for arrays in expected]
    accuracies = [values[k] for k in ("conv_accuracy", "zero_padding_accuracy", "local_accuracy", "coordconv_accuracy")]
    assert [row["test accuracy"] for row in rows] == accuracies
