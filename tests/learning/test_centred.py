"""The centred control: a sample of its recorded runs retrained one seed at a time with the
reference layers, its summaries recomputed from the runs, and every sentence the page
states about it checked on the page's seeds and on the held-out blocks."""
import json
import math

import numpy as np
import pytest
import threadpoolctl

from oracles.learning_runs import MODELS, check_measurement, check_summaries, differences, grid, interval, mean, paired
from pipeline.paths import ROOT as PROJECT
from snippets.learning import _common as learning
from snippets.lib import digits, nets

RECORD = json.loads((PROJECT / "benchmarks/results/learning_runs.json").read_text(encoding="utf-8"))
BLOCKS = ("page", "held-out seeds", "held-out seeds, new split")
ROUND = (1, 2, 5, 10, 20, 50, 100)


def block_runs(block, placement):
    return RECORD["runs"][placement] if block == "page" else RECORD["held_out"][block]["runs"][placement]


def build_by_hand(name, rng):
    """The three models from nets layers, drawing their weights in the experiment's order."""
    if name == "dense":
        first = [nets.Flatten(), nets.Dense(12 * 12, 32, rng), nets.ReLU()]
    elif name == "convolutional":
        first = [nets.Conv(1, 32, 5, rng), nets.ReLU(), nets.MaxPool(8), nets.Flatten()]
    else:
        first = [nets.LocallyConnected(1, 32, 5, (12, 12), rng), nets.ReLU(), nets.MaxPool(8), nets.Flatten()]
    return nets.Sequential(*first, nets.Dense(32, 10, rng))


