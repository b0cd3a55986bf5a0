"""The learning-curve experiment: recorded runs redone by hand, the summaries recomputed from
the runs with plain loops and scipy, a small run that a broken model would fail, and the
page's claims as statements about the seeds."""
import dataclasses
import json
import math

import numpy as np
import pytest
import threadpoolctl

from oracles.learning_runs import (MODELS, SHORT, check_measurement, check_summaries, differences, grid, interval,
                                   mean, paired)
from pipeline.paths import ROOT as PROJECT
from snippets.learning import _common as learning
from snippets.lib import nets

CHANCE = 1 / 10
RECORD = json.loads((PROJECT / "benchmarks/results/learning_runs.json").read_text(encoding="utf-8"))
HELD_OUT = ("held-out seeds", "held-out seeds, new split")  # blocks recorded beside the page's
BLOCKS = ("page", *HELD_OUT)
ROUND = (1, 2, 5, 10, 20, 50, 100)  # the round numbers the page states bounds in


def block_runs(block, placement):
    """The runs of one block: the page's, or a held-out block the page never shows."""
    return RECORD["runs"][placement] if block == "page" else RECORD["held_out"][block]["runs"][placement]


def holds(words, count, total):
    """Whether "at every size", "at most sizes", "at some sizes" or "at no size" is true of
    `count` sizes of `total`: the meaning of the words, whichever the snippet chose."""
    return {"at every size": count == total, "at most sizes": 2 * count > total,
            "at some sizes": 0 < count, "at no size": count == 0}[words]


def exact_words(count, total):
    """The words the page should use for `count` of `total` sizes: the strongest that hold."""
    return ("at every size" if count == total else "at no size" if count == 0
            else "at most sizes" if 2 * count > total else "at some sizes")


def hand_built_conv(rng):
    """The convolutional model from nets layers, drawing its weights in the experiment's order."""
    return nets.Sequential(nets.Conv(1, 32, 5, rng), nets.ReLU(), nets.MaxPool(8), nets.Flatten(),
                           nets.Dense(32, 10, rng))


def balanced_by_loop(labels, per_class, rng):
    chosen = []
    for digit in range(10):
        members = np.array([i for i, label in enumerate(labels) if label == digit])
        chosen.extend(rng.permutation(members)[:per_class])
    return np.array(chosen)


