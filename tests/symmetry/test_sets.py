"""Permutations: two free parameters (the orbits of all permutations on pairs: the
diagonal and the rest), 2·c_in·c_out with channels, and the Deep Sets layer against
explicit permutation matrices and a loop."""
from functools import cache
from itertools import permutations

import numpy as np
import pytest

from snippets.symmetry import sets as snippet
from tests.oracles.orbits import as_matrix, pair_orbits

ROUNDING = 1e-12


@cache
def private():
    return snippet.compute()


@pytest.mark.covers("symmetry_sets", "items", "dimension", "c_in", "c_out", "channel_dimension",
                    "dense_channel_params")
def test_free_parameters_are_orbit_counts(values):
    n, c_in, c_out = values["items"], values["c_in"], values["c_out"]
    every = list(permutations(range(n)))  # all n! permutations, listed directly
    assert values["dimension"] == len(pair_orbits(every, n)) == 2
    # With channels the group moves items, not channels: orbits of (item, item) pairs,
    # once for each (output channel, input channel), counted by enumeration.
    tuples = {(g[i], co, g[j], ci) for g in every for i in range(n) for j in range(n)
              for co in range(c_out) for ci in range(c_in)}
    orbits = {frozenset((g[i], co, g[j], ci) for g in every) for (i, co, j, ci) in tuples}
    assert values["channel_dimension"] == len(orbits) == 2 * c_in * c_out
    assert values["dense_channel_params"] == np.zeros((n * c_out, n * c_in)).size


def test_every_basis_matrix_commutes_with_every_permutation():
    data = private()
    n = snippet.ITEMS
    x = np.random.default_rng(5).normal(size=n)
    xc = np.random.default_rng(6).normal(size=n * snippet.C_IN)
    for g in permutations(range(n)):
        p = as_matrix(g)
        for b in data["_basis"]:
            np.testing.assert_allclose(b @ (p @ x), p @ (b @ x), atol=ROUNDING)
        p_in, p_out = np.kron(p, np.eye(snippet.C_IN)), np.kron(p, np.eye(snippet.C_OUT))
        for b in data["_channel_basis"]:
            np.testing.assert_allclose(b @ (p_in @ xc), p_out @ (b @ xc), atol=ROUNDING)
    pattern = data["_pattern"]
    assert len({pattern[i, i] for i in range(n)}) == 1  # λ on the diagonal
    assert len({pattern[i, j] for i in range(n) for j in range(n) if i != j}) == 1  # γ elsewhere


@pytest.mark.covers("symmetry_sets", "permutation_error", "gap_zero", "gap_nonzero")
def test_deep_sets_layer_commutes_with_permutations(values):
    lam, gam = private()["_layer"]
    x = np.random.default_rng(7).normal(size=(snippet.ITEMS, snippet.C_IN))

    def loop(x):  # every item: its own λ-term plus γ times the sum over all items
        return np.array([[sum(x[i, a] * lam[a, b] + sum(x[j, a] for j in range(len(x))) * gam[a, b]
                              for a in range(x.shape[1])) for b in range(lam.shape[1])] for i in range(len(x))])

    np.testing.assert_allclose(snippet.deep_sets(x, lam, gam), loop(x), atol=ROUNDING)
    for g in permutations(range(snippet.ITEMS)):
        p = as_matrix(g)
        np.testing.assert_allclose(loop(p @ x), p @ loop(x), atol=ROUNDING)
    assert values["permutation_error"] < ROUNDING
    assert values["gap_zero"] < ROUNDING and values["gap_nonzero"] > 0.1


@pytest.mark.covers("symmetry_sets", "exercise_items", "exercise_c_in", "exercise_c_out", "exercise_params",
                    "exercise_dense")
def test_exercise_counts_orbits_of_item_pairs_times_channel_pairs(values):
    n, c_in, c_out = values["exercise_items"], values["exercise_c_in"], values["exercise_c_out"]
    swap_and_cycle = [(1, 0, *range(2, n)), tuple((i + 1) % n for i in range(n))]
    item_orbits = len(pair_orbits(swap_and_cycle, n))
    assert values["exercise_params"] == item_orbits * c_in * c_out
    assert values["exercise_dense"] == np.zeros((n * c_out, n * c_in)).size
