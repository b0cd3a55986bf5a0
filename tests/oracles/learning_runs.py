"""Every summary of a learning-curve snippet, recomputed from its table of runs with the
standard library's statistics (the snippets summarise with numpy)."""
import statistics

import pytest

MODELS = ("dense", "locally connected", "convolutional")
SHORT = ("dense", "local", "conv")  # as value names abbreviate the models
TEST_SIZE = 500  # learning_data.TEST_SIZE: test accuracies are multiples of 1/500


def check_summaries(values):
    """Every summary of a learning-curve snippet, recomputed from its table of runs."""
    runs, sizes = values["runs"], [row["training examples"] for row in values["test_accuracy"]]
    seeds = sorted({r["seed"] for r in runs})
    assert len(runs) == len(MODELS) * len(sizes) * len(seeds)
    cell = {(r["model"], r["training examples"], r["seed"]): r for r in runs}
    assert len(cell) == len(runs)  # every model, size and seed exactly once
    for r in runs:
        assert (r["test accuracy"] * TEST_SIZE) == pytest.approx(round(r["test accuracy"] * TEST_SIZE), abs=1e-9)
        n = r["training examples"]
        assert (r["train accuracy"] * n) == pytest.approx(round(r["train accuracy"] * n), abs=1e-9)
    spreads, advantages = [], []
    for row_test, row_gap in zip(values["test_accuracy"], values["gap"]):
        n = row_test["training examples"]
        assert row_gap["training examples"] == n
        for model in MODELS:
            tests = [cell[model, n, s]["test accuracy"] for s in seeds]
            gaps = [cell[model, n, s]["train accuracy"] - cell[model, n, s]["test accuracy"] for s in seeds]
            # tables are in percent and percentage points
            assert row_test[model] == pytest.approx(100 * statistics.mean(tests), abs=1e-9)
            assert row_gap[model] == pytest.approx(100 * statistics.mean(gaps), abs=1e-9)
            spreads.append(100 * (max(tests) - min(tests)))
        advantages.append(row_test["convolutional"] - row_test["dense"])
    first, last = values["test_accuracy"][0], values["test_accuracy"][-1]
    assert (values["smallest"], values["largest"]) == (first["training examples"], last["training examples"])
    for model, short in zip(MODELS, SHORT):
        assert 100 * values[f"{short}_smallest"] == pytest.approx(first[model], abs=1e-9)
        assert 100 * values[f"{short}_largest"] == pytest.approx(last[model], abs=1e-9)
    assert values["lowest_train_accuracy"] == min(r["train accuracy"] for r in runs)
    return spreads, advantages
