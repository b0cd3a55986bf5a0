"""The learning-curve experiment: a run redone by hand, the summaries recomputed from the
runs with plain loops, a small run that a broken model would fail, and the page's claims."""
import dataclasses
import io
import math
import sys

import numpy as np
import pytest
import threadpoolctl

from oracles.learning_runs import MODELS, SHORT, check_summaries
from snippets.learning import _common as learning

CHANCE = 1 / 10
from snippets.lib import nets



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


@pytest.mark.covers("learning_curves", "learning_rate", "batch_size", "epochs", "min_steps", "seeds", "sizes",
                    "smallest", "largest")
def test_one_run_redone_by_hand_gives_the_recorded_accuracies(values):
    sizes = values["sizes"]
    assert sizes == sorted(sizes) and values["smallest"] == sizes[0] and values["largest"] == sizes[-1]
    assert all(n % 10 == 0 for n in sizes)  # class-balanced: the same count of every digit
    seed, n = values["seeds"] - 1, sizes[1]
    data = learning.split()
    chosen = balanced_by_loop(data.y_train, n // 10, np.random.default_rng((learning.SEED, seed)))
    x, y = data.x_train[chosen], data.y_train[chosen]
    rng = np.random.default_rng((learning.SEED, seed, n // 10))
    model = hand_built_conv(rng)
    batches = math.ceil(n / values["batch_size"])
    epochs = max(values["epochs"], math.ceil(values["min_steps"] / batches))
    with threadpoolctl.threadpool_limits(limits=1):  # as the engine runs snippets
        nets.train(model, x, y, rng, epochs=epochs, batch_size=values["batch_size"], lr=values["learning_rate"])
        train, test = nets.accuracy(model, x, y), nets.accuracy(model, data.x_test, data.y_test)
    [recorded] = [r for r in values["runs"] if (r["model"], r["training examples"], r["seed"]) == ("convolutional", n, seed)]
    assert (recorded["train accuracy"], recorded["test accuracy"]) == (train, test)


@pytest.mark.covers("learning_curves", "runs", "test_accuracy", "gap", "dense_smallest", "local_smallest",
                    "conv_smallest", "dense_largest", "local_largest", "conv_largest", "lowest_train_accuracy",
                    "dense_gap_largest", "local_gap_largest", "conv_gap_largest", "widest_spread",
                    "narrowest_conv_advantage")
def test_summaries_are_the_means_of_the_runs(values):
    spreads, advantages = check_summaries(values)
    last_gap = values["gap"][-1]
    for model, short in zip(MODELS, SHORT):
        assert values[f"{short}_gap_largest"] == last_gap[model]
    assert values["widest_spread"] == pytest.approx(max(spreads), abs=1e-9)
    assert values["narrowest_conv_advantage"] == pytest.approx(min(advantages), abs=1e-9)


@pytest.mark.covers("learning_curves", "test_accuracy", "gap", "narrowest_conv_advantage", "lowest_train_accuracy",
                    "conv_largest", "dense_smallest", "local_smallest", "conv_matches_dense_with", "examples_ratio")
def test_what_the_page_says_about_shifted_digits(values):
    table, gaps = values["test_accuracy"], values["gap"]
    # Every model (nearly) fits its training set, so the gap is about the test error.
    assert values["lowest_train_accuracy"] >= 0.95
    # The convolutional model is far ahead at every size (tables in percent); a broken one
    # would sit near chance.
    assert values["narrowest_conv_advantage"] >= 20
    assert all(row["convolutional"] >= row["locally connected"] + 20 for row in table)
    assert values["conv_largest"] >= 0.8
    # With one example of each digit, the other two are barely above chance.
    assert max(values["dense_smallest"], values["local_smallest"]) < CHANCE + 0.1
    # Every curve rises with more data; the convolutional gap is the smallest at every size.
    for model in MODELS:
        assert all(a[model] < b[model] for a, b in zip(table, table[1:]))
    assert all(row["convolutional"] == min(row[m] for m in MODELS) for row in gaps)
    # Ten times the parameters of the dense model, and no worse than it: never behind by
    # more than a point (the test set's resolution is a fifth of one), ahead at the largest size.
    assert all(row["locally connected"] >= row["dense"] - 1 for row in table)
    assert table[-1]["locally connected"] > table[-1]["dense"]
    assert all(row["locally connected"] <= row["dense"] + 1 for row in gaps)
    # The fewest examples with which the convolutional model matches the dense model's best.
    enough = min(row["training examples"] for row in table if row["convolutional"] >= table[-1]["dense"])
    assert values["conv_matches_dense_with"] == enough < table[-1]["training examples"]
    assert values["examples_ratio"] == table[-1]["training examples"] / enough


@pytest.mark.covers("learning_curves", "full_sizes", "full_largest", "full_seeds", "sizes", "seeds")
def test_the_full_mode_is_a_larger_grid_the_data_can_supply(values, monkeypatch):
    assert set(values["sizes"]) < set(values["full_sizes"]) and values["full_seeds"] > values["seeds"]
    assert values["full_largest"] == max(values["full_sizes"])
    pool = learning.split().y_train
    assert max(values["full_sizes"]) // 10 <= np.bincount(pool).min()  # every class has enough examples
    monkeypatch.setenv(learning.MODE, "full")
    per_class, seeds, control_seeds = learning.grid()
    assert [k * 10 for k in per_class] == values["full_sizes"] and seeds == values["full_seeds"] == control_seeds
    monkeypatch.delenv(learning.MODE)
    assert [k * 10 for k in learning.grid().per_class] == values["sizes"]


def test_a_small_run_learns_and_a_model_that_cannot_learn_fails_the_same_bar():
    with threadpoolctl.threadpool_limits(limits=1):
        runs = {r["model"]: r["test accuracy"] for r in learning.measure("random", (5,), 1, "test")}
        # 50 examples: the convolutional model is far above chance and far above the dense one.
        assert runs["convolutional"] > 0.45 and runs["convolutional"] > runs["dense"] + 0.2
        # The same bar, for a convolutional model trained on shuffled labels: it must fail it.
        data = learning.split()
        rng = np.random.default_rng(0)
        shuffled = dataclasses.replace(data, y_train=rng.permutation(data.y_train))
        chosen = balanced_by_loop(data.y_train, 5, rng)
        _, test = learning.train_and_test("convolutional", shuffled, chosen, rng)
    assert test < 0.25


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_and_never_in_a_log(monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    assert list(learning.with_progress(["a", "b"], "curves")) == ["a", "b"]
    assert log.getvalue() == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(learning.with_progress(["a", "b"], "curves")) == ["a", "b"]
    shown = terminal.getvalue()
    assert "curves: run 1 of 2" in shown and "curves: run 2 of 2" in shown and shown.endswith("\r\033[K")
