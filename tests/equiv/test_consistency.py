"""Shift consistency of two trained digit classifiers: what the page claims, with margins."""
import numpy as np
import pytest

from snippets.equiv.consistency import network, roll_each

# Chance is 0.1 for ten classes and a constant classifier is perfectly consistent, so
# every consistency claim below comes with an accuracy claim.


@pytest.mark.covers("equiv_consistency", "train_size", "test_size", "canvas", "effective_stride")
def test_the_setup(values):
    # scikit-learn's digits: 1,797 images of 8×8 pixels (its documentation, "Optical
    # recognition of handwritten digits dataset").
    assert values["train_size"] + values["test_size"] == 1797
    assert values["effective_stride"] == 2 * 2  # two 2×2 poolings: the product of the strides
    side, _ = values["canvas"]
    assert side >= 8 and side % values["effective_stride"] == 0  # whole pooling windows tile it


@pytest.mark.covers("equiv_consistency", "table", "epochs", "max_accuracy_centred", "blur_accuracy_centred",
                    "max_accuracy_shifted", "blur_accuracy_shifted")
def test_both_networks_learn_and_blur_keeps_accuracy_under_shifts(values):
    assert values["epochs"] <= 10  # few epochs: the claims hold for briefly trained networks
    for key in ("max_accuracy_centred", "blur_accuracy_centred"):
        assert values[key] > 0.6  # far above chance: a broken network fails this
    # Blur costs little on centred digits and wins by far on shifted ones.
    assert abs(values["max_accuracy_centred"] - values["blur_accuracy_centred"]) < 0.1
    assert values["blur_accuracy_shifted"] > values["max_accuracy_shifted"] + 0.15
    assert values["blur_accuracy_shifted"] > values["blur_accuracy_centred"] - 0.05
    rows = {row["downsampling"]: row for row in values["table"]}
    assert rows["max pooling"]["parameters"] == rows["max pooling + blur"]["parameters"]  # the blur is fixed
    assert rows["max pooling"]["accuracy, centred"] == pytest.approx(values["max_accuracy_centred"], abs=5e-4)


@pytest.mark.covers("equiv_consistency", "max_consistency", "blur_consistency")
def test_blur_makes_predictions_survive_random_shifts(values):
    assert values["blur_consistency"] > 0.85
    assert values["max_consistency"] < 0.7
    assert values["blur_consistency"] > values["max_consistency"] + 0.2


@pytest.mark.covers("equiv_consistency", "change_by_stride")
def test_a_shift_by_the_effective_stride_changes_no_probability(values):
    # Analytic: circular padding everywhere and two stride-2 stages: shifting by 4 pixels
    # shifts the last feature maps by one, which the global average ignores.
    assert values["change_by_stride"] < 1e-12


def test_roll_each_rolls_each_image_by_its_own_shift():
    x = np.random.default_rng(2).normal(size=(3, 1, 12, 12))
    shifts = np.array([[0, 0], [1, 5], [11, 3]])
    for image, rolled, s in zip(x, roll_each(x, shifts), shifts):
        np.testing.assert_array_equal(rolled, np.roll(image, tuple(s), axis=(1, 2)))


def test_the_networks_commute_with_the_effective_stride_before_training():
    x = np.random.default_rng(3).normal(size=(2, 1, 12, 12))
    for kind in ("max pooling", "max pooling + blur"):
        model = network(kind, np.random.default_rng(4))
        np.testing.assert_allclose(model.forward(np.roll(x, (4, 8), axis=(2, 3))), model.forward(x), atol=1e-12)
