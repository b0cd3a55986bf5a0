"""Where sharing hurts: the measured accuracies against what the construction implies.

Oracles: the test set is checked to be closed under the half-canvas shift with opposite
labels, and a convolution with circular padding followed by global average pooling is
checked (freshly built, random weights) to give the same output on an image and its
shift; together they imply that such a model is right on exactly one image of every
pair: accuracy exactly 1/2 on every seed, whatever it learned. Parameter counts are the
sizes of the arrays each model's layers need. The other accuracies are measurements over
seeds, and each claim of the page is checked as a statement about those seeds, on the
page's block of seeds (0–9) and on a held-out block (1000–1009) that the page never
shows: "solves the task" means at least 90% test accuracy on at least 9 of the 10 seeds;
"indistinguishable from chance" is a two-sided binomial test at the 5% level (scipy);
"beats chance on some seeds and not on others" means that test rejects 1/2 on at least
one seed and not on at least one; "above chance" for a group of test images means the
95% interval (scipy's t interval) of its mean accuracy over the seeds lies above 50%.
The zero-padded model's accuracies are recomputed with every seed trained side by side
(snippets.lib.side_by_side) on both blocks.
"""
import functools

import numpy as np
import pytest
from scipy import stats

from conftest import SEED_BLOCKS

from snippets.lib import side_by_side
from snippets.sharing import position as sp

# Outputs on an image and its shift are the same numbers summed in another order:
# float64 rounding of a mean over 144 positions, about 1e-16.
SHIFT_TOLERANCE = 1e-12
SOLVED, ON_SEEDS = 0.9, 9
PAGE, HELD_OUT = "page seeds 0-9", "held-out seeds 1000-1009"


@pytest.fixture(scope="module")
def held_out():
    """Every value of the page, measured on the held-out block of seeds (1000–1009)."""
    return sp.measure(sp.HELD_OUT_SEEDS)


@pytest.fixture(params=SEED_BLOCKS)
def blocks(request):
    """[(name, values, seeds)] of one block, the page's or the held-out one: every claim
    is checked on both."""
    if request.param == "page":
        return [(PAGE, request.getfixturevalue("values"), sp.PAGE_SEEDS)]
    return [(HELD_OUT, request.getfixturevalue("held_out"), sp.HELD_OUT_SEEDS)]


def trained_side_by_side(seeds):
    """The zero-padded convolution's accuracy on each of `seeds`, recomputed with every
    seed trained side by side (snippets.lib.side_by_side: a grouped convolution, not the
    snippet's one-seed-at-a-time loop)."""
    options, _ = sp.MODELS[sp.ZERO_PADDED]
    index = list(sp.MODELS).index(sp.ZERO_PADDED)
    data = [sp.seed_data(seed) for seed in seeds]
    rngs = [np.random.default_rng((sp.SEED, seed, index)) for seed in seeds]
    model = side_by_side.stack([sp.network(rng, **options) for rng in rngs])
    side_by_side.train(model, np.stack([d[0][0] for d in data]), np.stack([d[0][1] for d in data]), rngs,
                 epochs=sp.EPOCHS, batch_size=sp.BATCH, lr=sp.LR)
    return side_by_side.accuracy(model, np.stack([d[1][0] for d in data], axis=1), np.stack([d[1][1] for d in data], axis=1))


@pytest.fixture(scope="module")
def zero_padded():
    """Block name -> its recomputed accuracies, each block trained when first asked for."""
    seeds = {PAGE: sp.PAGE_SEEDS, HELD_OUT: sp.HELD_OUT_SEEDS}
    return functools.cache(lambda block: trained_side_by_side(seeds[block]))


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
def test_the_circular_convolution_is_exactly_at_chance_on_every_seed(blocks):
    for block, v, _ in blocks:
        assert v["pair_output_gap"] < SHIFT_TOLERANCE, block
        m = v["conv_accuracy"]
        assert m["n"] == v["seeds"] >= 10, block
        assert m["min"] == m["max"] == 0.5, block  # one right per pair, exactly, on every seed
    values = blocks[0][1]
    assert values["test_size"] == 2 * sp.TEST_PAIRS and values["train_size"] == sp.TRAIN
    assert tuple(values["canvas"]) == (sp.CANVAS, sp.CANVAS)


@pytest.mark.covers("sharing_position", "zero_padding_accuracy", "zero_padding_at_chance", "zero_padding_lowest",
                    "zero_padding_highest", "per_seed", "zero_padding_beats_chance_on", "zero_padding_at_chance_on",
                    "zero_padding_solves_on")
