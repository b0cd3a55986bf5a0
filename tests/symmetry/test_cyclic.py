"""Cyclic shifts: the solved dimension against the number of orbits of the group on pairs
of positions, counted by enumeration; each basis matrix against every group element on
random inputs; the solution against a circular convolution written as a loop."""
from functools import cache

import numpy as np
import pytest

from snippets.symmetry import cyclic as snippet
from tests.oracles.orbits import as_matrix, closure, pair_orbits

ROUNDING = 1e-12  # a few products of numbers of order one: float64 rounding is ~1e-15


@cache
def private():
    return snippet.compute()


def ring(n):
    return closure([tuple((i + 1) % n for i in range(n))], n)


def near(n, width):
    return lambda i, j: min((i - j) % n, (j - i) % n) <= width // 2


@pytest.mark.covers("symmetry_cyclic", "hand_n", "hand_unknowns", "hand_dimension")
def test_hand_case_has_one_parameter_per_orbit(values):
    n = values["hand_n"]
    assert n == 4 and values["hand_unknowns"] == n * n
    assert values["hand_dimension"] == len(pair_orbits(ring(n), n)) == n


@pytest.mark.covers("symmetry_cyclic", "band_n", "band_width", "band_dimension")
def test_band_has_one_parameter_per_orbit_inside_the_band(values):
    n, k = values["band_n"], values["band_width"]
    assert values["band_dimension"] == len(pair_orbits(ring(n), n, near(n, k))) == k


@pytest.mark.parametrize("which", ["_basis", "_band_basis"])
def test_every_basis_matrix_commutes_with_every_shift(which):
    basis = private()[which]
    n = basis.shape[1]
    x = np.random.default_rng(1).normal(size=n)
    for g in ring(n):
        p = as_matrix(g)
        for b in basis:
            np.testing.assert_allclose(b @ (p @ x), p @ (b @ x), atol=ROUNDING)


@pytest.mark.parametrize("which", ["hand", "band"])
def test_the_pattern_ties_exactly_the_pairs_of_one_orbit(which):
    data = private()
    pattern = data["_pattern" if which == "hand" else "_band_pattern"]
    n = pattern.shape[0]
    keep = (lambda i, j: True) if which == "hand" else near(n, snippet.WIDTH)
    orbits = pair_orbits(ring(n), n, keep)
    assert sorted(sorted({pattern[p] for p in o}) for o in orbits) == [[k] for k in range(len(orbits))]
    assert (pattern >= 0).sum() == sum(len(o) for o in orbits)


def circular_loop(x, w):
    """y[i] = Σ_j w(i − j mod n)·x[j]: a circular convolution, one product at a time."""
    n = len(x)
    return np.array([sum(w[(i - j) % n] * x[j] for j in range(n)) for i in range(n)])


def test_a_solution_is_a_circular_convolution_with_a_full_width_kernel():
    basis = private()["_basis"]
    w = np.tensordot(np.random.default_rng(2).normal(size=len(basis)), basis, axes=1)
    x = np.random.default_rng(3).normal(size=len(w))
    np.testing.assert_allclose(w @ x, circular_loop(x, w[:, 0]), atol=ROUNDING)


@pytest.mark.covers("symmetry_cyclic", "conv_error", "gap_zero", "gap_nonzero")
def test_convolution_error_is_rounding_and_the_singular_values_are_well_separated(values):
    assert values["conv_error"] < ROUNDING
    assert values["gap_zero"] < ROUNDING
    # 2·sin(π/n) is the smallest nonzero singular value of S − I for a ring of n: the
    # tolerance 1e-8 sits many orders of magnitude from both sides.
    assert values["gap_nonzero"] > 0.1


@pytest.mark.covers("symmetry_cyclic", "exercise_n", "exercise_width", "exercise_dimension",
                    "exercise_band_dimension")
def test_exercise_counts_are_orbit_counts(values):
    n, k = values["exercise_n"], values["exercise_width"]
    assert values["exercise_dimension"] == len(pair_orbits(ring(n), n))
    assert values["exercise_band_dimension"] == len(pair_orbits(ring(n), n, near(n, k)))