def retrain_alone(values, name, n, seed):
    """One recorded centred run, trained again alone with nets.train (the reference trainer,
    not the side-by-side one that made the record): its (train, test) accuracy."""
    data = digits.split(12, 500, learning.DATA_SEED, "centred")
    rng_set = np.random.default_rng((learning.SEED, seed))
    chosen = np.concatenate([rng_set.permutation(np.flatnonzero(data.y_train == c))[:n // 10] for c in range(10)])
    x, y = data.x_train[chosen], data.y_train[chosen]
    rng = np.random.default_rng((learning.SEED, seed, n // 10))
    model = build_by_hand(name, rng)
    epochs = max(20, math.ceil(150 / math.ceil(n / 32)))
    with threadpoolctl.threadpool_limits(limits=1):
        nets.train(model, x, y, rng, epochs=epochs, batch_size=32, lr=0.01)
        return nets.accuracy(model, x, y), nets.accuracy(model, data.x_test, data.y_test)


@pytest.mark.covers("learning_centred", "runs", "sizes", "seeds")
def test_recorded_centred_runs_retrained_alone_give_the_recorded_accuracies(values):
    """A stale or wrong record fails: every model, at a small and a large size."""
    cell = {(r["model"], r["training examples"], r["seed"]): r for r in values["runs"]}
    sizes, last_seed = values["sizes"], values["seeds"] - 1
    for name, n, seed in (("convolutional", sizes[1], last_seed), ("locally connected", sizes[0], 0),
                          ("dense", sizes[-1], 3)):
        train, test = retrain_alone(values, name, n, seed)
        recorded = cell[name, n, seed]
        assert (recorded["train accuracy"], recorded["test accuracy"]) == (train, test), (name, n, seed)


@pytest.mark.covers("learning_centred", "runs", "test_accuracy", "gap", "smallest", "largest", "seeds", "sizes",
                    "dense_smallest", "local_smallest", "conv_smallest", "dense_largest", "local_largest",
                    "conv_largest", "lowest_train_accuracy", "conv_lead", "conv_lead_largest",
                    "local_minus_dense_largest", "local_gap_minus_dense_largest")
def test_summaries_are_the_means_of_the_runs(values):
    tests = check_summaries(values)
    sizes = values["sizes"]
    for row, n in zip(values["conv_lead"], sizes):
        assert row["training examples"] == n
        check_measurement(row["convolutional − dense (points)"], paired(tests, "convolutional", "dense", n))
    last = sizes[-1]
    check_measurement(values["conv_lead_largest"], paired(tests, "convolutional", "dense", last))
    check_measurement(values["local_minus_dense_largest"], paired(tests, "locally connected", "dense", last))
    _, _, gap = grid(values["runs"])
    check_measurement(values["local_gap_minus_dense_largest"], differences(gap, "locally connected", "dense", last))


@pytest.mark.covers("learning_centred", "lead_within", "lead_sign", "conv_lead_largest_verdict",
                    "local_minus_dense_largest_verdict", "local_gap_minus_dense_largest_verdict")
def test_the_page_s_words_are_the_strongest_its_own_runs_support(values):
    sizes, test, gap = grid(values["runs"])
    means = [mean(differences(test, "convolutional", "dense", n)) for n in sizes]
    widest = max(abs(m) for m in means)  # "within W points of zero": W the smallest round number above
    assert values["lead_within"] in ROUND and values["lead_within"] >= widest
    assert all(r < widest for r in ROUND if r < values["lead_within"])
    positive, negative = any(m > 0 for m in means), any(m < 0 for m in means)
    assert values["lead_sign"] == ("changes sign from one size to another" if positive and negative
                                   else "is positive at every size" if positive else "is negative at every size")
    last = sizes[-1]
    for key, table, ahead, words in (
            ("conv_lead_largest_verdict", test, "convolutional", ("ahead", "behind", "level")),
            ("local_minus_dense_largest_verdict", test, "locally connected", ("ahead", "behind", "level")),
            ("local_gap_minus_dense_largest_verdict", gap, "locally connected", ("larger", "smaller", "no different"))):
        _, low, high = interval(differences(table, ahead, "dense", last))
        assert values[key] == (words[0] if low > 0 else words[1] if high < 0 else words[2])


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.covers("learning_centred", "lead_within", "lead_sign", "conv_lead_largest_verdict",
                    "local_minus_dense_largest_verdict", "local_gap_minus_dense_largest_verdict", "largest")
def test_every_sentence_about_centred_digits_holds_on_every_block(values, block):
    """What the page says about centred digits, true of the page's seeds, of seeds it never
    shows, and of those seeds on another split of the digits."""
    sizes, test, gap = grid(block_runs(block, "centred"))
    assert values["largest"] == sizes[-1]
    means = [mean(differences(test, "convolutional", "dense", n)) for n in sizes]
    # "at every size the mean lead is within <W> percentage points of zero, and it <sign>"
    assert all(abs(m) <= values["lead_within"] for m in means)
    sign = {"changes sign from one size to another": min(means) < 0 < max(means),
            "is positive at every size": min(means) > 0, "is negative at every size": max(means) < 0}
    assert sign[values["lead_sign"]]
    # the caption: "the three curves lie close together at every size" (within the same bound)
    for n in sizes:
        at_n = [mean(test[m, n]) for m in MODELS]
        assert 100 * (max(at_n) - min(at_n)) <= values["lead_within"]
    # at the largest size: the convolutional model <verdict> of the dense one; the locally
    # connected model <verdict> of it, with a gap <verdict> than the dense model's
    last = sizes[-1]
    for key, table, ahead, words in (
            ("conv_lead_largest_verdict", test, "convolutional", ("ahead", "behind", "level")),
            ("local_minus_dense_largest_verdict", test, "locally connected", ("ahead", "behind", "level")),
            ("local_gap_minus_dense_largest_verdict", gap, "locally connected", ("larger", "smaller", "no different"))):
        _, low, high = interval(differences(table, ahead, "dense", last))
        assert dict(zip(words, (low > 0, high < 0, low <= 0 <= high)))[values[key]], (key, block)


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.covers("learning_centred", "lead_within")
def test_centring_lifts_the_other_models_far_above_their_shifted_curves(values, block):
    """Interval against interval, on every block: without shifts the dense and locally
    connected models are at least 15 points above where they were with shifts, at every
    size, and the convolutional model's lead, more than 20 points with shifts (the other
    test file), is within the page's bound of zero."""
    sizes, centred, _ = grid(block_runs(block, "centred"))
    shifted_sizes, shifted, _ = grid(block_runs(block, "random"))
    assert sizes == shifted_sizes
    for n in sizes:
        for model in ("dense", "locally connected"):
            assert 100 * interval(centred[model, n])[1] > 100 * interval(shifted[model, n])[2] + 15
        shifted_lead = interval(differences(shifted, "convolutional", "dense", n))[1]
        assert shifted_lead > 2 * values["lead_within"]


def legend_overlaps(fig):
    """The plotted points (line vertices and error-bar ends, in display coordinates) that fall
    inside the legend's box, after drawing the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    hits = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        for line in ax.lines:
            xy = line.get_transform().transform(line.get_xydata())
            hits += [tuple(p) for p in xy if box.contains(*p)]
        for collection in ax.collections:  # the error bars
            for segment in collection.get_segments():
                xy = collection.get_transform().transform(segment)
                hits += [tuple(p) for p in xy if box.contains(*p)]
    return hits


@pytest.mark.parametrize("snippet, figure", [("centred", "figure_accuracy"), ("curves", "figure_accuracy"),
                                             ("curves", "figure_gap")])
def test_no_legend_covers_the_curves(snippet, figure):
    import importlib

    from snippets.lib import style

    module = importlib.import_module(f"snippets.learning.{snippet}")
    v = module.compute()
    with style.use("light"):
        fig = getattr(module, figure)(v)
        assert legend_overlaps(fig) == []
        # the check sees an overlap: the same legend inside the plot, where it was before
        # (upper left), or in another corner, covers some point
        moved = []
        for loc in ("upper left", "upper right", "center", "lower right"):
            fig.axes[0].legend(loc=loc, frameon=False, fontsize=9)
            moved.append(bool(legend_overlaps(fig)))
        assert moved[0] if snippet == "centred" else any(moved)