def test_zero_padding_beats_chance_on_some_seeds_and_not_on_others(blocks, zero_padded):
    for block, v, _ in blocks:
        per_seed = np.array([row[sp.ZERO_PADDED] for row in v["per_seed"]])
        # float rounding may flip a borderline image: at most one of the 256 per seed
        np.testing.assert_allclose(per_seed, zero_padded(block), atol=1.5 / v["test_size"], err_msg=block)
        m = v["zero_padding_accuracy"]
        assert m["n"] == len(per_seed) and m["mean"] == pytest.approx(per_seed.mean(), abs=1e-9)
        low, high = stats.t.interval(0.95, len(per_seed) - 1, loc=per_seed.mean(), scale=stats.sem(per_seed))
        assert (m["low"], m["high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
        assert (v["zero_padding_lowest"], v["zero_padding_highest"]) == (per_seed.min(), per_seed.max())
        # "at chance": a binomial test on the 256 test images does not reject 1/2
        n = v["test_size"]
        at_chance = [stats.binomtest(round(a * n), n, 0.5).pvalue > 0.05 for a in per_seed]
        assert v["zero_padding_at_chance"] == sum(at_chance), block
        # The page: it beats chance on some seeds, is at chance on others, and solves the
        # task on none.
        assert 0 < sum(at_chance) < len(per_seed), block
        assert (v["zero_padding_beats_chance_on"], v["zero_padding_at_chance_on"]) == ("some", "some"), block
        assert per_seed.max() < SOLVED and v["zero_padding_solves_on"] == "no", block


@pytest.mark.covers("sharing_position", "zero_padding_by_edge", "zero_padding_above_chance_only_at_the_edge")
def test_zero_padding_helps_only_next_to_an_edge(blocks):
    key = "distance to the nearer side edge (pixels)"
    for block, v, seeds in blocks:
        rows = v["zero_padding_by_edge"]
        cols = np.stack([sp.seed_data(s)[1][2] for s in seeds])
        distances = np.minimum(cols, sp.CANVAS - sp.SQUARE - cols)  # columns to the nearer side edge
        assert [row[key] for row in rows] == sorted(set(distances.ravel().tolist())), block
        assert [row["test images per seed (mean)"] for row in rows] == [
            pytest.approx((distances == row[key]).sum() / len(seeds)) for row in rows], block
        # The page: only the squares touching an edge are classified above chance (the
        # t interval of their accuracy over the seeds lies above 50%).
        above = [row["accuracy, zero padding (%)"]["low"] > 50 for row in rows]
        assert above[0] and not any(above[1:]), block
        assert v["zero_padding_above_chance_only_at_the_edge"] is True, block


@pytest.mark.covers("sharing_position", "shared_flat_accuracy", "local_gap_accuracy", "local_accuracy",
                    "coordconv_accuracy", "design", "solved_threshold")
def test_only_sharing_with_global_pooling_fails(blocks):
    for block, v, _ in blocks:
        assert v["solved_threshold"] == SOLVED
        design = {(row["weights"], row["then"]): row for row in v["design"]}
        assert set(design) == {("shared", "global pooling"), ("shared", "flatten + dense"),
                               ("untied", "global pooling"), ("untied", "flatten + dense")}
        count = next(k for k in v["design"][0] if k.startswith("seeds at"))
        for cell, row in design.items():
            m = row["test accuracy (%)"]
            if cell == ("shared", "global pooling"):
                assert row[count] == 0 and m["max"] < 100 * SOLVED, block
            else:
                assert row[count] >= ON_SEEDS and m["n"] == sp.SEEDS, (block, cell)
        for key in ("shared_flat_accuracy", "local_gap_accuracy", "local_accuracy", "coordconv_accuracy"):
            assert v[key]["low"] > SOLVED, (block, key)  # solved on average, and (above) on nearly every seed
        for cell, key in ((("shared", "flatten + dense"), "shared_flat_accuracy"),
                          (("untied", "global pooling"), "local_gap_accuracy")):
            assert design[cell]["test accuracy (%)"]["mean"] == pytest.approx(100 * v[key]["mean"])


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


def test_the_figure_keeps_its_text_inside_and_off_the_data(snippet_runs):
    """Issue 19: the axis label was cut at the figure's edge and the value labels sat on the
    error bars. Every text lies inside the figure, and no value label covers a seed's dot
    or an error bar."""
    import matplotlib.text
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection

    from snippets.lib import style

    with style.use("light"):
        fig = sp.figure_accuracy(snippet_runs.values("sharing_position"))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    outside = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()
               and not fig.bbox.padded(1).contains(*t.get_window_extent(renderer).p0)
               or t.get_text() and not fig.bbox.padded(1).contains(*t.get_window_extent(renderer).p1)]
    assert not outside
    ax = fig.axes[-1]
    marks = [ax.transData.transform(line.get_xydata()) for line in ax.lines]
    for c in ax.collections:
        if isinstance(c, LineCollection):  # error bars: sample each segment densely
            marks += [np.linspace(*ax.transData.transform(seg), 50) for seg in c.get_segments()]
    for t in ax.texts:
        box = t.get_window_extent(renderer)
        assert not any(box.contains(x, y) for points in marks for x, y in points), t.get_text()
