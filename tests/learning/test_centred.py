"""The centred control: summaries recomputed from its runs, and what the page says about it."""
import pytest

from conftest import computed
from oracles.learning_runs import MODELS, check_summaries


@pytest.mark.covers("learning_centred", "runs", "test_accuracy", "gap", "smallest", "largest", "seeds",
                    "dense_smallest", "local_smallest", "conv_smallest", "dense_largest", "local_largest",
                    "conv_largest", "lowest_train_accuracy")
def test_summaries_are_the_means_of_the_runs(values):
    check_summaries(values)
    assert len({r["seed"] for r in values["runs"]}) == values["seeds"] >= 2  # a spread needs two


@pytest.mark.covers("learning_centred", "test_accuracy", "best_largest", "widest_conv_advantage",
                    "lowest_train_accuracy")
def test_without_shifts_sharing_buys_little(values):
    table = values["test_accuracy"]
    assert values["lowest_train_accuracy"] >= 0.95
    # At every size the three models lie within ten percentage points of each other.
    assert all(max(row[m] for m in MODELS) - min(row[m] for m in MODELS) < 10 for row in table)
    advantages = [row["convolutional"] - row["dense"] for row in table]
    assert values["widest_conv_advantage"] == pytest.approx(max(advantages), abs=1e-9) and max(advantages) < 10
    last = table[-1]
    assert values["best_largest"] == max(MODELS, key=lambda m: last[m])
    # The page: the best is the model with the most parameters, by less than two points.
    assert values["best_largest"] == "locally connected"
    assert sorted(last[m] for m in MODELS)[-1] - sorted(last[m] for m in MODELS)[-2] < 2


@pytest.mark.covers("learning_centred", "test_accuracy")
def test_centring_lifts_the_dense_and_locally_connected_models_far_above_their_shifted_curves(values):
    shifted = computed("learning_curves")  # the main experiment, at the same sizes
    assert [r["training examples"] for r in shifted["test_accuracy"]] == [r["training examples"] for r in values["test_accuracy"]]
    for centred_row, shifted_row in zip(values["test_accuracy"], shifted["test_accuracy"]):
        for model in ("dense", "locally connected"):
            assert centred_row[model] > shifted_row[model] + 30  # percentage points
    # With shifts the convolutional model stays far ahead; without, the lead is gone.
    assert shifted["narrowest_conv_advantage"] > 2 * max(r["convolutional"] - r["dense"] for r in values["test_accuracy"])
