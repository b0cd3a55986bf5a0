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


@pytest.mark.covers("rf_effective", "table", "theoretical_field", "relu_field", "effective_share", "stacks",
                    "first_share")
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
            assert row["effective, uniform weights"] < 0.75 * measured
            for kind in ("random weights", "random weights + ReLU"):
                m = row[f"effective, {kind}"]
                assert m["n"] >= 10 and m["max"] < 0.75 * measured  # on every draw
    last = values["table"][-1]
    assert values["theoretical_field"] == last["theoretical field"]
    assert values["relu_field"] == last["effective, random weights + ReLU"]
    first = values["table"][0]
    assert values["first_share"] == first["effective / theoretical (uniform)"]
    # One 3-tap window: σ = √(2/3) per axis, so ±2σ is wider than the 3 pixels (the page's remark)
    assert values["first_share"] == pytest.approx(4 * math.sqrt(2 / 3) / 3, abs=0.005) and values["first_share"] > 1
    assert values["effective_share"] == last["effective / theoretical (uniform)"] < 0.3
    shares = [r["effective / theoretical (uniform)"] for r in values["table"]]
    assert shares == sorted(shares, reverse=True)


def profile_sigma(weights_1d):
    """Standard deviation, in pixels, of a separable 2-D map's row marginal (the outer
    product of a 1-D profile with itself has the 1-D profile as its marginal)."""
    p = weights_1d / weights_1d.sum()
    x = np.arange(p.size)
    return math.sqrt(p @ (x - p @ x) ** 2)


def slope(depths, sizes):
    """Least-squares slope of log size against log depth (numpy.polynomial, not np.polyfit)."""
    return polynomial.polyfit(np.log(depths), np.log(sizes), 1)[1]


@pytest.mark.covers("rf_effective", "theoretical_exponent", "uniform_exponent", "random_exponent", "relu_exponent",
                    "fit_from", "draws", "random_exponent_pooled", "relu_exponent_pooled", "pooled_stacks",
                    "random_exponent_limit", "random_over_uniform_first", "random_over_uniform_deepest")
def test_growth_exponents(values):
    assert values["fit_from"] == 4
    # Exact cases: the theoretical radius is the depth; the uniform σ is √(2·depth/3). Tolerance: float fit only.
    assert values["theoretical_exponent"] == pytest.approx(1, abs=1e-9)
    assert values["uniform_exponent"] == pytest.approx(0.5, abs=1e-9)
    # The expected |gradient| of random linear stacks, if Gaussian, follows the square root of
    # the number of paths (trinomial coefficients per axis): computed here.
    depths = [4, 8, 16, 32]
    root = {d: profile_sigma(np.sqrt(polynomial.polypow([1, 1, 1], d))) for d in [1] + depths}
    plain = {d: profile_sigma(polynomial.polypow([1, 1, 1], d)) for d in [1] + depths}
    assert values["random_exponent_limit"] == pytest.approx(slope(depths, [root[d] for d in depths]), abs=1e-9)
    assert values["random_over_uniform_first"] == pytest.approx(1)  # one layer: a single path to every tap
    assert values["random_over_uniform_deepest"] == pytest.approx(root[32] / plain[32], rel=1e-9)
    assert 1 < values["random_over_uniform_deepest"] < math.sqrt(2)  # widening towards √2: the page
    assert 0.5 < values["random_exponent_limit"] < 0.6
    # The measured exponents, per draw of 16 stacks: the claim is √depth (one half), not depth (1).
    assert values["pooled_stacks"] == values["draws"] * values["stacks"]
    for kind in ("random", "relu"):
        m = values[f"{kind}_exponent"]
        assert m["n"] == values["draws"] >= 10
        assert m["min"] <= m["low"] <= m["mean"] <= m["high"] <= m["max"]
        assert 0.4 < m["low"] and m["high"] < 0.7  # near one half on average, far from 1
        assert m["max"] < 0.75  # ... on every draw
        assert 0.4 < values[f"{kind}_exponent_pooled"] < 0.7
    # The page: the random linear stacks sit above one half (interval of the mean excludes it)
    assert values["random_exponent"]["low"] > 0.5


@pytest.mark.covers("rf_effective", "gaussian_gap")
def test_uniform_profile_is_gaussian_to_within_one_percent_of_its_peak(values):
    exact = polynomial.polypow([1, 1, 1], 32)  # trinomial coefficients: paths to each offset
    offsets = np.arange(exact.size) - 32
    gaussian = np.exp(-offsets ** 2 / (2 * uniform_variance(3, 32)))
    gap = np.abs(exact / exact.max() - gaussian).max()
    assert values["gaussian_gap"] == pytest.approx(gap, rel=1e-6)
    assert values["gaussian_gap"] < 0.01
