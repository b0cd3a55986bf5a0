"""Measurements: an experimental quantity over several seeds, with its spread.

A number that comes out of training or of a random draw is not one number: another seed
gives another. `measure(samples)` keeps what a reader needs to judge it: the mean, the
number of samples, the standard error, a 95% confidence interval for the mean (Student's
t), and the lowest and highest sample. It is a plain dict, so the engine stores it like
any other value and `fmt.text` prints it as "53.1 ± 2.9% (10 seeds)": the mean and the
half-width of the interval, rounded to the same decimal place.
"""
import math

import numpy as np

KIND = "measurement"  # the marker key's value: how the engine and fmt recognise one
CONFIDENCE = 0.95
MIN_SAMPLES = 10  # fewer seeds than this is not a measurement the site prints


def _t_pdf(x, df):
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return np.exp(log_c - (df + 1) / 2 * np.log1p(x * x / df))


def t_quantile(p, df):
    """The p-quantile (p > 1/2) of Student's t with df degrees of freedom: the upper limit
    of the integral of its density from 0 that reaches p - 1/2, found by bisection, with
    the integral by Simpson's rule on a fine grid."""
    def mass(x):  # P(0 < T < x)
        grid = np.linspace(0.0, x, 4001)
        y = _t_pdf(grid, df)
        h = grid[1] - grid[0]
        return h / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum())

    low, high = 0.0, 1.0
    while mass(high) < p - 0.5:
        high *= 2
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if mass(mid) < p - 0.5 else (low, mid)
    return (low + high) / 2


def measure(samples, over="seeds"):
    """The measurement of `samples` (one per seed, or per draw: `over` names them)."""
    x = np.asarray(samples, dtype=float).ravel()
    n = x.size
    if n < 2:
        raise ValueError("a measurement needs at least two samples")
    mean = float(x.mean())
    sem = float(x.std(ddof=1) / math.sqrt(n))
    half = t_quantile((1 + CONFIDENCE) / 2, n - 1) * sem
    return {"kind": KIND, "mean": mean, "n": n, "over": over, "sem": sem,
            "low": mean - half, "high": mean + half, "min": float(x.min()), "max": float(x.max())}


def is_measurement(value):
    return isinstance(value, dict) and value.get("kind") == KIND


def half_width(m):
    return (m["high"] - m["low"]) / 2


def difference(a, b, over="seeds"):
    """The measurement of the paired differences a[i] - b[i] (the same seeds)."""
    return measure(np.asarray(a, float) - np.asarray(b, float), over)


def binomial_p(successes, trials):
    """Two-sided p-value of `successes` in `trials` fair coin flips: the probability of a
    count at least as far from trials/2 (exact, by summing binomial terms)."""
    tail = min(successes, trials - successes)
    return min(1.0, 2 * sum(math.comb(trials, k) for k in range(tail + 1)) / 2**trials)


def share(flags):
    """Fraction of seeds for which a claim holds."""
    flags = np.asarray(flags, bool)
    return float(flags.mean())
