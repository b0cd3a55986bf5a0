"""Effective receptive fields against closed forms (uniform kernels) and the claims measured."""
import math

import numpy as np
import pytest
from numpy.polynomial import polynomial

from snippets.lib import receptive
from snippets.lib.specs import ConvSpec


def uniform_variance(kernel, depth):
    """Per-axis variance of a depth-fold k-tap uniform kernel: (k² − 1)/12 per layer, added."""
    return depth * (kernel ** 2 - 1) / 12


@pytest.mark.covers("rf_effective", "uniform_sigma", "exact_variance", "variance_table", "depth")
def test_uniform_variance_equals_the_closed_form(values):
    assert values["depth"] == 32
    assert values["exact_variance"] == pytest.approx(uniform_variance(3, 32), rel=1e-12)  # float rounding only
    assert values["uniform_sigma"] == pytest.approx(math.sqrt(uniform_variance(3, 32)), rel=1e-9)
    for row in values["variance_table"]:
        k = int(row["kernel"].split("×")[0])
        assert row["layers"] == 32
        assert row["variance by repeated convolution"] == pytest.approx(uniform_variance(k, 32), rel=1e-12)
        assert row["per layer"] == pytest.approx((k ** 2 - 1) / 12, rel=1e-12)


@pytest.mark.covers("rf_effective", "table", "theoretical_field", "relu_field", "effective_share", "stacks")
def test_effective_fields_are_a_shrinking_share_of_the_theoretical(values):
    assert values["stacks"] >= 8  # an average, not one draw
    for row in values["table"]:
        depth = row["layers"]
        measured = receptive.measured([ConvSpec(1, 3, padding=1)] * depth, 2 * depth + 8).size[0]
        assert row["theoretical field"] == measured
        # uniform: ±2σ with σ from the closed form, rounded to one decimal
        assert row["effective, uniform weights"] == pytest.approx(4 * math.sqrt(uniform_variance(3, depth)), abs=0.05)
        assert row["effective / theoretical (uniform)"] == pytest.approx(
            4 * math.sqrt(uniform_variance(3, depth)) / measured, abs=0.005)
        if depth >= 8:  # the page's claim: every kind uses well under the theoretical field
            for kind in ("uniform weights", "random weights", "random weights + ReLU"):
                assert row[f"effective, {kind}"] < 0.75 * measured
    last = values["table"][-1]
    assert values["theoretical_field"] == last["theoretical field"]
    assert values["relu_field"] == last["effective, random weights + ReLU"]
    assert values["effective_share"] == last["effective / theoretical (uniform)"] < 0.3
    shares = [r["effective / theoretical (uniform)"] for r in values["table"]]
    assert shares == sorted(shares, reverse=True)


@pytest.mark.covers("rf_effective", "theoretical_exponent", "uniform_exponent", "random_exponent", "relu_exponent",
                    "fit_from")
def test_growth_exponents(values):
    assert values["fit_from"] == 4
    # Exact cases: the theoretical radius is the depth; the uniform σ is √(2·depth/3). Tolerance: float fit only.
    assert values["theoretical_exponent"] == pytest.approx(1, abs=1e-9)
    assert values["uniform_exponent"] == pytest.approx(0.5, abs=1e-9)
    # Random stacks (16 averaged, |gradient|): the claim is √depth, not depth. Their profile widens from the
    # kernel's towards √2 × the uniform one as depth grows, which lifts the fitted slope above 0.5 at these
    # depths; ±0.2 also absorbs the sampling noise of 16 stacks. A field growing like depth would give 1.
    for kind in ("random", "relu"):
        assert values[f"{kind}_exponent"] == pytest.approx(0.5, abs=0.2)


@pytest.mark.covers("rf_effective", "gaussian_gap")
def test_uniform_profile_is_gaussian_to_within_one_percent_of_its_peak(values):
    exact = polynomial.polypow([1, 1, 1], 32)  # trinomial coefficients: paths to each offset
    offsets = np.arange(exact.size) - 32
    gaussian = np.exp(-offsets ** 2 / (2 * uniform_variance(3, 32)))
    gap = np.abs(exact / exact.max() - gaussian).max()
    assert values["gaussian_gap"] == pytest.approx(gap, rel=1e-6)
    assert values["gaussian_gap"] < 0.01
