"""Where sharing hurts: the measured accuracies against what the construction implies.

Oracles: the test set is checked to be closed under the half-canvas shift with opposite
labels, and a convolution with circular padding followed by global average pooling is
checked (freshly built, random weights) to give the same output on an image and its
shift; together they imply that such a model is right on exactly one image of every
pair: accuracy exactly 1/2 on every seed, whatever it learned. Parameter counts are the
sizes of the arrays each model's layers need. The other accuracies are measurements over
seeds, and each claim of the page is checked as a statement about those seeds: "solves
the task" means at least 90% test accuracy on at least 9 of the 10 seeds; "indistinguishable
from chance" is a two-sided binomial test at the 5% level (scipy); "above chance on
average" means the 95% interval of the mean lies above 1/2.
"""
import numpy as np
import pytest
from scipy import stats

from snippets.lib import seeded
from snippets.sharing import position as sp

# Outputs on an image and its shift are the same numbers summed in another order:
# float64 rounding of a mean over 144 positions, about 1e-16.
SHIFT_TOLERANCE = 1e-12
SOLVED, ON_SEEDS = 0.9, 9


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
    net = sp.network(rng, padding_mode="circular")
    x = rng.normal(size=(8, 1, sp.CANVAS, sp.CANVAS))
    gap = np.abs(net.forward(x) - net.forward(np.roll(x, sp.CANVAS // 2, axis=3))).max()
    assert gap < SHIFT_TOLERANCE
    zero_padded = sp.network(rng)  # this check can fail: zero padding sees the shift
    assert np.abs(zero_padded.forward(x) - zero_padded.forward(np.roll(x, sp.CANVAS // 2, axis=3))).max() > 1e-3


@pytest.mark.covers("sharing_position", "conv_accuracy", "pair_output_gap", "test_size", "train_size", "canvas", "seeds")
def test_the_circular_convolution_is_exactly_at_chance_on_every_seed(values):
    assert values["pair_output_gap"] < SHIFT_TOLERANCE
    m = values["conv_accuracy"]
    assert m["n"] == values["seeds"] >= 10
    assert m["min"] == m["max"] == 0.5  # one right per pair, exactly, on every seed
    assert values["test_size"] == 2 * sp.TEST_PAIRS and values["train_size"] == sp.TRAIN
    assert tuple(values["canvas"]) == (sp.CANVAS, sp.CANVAS)


@pytest.fixture(scope="module")
def zero_padded():
    """The zero-padded convolution's accuracy on each seed, recomputed with every seed
    trained side by side (snippets.lib.seeded: a grouped convolution, not the snippet's
    one-seed-at-a-time loop)."""
    options, _ = sp.MODELS[sp.ZERO_PADDED]
    index = list(sp.MODELS).index(sp.ZERO_PADDED)
    data = [sp.seed_data(seed) for seed in range(sp.SEEDS)]
    rngs = [np.random.default_rng((sp.SEED, seed, index)) for seed in range(sp.SEEDS)]
    model = seeded.stack([sp.network(rng, **options) for rng in rngs])
    seeded.train(model, np.stack([d[0][0] for d in data]), np.stack([d[0][1] for d in data]), rngs,
                 epochs=sp.EPOCHS, batch_size=sp.BATCH, lr=sp.LR)
    return seeded.accuracy(model, np.stack([d[1][0] for d in data], axis=1), np.stack([d[1][1] for d in data], axis=1))


@pytest.mark.covers("sharing_position", "zero_padding_accuracy", "zero_padding_at_chance", "zero_padding_lowest",
                    "zero_padding_highest", "per_seed")
def test_zero_padding_is_a_little_above_chance_on_average_and_at_chance_on_many_seeds(values, zero_padded):
    per_seed = np.array([row[sp.ZERO_PADDED] for row in values["per_seed"]])
    # float rounding may flip a borderline image: at most one of the 256 per seed
    np.testing.assert_allclose(per_seed, zero_padded, atol=1.5 / values["test_size"])
    zero_padded = per_seed
    m = values["zero_padding_accuracy"]
    assert m["n"] == len(zero_padded) and m["mean"] == pytest.approx(zero_padded.mean(), abs=1e-9)
    low, high = stats.t.interval(0.95, len(zero_padded) - 1, loc=zero_padded.mean(), scale=stats.sem(zero_padded))
    assert (m["low"], m["high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    assert (values["zero_padding_lowest"], values["zero_padding_highest"]) == (zero_padded.min(), zero_padded.max())
    # "at chance": a binomial test on the 256 test images does not reject 1/2
    n = values["test_size"]
    at_chance = [stats.binomtest(round(a * n), n, 0.5).pvalue > 0.05 for a in zero_padded]
    assert values["zero_padding_at_chance"] == sum(at_chance)
    # The page: it helps on some seeds and not on others, and never solves the task.
    assert 0 < sum(at_chance) < len(zero_padded)
    assert zero_padded.max() < SOLVED


@pytest.mark.covers("sharing_position", "zero_padding_by_edge")
def test_zero_padding_helps_only_next_to_an_edge(values):
    rows = values["zero_padding_by_edge"]
    key = "distance to the nearer side edge (pixels)"
    distances = np.stack([np.minimum(sp.seed_data(s)[1][2], sp.CANVAS - sp.SQUARE - sp.seed_data(s)[1][2])
                          for s in range(sp.SEEDS)])
    assert [row[key] for row in rows] == sorted(set(distances.ravel().tolist()))
    assert [row["test images per seed (mean)"] for row in rows] == [
        pytest.approx((distances == row[key]).sum() / sp.SEEDS) for row in rows]
    # The page: squares touching an edge are classified above chance (interval above 1/2);
    # for the others the interval reaches back to within a few points of chance.
    touching, *others = [row["accuracy, zero padding (%)"] for row in rows]
    assert touching["low"] > 50
    assert all(m["low"] < 55 for m in others)


@pytest.mark.covers("sharing_position", "shared_flat_accuracy", "local_gap_accuracy", "local_accuracy",
                    "coordconv_accuracy", "design", "solved_threshold")
def test_only_sharing_with_global_pooling_fails(values):
    assert values["solved_threshold"] == SOLVED
    design = {(row["weights"], row["then"]): row for row in values["design"]}
    assert set(design) == {("shared", "global pooling"), ("shared", "flatten + dense"),
                           ("untied", "global pooling"), ("untied", "flatten + dense")}
    count = next(k for k in values["design"][0] if k.startswith("seeds at"))
    for cell, row in design.items():
        m = row["test accuracy (%)"]
        solved_seeds = row[count]
        if cell == ("shared", "global pooling"):
            assert solved_seeds == 0 and m["max"] < 100 * SOLVED
        else:
            assert solved_seeds >= ON_SEEDS and m["n"] == sp.SEEDS
    for key in ("shared_flat_accuracy", "local_gap_accuracy", "local_accuracy", "coordconv_accuracy"):
        assert values[key]["low"] > SOLVED, key  # solved on average, and (above) on nearly every seed
    for cell, key in ((("shared", "flatten + dense"), "shared_flat_accuracy"),
                      (("untied", "global pooling"), "local_gap_accuracy")):
        assert design[cell]["test accuracy (%)"]["mean"] == pytest.approx(100 * values[key]["mean"])


def parameter_arrays(c_in, shared, flatten):
    """Weights and biases of the snippet's models, as arrays of their shapes."""
    k, n_classes, side, hidden = 3, 2, sp.CANVAS, sp.FILTERS
    first = ([np.zeros((hidden, c_in, k, k)), np.zeros(hidden)] if shared else
             [np.zeros((side, side, hidden, c_in, k, k)), np.zeros((hidden, side, side))])
    features = hidden * side * side if flatten else hidden
    return first + [np.zeros((n_classes, features)), np.zeros(n_classes)]


@pytest.mark.covers("sharing_position", "results", "per_seed")
def test_results_table(values):
    rows = values["results"]
    expected = [parameter_arrays(1, True, False), parameter_arrays(1, True, False), parameter_arrays(1, True, True),
                parameter_arrays(1, False, False), parameter_arrays(1, False, True), parameter_arrays(3, True, False)]
    assert [row["parameters"] for row in rows] == [sum(a.size for a in arrays) for arrays in expected]
    for row in rows:
        m = row["test accuracy (%)"]
        samples = 100 * np.array([r[row["model"]] for r in values["per_seed"]])
        assert m["n"] == sp.SEEDS == len(samples) and m["mean"] == pytest.approx(samples.mean())
        if samples.std() > 0:
            low, high = stats.t.interval(0.95, len(samples) - 1, loc=samples.mean(), scale=stats.sem(samples))
            assert (m["low"], m["high"]) == (pytest.approx(low), pytest.approx(high))
        assert (row["lowest seed (%)"], row["highest seed (%)"]) == (m["min"], m["max"])