def redo(values, placement, model_builder, seed, n):
    """One recorded run, redone with nets and a loop-built training set."""
    data = learning.split(placement)
    chosen = balanced_by_loop(data.y_train, n // 10, np.random.default_rng((learning.SEED, seed)))
    x, y = data.x_train[chosen], data.y_train[chosen]
    rng = np.random.default_rng((learning.SEED, seed, n // 10))
    model = model_builder(rng)
    batches = math.ceil(n / values["batch_size"])
    epochs = max(values["epochs"], math.ceil(values["min_steps"] / batches))
    with threadpoolctl.threadpool_limits(limits=1):  # as the engine runs snippets
        nets.train(model, x, y, rng, epochs=epochs, batch_size=values["batch_size"], lr=values["learning_rate"])
        return nets.accuracy(model, x, y), nets.accuracy(model, data.x_test, data.y_test)


@pytest.mark.covers("learning_curves", "learning_rate", "batch_size", "epochs", "min_steps", "seeds", "sizes",
                    "smallest", "largest", "runs")
def test_recorded_runs_redone_by_hand_give_the_recorded_accuracies(values):
    """The record was made by benchmarks/learning_runs.py; retraining a sample of its runs
    with today's code must give exactly the recorded accuracies (else rerun the script)."""
    sizes = values["sizes"]
    assert sizes == sorted(sizes) and values["smallest"] == sizes[0] and values["largest"] == sizes[-1]
    assert all(n % 10 == 0 for n in sizes)  # class-balanced: the same count of every digit
    for seed, n in ((values["seeds"] - 1, sizes[1]), (0, sizes[0])):
        train, test = redo(values, "random", hand_built_conv, seed, n)
        [recorded] = [r for r in values["runs"]
                      if (r["model"], r["training examples"], r["seed"]) == ("convolutional", n, seed)]
        assert (recorded["train accuracy"], recorded["test accuracy"]) == (train, test)
    with threadpoolctl.threadpool_limits(limits=1):
        for run in learning.measure("random", (sizes[0] // 10,), 1):
            [recorded] = [r for r in values["runs"] if (r["model"], r["training examples"], r["seed"])
                          == (run["model"], run["training examples"], run["seed"])]
            assert recorded == run  # every model, seed 0, smallest size


@pytest.mark.covers("learning_curves", "runs", "test_accuracy", "gap", "dense_smallest", "local_smallest",
                    "conv_smallest", "dense_largest", "local_largest", "conv_largest", "lowest_train_accuracy",
                    "dense_gap_largest", "local_gap_largest", "conv_gap_largest", "widest_spread", "conv_lead",
                    "local_minus_dense_largest")
def test_summaries_are_the_means_of_the_runs(values):
    tests = check_summaries(values)
    sizes = values["sizes"]
    last_gap = values["gap"][-1]
    for model, short in zip(MODELS, SHORT):
        assert values[f"{short}_gap_largest"] == last_gap[model]
    spreads = [100 * (max(t) - min(t)) for t in tests.values()]
    assert values["widest_spread"] == pytest.approx(max(spreads), abs=1e-9)
    leads = {n: paired(tests, "convolutional", "dense", n) for n in sizes}
    for row, n in zip(values["conv_lead"], sizes):
        assert row["training examples"] == n
        check_measurement(row["convolutional − dense (points)"], leads[n])
    local = {n: paired(tests, "locally connected", "dense", n) for n in sizes}
    check_measurement(values["local_minus_dense_largest"], local[sizes[-1]])


@pytest.mark.covers("learning_curves", "conv_ahead_where", "conv_lead_floor", "train_floor", "local_behind_where",
                    "local_minus_dense_largest_verdict", "local_gap_larger_where", "local_gap_smaller_where",
                    "spread_floor", "lowest_train_accuracy", "widest_spread")
def test_the_page_s_words_are_the_strongest_its_own_runs_support(values):
    """Each word or bound the page states, derived again from the page's runs."""
    sizes, test, gap = grid(values["runs"])
    lead = [interval(differences(test, "convolutional", "dense", n)) for n in sizes]
    local = [interval(differences(test, "locally connected", "dense", n)) for n in sizes]
    local_gap = [interval(differences(gap, "locally connected", "dense", n)) for n in sizes]
    assert values["conv_ahead_where"] == exact_words(sum(low > 0 for _, low, _ in lead), len(sizes))
    floor = min(low for _, low, _ in lead)  # "by more than F points": F the largest round number below
    assert values["conv_lead_floor"] in ROUND and values["conv_lead_floor"] <= floor
    assert all(r > floor for r in ROUND if r > values["conv_lead_floor"])
    lowest = min(r["train accuracy"] for r in values["runs"])
    assert values["lowest_train_accuracy"] == lowest
    assert values["train_floor"] in [t / 10 for t in range(11)] and values["train_floor"] <= lowest < values["train_floor"] + 0.1
    assert values["local_behind_where"] == exact_words(sum(high < 0 for _, _, high in local), len(sizes))
    _, low, high = local[-1]
    assert values["local_minus_dense_largest_verdict"] == ("ahead" if low > 0 else "behind" if high < 0 else "level")
    assert values["local_gap_larger_where"] == exact_words(sum(low > 0 for _, low, _ in local_gap), len(sizes))
    assert values["local_gap_smaller_where"] == exact_words(sum(high < 0 for _, _, high in local_gap), len(sizes))
    spreads = [100 * (max(t) - min(t)) for t in test.values()]
    assert values["widest_spread"] == pytest.approx(max(spreads), abs=1e-9)
    assert values["spread_floor"] in ROUND and values["spread_floor"] <= max(spreads)
    assert all(r > max(spreads) for r in ROUND if r > values["spread_floor"])


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.covers("learning_curves", "conv_ahead_where", "conv_lead_floor", "train_floor", "local_behind_where",
                    "local_minus_dense_largest_verdict", "local_gap_larger_where", "local_gap_smaller_where",
                    "spread_floor", "conv_matches_dense_with", "conv_short_of_dense_with", "examples_ratio",
                    "examples_ratio_bound", "largest")
def test_every_sentence_about_shifted_digits_holds_on_every_block(values, block):
    """What the page says about the shifted digits, true of the page's seeds, of seeds it
    never shows, and of those seeds on another split of the digits."""
    sizes, test, gap = grid(block_runs(block, "random"))
    total = len(sizes)
    lead = [interval(differences(test, "convolutional", "dense", n)) for n in sizes]
    # "ahead of the dense one <where>, seed by seed, by more than <floor> percentage points"
    assert holds(values["conv_ahead_where"], sum(low > 0 for _, low, _ in lead), total)
    assert all(low > values["conv_lead_floor"] for _, low, _ in lead)
    # "barely better than guessing (one in ten)": the dense and locally connected models
    # with one example of each digit, on average below twice chance
    for model in ("dense", "locally connected"):
        assert mean(test[model, sizes[0]]) < 2 * CHANCE
    # "with <matches> examples it matches, on average, what the dense model reaches with
    # <largest>; with <short of>, the size below on the grid, it does not yet"
    target = mean(test["dense", sizes[-1]])
    assert values["largest"] == sizes[-1]
    assert mean(test["convolutional", values["conv_matches_dense_with"]]) >= target
    assert mean(test["convolutional", values["conv_short_of_dense_with"]]) < target
    assert sizes.index(values["conv_matches_dense_with"]) == sizes.index(values["conv_short_of_dense_with"]) + 1
    assert values["examples_ratio"] == sizes[-1] / values["conv_matches_dense_with"]
    assert values["examples_ratio_bound"] == sizes[-1] / values["conv_short_of_dense_with"]
    # "differs by more than <spread floor> percentage points at some sizes"
    assert max(100 * (max(t) - min(t)) for t in test.values()) > values["spread_floor"]
    # the gap figure's alt text: "the gap shrinks as the training set grows" (every model's mean)
    for model in MODELS:
        assert all(mean(gap[model, a]) > mean(gap[model, b]) for a, b in zip(sizes, sizes[1:]))
    # "the convolutional model has the smallest gap at every size" (means; so says the caption)
    for n in sizes:
        assert mean(gap["convolutional", n]) < min(mean(gap[m, n]) for m in MODELS if m != "convolutional")
    # "every run of every model gets at least <train floor> of its own training examples right"
    assert min(r["train accuracy"] for r in block_runs(block, "random")) >= values["train_floor"]
    # the locally connected model: behind the dense one <where>; at the largest size <verdict>;
    # its gap larger <where> and smaller <where>
    local = [interval(differences(test, "locally connected", "dense", n)) for n in sizes]
    assert holds(values["local_behind_where"], sum(high < 0 for _, _, high in local), total)
    verdict = values["local_minus_dense_largest_verdict"]
    _, low, high = local[-1]
    assert {"ahead": low > 0, "behind": high < 0, "level": low <= 0 <= high}[verdict]
    local_gap = [interval(differences(gap, "locally connected", "dense", n)) for n in sizes]
    assert holds(values["local_gap_larger_where"], sum(low > 0 for _, low, _ in local_gap), total)
    assert holds(values["local_gap_smaller_where"], sum(high < 0 for _, _, high in local_gap), total)


@pytest.mark.covers("learning_curves", "held_out_seeds")
def test_held_out_blocks_are_disjoint_from_the_page_s_and_complete(values):
    page_seeds = {r["seed"] for r in RECORD["runs"]["random"]}
    for block in HELD_OUT:
        entry = RECORD["held_out"][block]
        assert not page_seeds & set(entry["seeds"]) and len(entry["seeds"]) >= 10
        assert values["held_out_seeds"] == len({r["seed"] for r in entry["runs"]["random"]})
        for placement in ("random", "centred"):
            runs = entry["runs"][placement]
            assert {r["seed"] for r in runs} == set(entry["seeds"])
            assert grid(runs)[0] == grid(RECORD["runs"][placement])[0]  # the same sizes
    splits = {RECORD["held_out"][block]["data_seed"] for block in HELD_OUT}
    assert len(splits) == 2  # one held-out block on the page's split, one on another


def retrain_side_by_side(block, placement, model, per_class):
    """The runs of one held-out block, model and size, trained again now (all its seeds side
    by side, snippets/lib/patch_models.py): what the record must hold."""
    entry = RECORD["held_out"][block]
    with threadpoolctl.threadpool_limits(limits=1):
        return learning.measure(placement, (per_class,), entry["seeds"], models=(model,), data_seed=entry["data_seed"])


@pytest.mark.heldout  # retrains: make test runs it; make check reads the record only
@pytest.mark.parametrize("block", HELD_OUT)
def test_held_out_runs_retrained_now_give_the_recorded_accuracies(block):
    """A sample of every held-out block, both placements, all three models: the record the
    claims above are checked on is what today's code trains (else rerun the benchmark)."""
    sample = (("random", "convolutional", 1), ("random", "locally connected", 1), ("centred", "dense", 100),
              ("centred", "convolutional", 2))
    for placement, model, per_class in sample:
        recorded = {(r["model"], r["training examples"], r["seed"]): r
                    for r in RECORD["held_out"][block]["runs"][placement]}
        for run in retrain_side_by_side(block, placement, model, per_class):
            assert recorded[run["model"], run["training examples"], run["seed"]] == run


def test_a_small_run_learns_and_a_model_that_cannot_learn_fails_the_same_bar():
    with threadpoolctl.threadpool_limits(limits=1):
        runs = {r["model"]: r["test accuracy"] for r in learning.measure("random", (5,), 1)}
        # 50 examples: the convolutional model is far above chance and far above the dense one.
        assert runs["convolutional"] > 0.45 and runs["convolutional"] > runs["dense"] + 0.2
        # The same bar, for a convolutional model trained on shuffled labels: it must fail it.
        data = learning.split()
        rng = np.random.default_rng(0)
        shuffled = dataclasses.replace(data, y_train=rng.permutation(data.y_train))
        chosen = balanced_by_loop(data.y_train, 5, rng)
        _, test = learning.train_and_test("convolutional", shuffled, chosen, rng)
    assert test < 0.25


@pytest.mark.covers("learning_curves", "run_count", "recorded_seconds")
def test_the_cost_the_page_gives_is_the_record_s_own(values):
    """Every run of both placements, and the seconds benchmarks/learning_runs.py measured."""
    record = json.loads((PROJECT / "benchmarks/results/learning_runs.json").read_text(encoding="utf-8"))
    placements = record["runs"]
    assert set(placements) == {"random", "centred"}
    assert values["run_count"] == sum(len(runs) for runs in placements.values())
    assert values["run_count"] == 2 * len(MODELS) * len(values["sizes"]) * values["seeds"]
    seconds = [s for by_model in record["seconds"].values() for s in by_model.values()]
    assert len(seconds) == 2 * len(MODELS) and all(s > 0 for s in seconds)
    assert values["recorded_seconds"] == round(sum(seconds))
