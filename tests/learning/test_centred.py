"""The centred control: summaries recomputed from its runs, and what the page says about it,
as statements about the seeds."""
import pytest

from conftest import computed
from oracles.learning_runs import MODELS, check_measurement, check_summaries, paired


@pytest.mark.covers("learning_centred", "runs", "test_accuracy", "gap", "smallest", "largest", "seeds", "sizes",
                    "dense_smallest", "local_smallest", "conv_smallest", "dense_largest", "local_largest",
                    "conv_largest", "lowest_train_accuracy")
def test_summaries_are_the_means_of_the_runs(values):
    check_summaries(values)


@pytest.mark.covers("learning_centred", "test_accuracy", "best_largest", "second_largest", "best_margin_largest",
                    "conv_lead", "widest_conv_advantage", "widest_conv_advantage_at", "conv_ahead_sizes",
                    "conv_level_sizes", "size_count", "lowest_train_accuracy")
def test_without_shifts_sharing_buys_little(values):
    tests = check_summaries(values)
    sizes = values["sizes"]
    assert values["lowest_train_accuracy"] >= 0.9  # fits its training set almost perfectly
    leads = {n: paired(tests, "convolutional", "dense", n) for n in sizes}
    for row, n in zip(values["conv_lead"], sizes):
        check_measurement(row["convolutional − dense (points)"], leads[n])
    widest = max(sizes, key=lambda n: sum(leads[n]))
    assert values["widest_conv_advantage_at"] == widest
    check_measurement(values["widest_conv_advantage"], leads[widest])
    rows = [row["convolutional − dense (points)"] for row in values["conv_lead"]]
    assert values["size_count"] == len(sizes)
    assert values["conv_ahead_sizes"] == sum(m["low"] > 0 for m in rows)
    assert values["conv_level_sizes"] == sum(m["low"] <= 0 <= m["high"] for m in rows)
    # The page: the lead "shrinks to a few points at most": no size where the mean lead
    # reaches five points (on shifted digits it never falls below twenty).
    assert values["widest_conv_advantage"]["mean"] < 5
    # The most accurate model at the largest size, and its paired margin over the next.
    last = sizes[-1]
    means = {m: sum(tests[m, last]) / len(tests[m, last]) for m in MODELS}
    best, second = sorted(MODELS, key=means.get, reverse=True)[:2]
    assert (values["best_largest"], values["second_largest"]) == (best, second)
    check_measurement(values["best_margin_largest"], paired(tests, best, second, last))


@pytest.mark.covers("learning_centred", "test_accuracy")
def test_centring_lifts_the_dense_and_locally_connected_models_far_above_their_shifted_curves(values):
    shifted = computed("learning_curves")  # the main experiment, at the same sizes
    assert [r["training examples"] for r in shifted["test_accuracy"]] == [r["training examples"] for r in values["test_accuracy"]]
    for centred_row, shifted_row in zip(values["test_accuracy"], shifted["test_accuracy"]):
        for model in ("dense", "locally connected"):
            # interval against interval: "far above", here at least 15 points, at every size
            assert centred_row[model]["low"] > shifted_row[model]["high"] + 15  # percentage points
    # With shifts the convolutional model stays far ahead; without, the lead is gone.
    widest_centred = max(r["convolutional − dense (points)"]["high"] for r in values["conv_lead"])
    assert shifted["narrowest_conv_advantage"]["low"] > 2 * widest_centred
