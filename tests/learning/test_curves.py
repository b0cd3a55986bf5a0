"""The learning-curve experiment: recorded runs redone by hand, the summaries recomputed from
the runs with plain loops and scipy, a small run that a broken model would fail, and the
page's claims as statements about the seeds."""
import dataclasses
import json
import math

import numpy as np
import pytest
import threadpoolctl

from oracles.learning_runs import MODELS, SHORT, check_measurement, check_summaries, paired
from pipeline.paths import ROOT as PROJECT
from snippets.learning import _common as learning
from snippets.lib import nets

CHANCE = 1 / 10


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
                    "dense_gap_largest", "local_gap_largest", "conv_gap_largest", "widest_spread",
                    "narrowest_conv_advantage", "narrowest_conv_advantage_at", "conv_lead",
                    "local_minus_dense_lowest", "local_minus_dense_largest", "local_gap_excess_highest")
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
    narrowest = min(sizes, key=lambda n: sum(leads[n]))
    assert values["narrowest_conv_advantage_at"] == narrowest
    check_measurement(values["narrowest_conv_advantage"], leads[narrowest])
    local = {n: paired(tests, "locally connected", "dense", n) for n in sizes}
    check_measurement(values["local_minus_dense_lowest"], min(local.values(), key=sum))
    check_measurement(values["local_minus_dense_largest"], local[sizes[-1]])
    cell = {(r["model"], r["training examples"], r["seed"]): r for r in values["runs"]}
    seeds = sorted({r["seed"] for r in values["runs"]})
    gap = lambda m, n, s: cell[m, n, s]["train accuracy"] - cell[m, n, s]["test accuracy"]
    excess = {n: [100 * (gap("locally connected", n, s) - gap("dense", n, s)) for s in seeds] for n in sizes}
    check_measurement(values["local_gap_excess_highest"], max(excess.values(), key=sum))


@pytest.mark.covers("learning_curves", "test_accuracy", "gap", "conv_lead", "lowest_train_accuracy",
                    "conv_largest", "dense_smallest", "local_smallest", "conv_matches_dense_with",
                    "conv_short_of_dense_with", "examples_ratio", "examples_ratio_bound")
def test_what_the_page_says_about_shifted_digits(values):
    table, gaps = values["test_accuracy"], values["gap"]
    mean = lambda row, model: row[model]["mean"]
    # "Every run fits its training set almost perfectly": at least nine in ten right on
    # every run, so the gap is about the test error.
    assert values["lowest_train_accuracy"] >= 0.9
    # "ahead at every size, seed by seed": the 95% interval of the paired lead excludes zero
    # at every size (a broken model would sit near chance).
    assert all(row["convolutional − dense (points)"]["low"] > 0 for row in values["conv_lead"])
    assert values["conv_largest"]["low"] >= 0.8
    # With one example of each digit, the other two are barely above chance (on average).
    assert max(values["dense_smallest"]["mean"], values["local_smallest"]["mean"]) < CHANCE + 0.1
    # Every curve rises with more data (means); the convolutional gap is the smallest at every size.
    for model in MODELS:
        assert all(mean(a, model) < mean(b, model) for a, b in zip(table, table[1:]))
    assert all(mean(row, "convolutional") == min(mean(row, m) for m in MODELS) for row in gaps)
    # The fewest examples with which the convolutional model matches the dense model's best,
    # and the size below, where it does not: the factor is bracketed by the grid.
    sizes = [row["training examples"] for row in table]
    target = mean(table[-1], "dense")
    enough = min(n for row, n in zip(table, sizes) if mean(row, "convolutional") >= target)
    below = max([n for n in sizes if n < enough], default=0)
    assert values["conv_matches_dense_with"] == enough < sizes[-1]
    assert values["conv_short_of_dense_with"] == below
    assert values["examples_ratio"] == sizes[-1] / enough
    assert values["examples_ratio_bound"] == (sizes[-1] / below if below else sizes[-1])


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
