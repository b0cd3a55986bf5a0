"""Measurements against scipy's Student t interval, and how they print."""
import numpy as np
import pytest
from scipy import stats

from snippets.lib import fmt, measurement


@pytest.mark.parametrize("n", [2, 3, 10, 12, 30])
def test_interval_is_scipys_t_interval(n):
    samples = np.random.default_rng(n).normal(0.6, 0.05, n)
    m = measurement.measure(samples)
    low, high = stats.t.interval(0.95, n - 1, loc=samples.mean(), scale=stats.sem(samples))
    assert m["n"] == n and m["mean"] == pytest.approx(samples.mean(), abs=1e-15)
    assert m["sem"] == pytest.approx(stats.sem(samples), rel=1e-12)
    assert (m["low"], m["high"]) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    assert (m["min"], m["max"]) == (samples.min(), samples.max())


@pytest.mark.parametrize("df", [1, 2, 5, 9, 11, 29, 200])
def test_t_quantile_is_scipys(df):
    assert measurement.t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-9)


def test_a_measurement_needs_two_samples_and_is_recognised():
    with pytest.raises(ValueError):
        measurement.measure([0.5])
    assert measurement.is_measurement(measurement.measure([1, 2]))
    assert not measurement.is_measurement({"mean": 1})


def test_paired_difference_and_share():
    a, b = np.array([0.9, 0.8, 0.85]), np.array([0.7, 0.75, 0.6])
    d = measurement.difference(a, b)
    assert d["mean"] == pytest.approx(np.mean(a - b)) and d["min"] == pytest.approx(0.05)
    assert measurement.share(a > b) == 1.0


def by_hand(mean, half, n=10, over="seeds"):
    """A measurement with a given mean and interval half-width, built by hand."""
    return {"kind": "measurement", "mean": mean, "n": n, "over": over, "sem": half / 2,
            "low": mean - half, "high": mean + half, "min": mean - 2 * half, "max": mean + 2 * half}


@pytest.mark.parametrize("value, kwargs, expected", [
    (by_hand(0.5312, 0.0291), {"pct": True}, "53.1 ± 2.9% (10 seeds)"),
    (by_hand(0.5312, 0.123), {"pct": True}, "53 ± 12% (10 seeds)"),
    (by_hand(0.6341, 0.0512, 16, "draws"), {}, "0.634 ± 0.051 (16 draws)"),
    (by_hand(12.0, 0.35, 10), {"unit": "ms"}, "12.00 ± 0.35\u202fms (10 seeds)"),
    (by_hand(0.061, 0.0149), {"pct": True, "signed": True}, "+6.1 ± 1.5% (10 seeds)"),
    (by_hand(0.5, 0.0), {"pct": True}, "50 ± 0% (10 seeds)"),
    (by_hand(0.5, 0.0291), {"pct": True, "digits": 1}, "50 ± 3% (10 seeds)"),
    (by_hand(0.5312, 0.0291), {"pct": True, "count": False}, "53.1 ± 2.9%"),
    (by_hand(8.66e-15, 2.1e-16, 10, "draws"), {}, "(8.66 ± 0.21) × 10⁻¹⁵ (10 draws)"),
    (by_hand(1.2e-7, 3.1e-8), {"pct": True}, "(1.20 ± 0.31) × 10⁻⁵% (10 seeds)"),
    (by_hand(45.04, 5.21), {"unit": "percentage points", "count": False}, "45.0 ± 5.2\u202fpercentage points"),
])
def test_measurement_text(value, kwargs, expected):
    assert fmt.text(value, **kwargs) == expected
