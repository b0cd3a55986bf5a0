"""Every summary of a learning-curve snippet, recomputed from its table of runs with the
standard library's statistics and scipy's t interval (the snippets summarise with numpy
and snippets.lib.measurement)."""
import statistics

import pytest
from scipy import stats

MODELS = ("dense", "locally connected", "convolutional")
SHORT = ("dense", "local", "conv")  # as value names abbreviate the models
TEST_SIZE = 500  # learning_data.TEST_SIZE: test accuracies are multiples of 1/500


def check_measurement(m, samples):
    """A measurement is the mean, 95% t interval, min and max of its samples."""
    assert m["n"] == len(samples) >= 10
    assert m["mean"] == pytest.approx(statistics.mean(samples), abs=1e-9)
    if len(set(samples)) > 1:
        low, high = stats.t.interval(0.95, len(samples) - 1, loc=statistics.mean(samples), scale=stats.sem(samples))
        assert (m["low"], m["high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    assert (m["min"], m["max"]) == (pytest.approx(min(samples), abs=1e-9), pytest.approx(max(samples), abs=1e-9))


def cells(values):
    """{(model, size, seed): run}, every model, size and seed exactly once, and the seeds."""
    runs = values["runs"]
    seeds = sorted({r["seed"] for r in runs})
    cell = {(r["model"], r["training examples"], r["seed"]): r for r in runs}
    assert len(cell) == len(runs)
    return cell, seeds


def check_summaries(values):
    """Every summary of a learning-curve snippet, recomputed from its table of runs; returns
    the per-seed test accuracies {(model, size): [...]} for further claims."""
    runs, sizes = values["runs"], [row["training examples"] for row in values["test_accuracy"]]
    cell, seeds = cells(values)
    assert len(runs) == len(MODELS) * len(sizes) * len(seeds) and values["seeds"] == len(seeds) >= 10
    for r in runs:
        assert (r["test accuracy"] * TEST_SIZE) == pytest.approx(round(r["test accuracy"] * TEST_SIZE), abs=1e-9)
        n = r["training examples"]
        assert (r["train accuracy"] * n) == pytest.approx(round(r["train accuracy"] * n), abs=1e-9)
    tests = {}
    for row_test, row_gap in zip(values["test_accuracy"], values["gap"]):
        n = row_test["training examples"]
        assert row_gap["training examples"] == n
        for model in MODELS:
            tests[model, n] = [cell[model, n, s]["test accuracy"] for s in seeds]
            gaps = [cell[model, n, s]["train accuracy"] - cell[model, n, s]["test accuracy"] for s in seeds]
            # tables are in percent and percentage points
            check_measurement(row_test[model], [100 * t for t in tests[model, n]])
            check_measurement(row_gap[model], [100 * g for g in gaps])
    first, last = sizes[0], sizes[-1]
    assert (values["smallest"], values["largest"]) == (first, last) and values["sizes"] == sizes
    for model, short in zip(MODELS, SHORT):
        check_measurement(values[f"{short}_smallest"], tests[model, first])
        check_measurement(values[f"{short}_largest"], tests[model, last])
    assert values["lowest_train_accuracy"] == min(r["train accuracy"] for r in runs)
    return tests


def paired(tests, ahead, behind, n):
    """Per seed, ahead's test accuracy minus behind's at size n, in points."""
    return [100 * (a - b) for a, b in zip(tests[ahead, n], tests[behind, n])]


# --- the page's claims, recomputed from any block of runs (the page's or a held-out one) ---


def grid(runs):
    """(sizes, {(model, size): per-seed test accuracies}, {(model, size): per-seed gaps}),
    seeds in one order for every model, so differences are paired."""
    cell = {(r["model"], r["training examples"], r["seed"]): r for r in runs}
    sizes = sorted({r["training examples"] for r in runs})
    seeds = sorted({r["seed"] for r in runs})
    assert len(cell) == len(runs) == len(MODELS) * len(sizes) * len(seeds) and len(seeds) >= 10
    test = {(m, n): [cell[m, n, s]["test accuracy"] for s in seeds] for m in MODELS for n in sizes}
    gap = {(m, n): [cell[m, n, s]["train accuracy"] - cell[m, n, s]["test accuracy"] for s in seeds]
           for m in MODELS for n in sizes}
    return sizes, test, gap


def interval(samples):
    """(mean, low, high): the mean and its 95% t interval."""
    mean = statistics.mean(samples)
    if len(set(samples)) == 1:
        return mean, mean, mean
    low, high = stats.t.interval(0.95, len(samples) - 1, loc=mean, scale=stats.sem(samples))
    return mean, low, high


def differences(table, ahead, behind, n):
    """Per seed, ahead's value minus behind's at size n, in points."""
    return [100 * (a - b) for a, b in zip(table[ahead, n], table[behind, n])]


def mean(samples):
    return statistics.mean(samples)
