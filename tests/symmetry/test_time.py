"""Shifts in time: one weight per lag (counted by enumerating the lags of a lower-triangular
matrix), and the unrolled recurrent cell against the closed form c·aᵏ·b."""
from functools import cache

import numpy as np
import pytest

from snippets.symmetry import time as snippet

ROUNDING = 1e-12


@cache
def private():
    return snippet.compute()


@pytest.mark.covers("symmetry_time", "steps", "dimension", "gap_zero", "gap_nonzero")
def test_one_free_parameter_per_lag(values):
    t = values["steps"]
    lags = {i - j for i in range(t) for j in range(t) if i >= j}  # now and the past only
    assert values["dimension"] == len(lags) == t
    delay = np.zeros((t, t))
    for i in range(1, t):
        delay[i, i - 1] = 1.0  # value at step i − 1 moves to step i
    for b in private()["_basis"]:
        assert np.allclose(b @ delay, delay @ b, atol=ROUNDING)
        assert np.allclose(np.triu(b, 1), 0, atol=ROUNDING)  # nothing reads the future
        for lag in range(t):  # constant along each diagonal
            assert np.ptp(np.diag(b, -lag)) < ROUNDING
    assert values["gap_zero"] < ROUNDING and values["gap_nonzero"] > 0.1


@pytest.mark.covers("symmetry_time", "shared_error", "untied_error")
def test_a_reused_cell_commutes_with_the_delay_and_untied_cells_do_not(values):
    (a, b, c), shared, untied = private()["_cells"]
    t = values["steps"]
    closed = np.array([[c * a ** (i - j) * b if i >= j else 0.0 for j in range(t)] for i in range(t)])
    np.testing.assert_allclose(shared, closed, atol=ROUNDING)
    assert values["shared_error"] < ROUNDING
    assert values["untied_error"] > 0.1  # far from commuting: each step has its own cell
