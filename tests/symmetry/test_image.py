"""Image shifts and rotations: the solved dimensions against orbit counts by enumeration
of the group (shifts, and shifts with 90° turns, as maps of pixel coordinates) and
against Burnside's count; basis matrices against every group element."""
from functools import cache

import numpy as np
import pytest

from snippets.symmetry import image as snippet
from tests.oracles.orbits import as_matrix, closure, pair_orbits

N = 4
ROUNDING = 1e-12


def index(r, c):
    return (r % N) * N + c % N


def group(rotations):
    coords = [(r, c) for r in range(N) for c in range(N)]
    maps = [lambda r, c: (r + 1, c), lambda r, c: (r, c + 1)]
    if rotations:
        maps.append(lambda r, c: (c, N - 1 - r))  # a quarter turn about the image's centre
    gens = [tuple(index(*m(r, c)) for r, c in coords) for m in maps]
    return closure(gens, N * N)


def near(i, j):
    (r, c), (s, t) = divmod(i, N), divmod(j, N)
    close = lambda a, b: min((a - b) % N, (b - a) % N) <= 1
    return close(r, s) and close(c, t)


@cache
def private():
    return snippet.compute()


@pytest.mark.covers("symmetry_image", "side", "pixels", "shift_dimension", "rotation_dimension",
                    "window_dimension", "window_rotation_dimension", "table")
def test_free_parameters_are_orbit_counts(values):
    assert values["side"] == N and values["pixels"] == N * N
    shifts, turns = group(False), group(True)
    assert len(shifts) == N * N and len(turns) == 4 * N * N  # the group sizes, by enumeration
    expected = {"shift_dimension": len(pair_orbits(shifts, N * N)),
                "rotation_dimension": len(pair_orbits(turns, N * N)),
                "window_dimension": len(pair_orbits(shifts, N * N, near)),
                "window_rotation_dimension": len(pair_orbits(turns, N * N, near))}
    for key, count in expected.items():
        assert values[key] == count, key
    # Burnside: orbits of the 4 turns on the N² kernel offsets = mean number of fixed offsets
    fixed = [sum(1 for a in range(N) for b in range(N) if turn(a, b) == (a % N, b % N))
             for turn in (lambda a, b: (a, b), lambda a, b: (b % N, -a % N),
                          lambda a, b: (-a % N, -b % N), lambda a, b: (-b % N, a % N))]
    assert values["rotation_dimension"] == sum(fixed) // 4
    assert values["window_rotation_dimension"] == 3  # centre, edge neighbours, corners
    dims = [row["free parameters"] for row in values["table"]]
    assert dims == list(expected.values())
    assert all(row["dense layer"] == np.zeros((N * N, N * N)).size for row in values["table"])


@pytest.mark.parametrize("rotations", [False, True])
def test_every_basis_matrix_commutes_with_every_group_element(rotations):
    cases = private()["_cases"]
    x = np.random.default_rng(4).normal(size=N * N)
    for name, (basis, pattern) in cases.items():
        if ("rotations" in name) != rotations:
            continue
        for g in group(rotations):
            p = as_matrix(g)
            for b in basis:
                np.testing.assert_allclose(b @ (p @ x), p @ (b @ x), atol=ROUNDING)
        orbits = pair_orbits(group(rotations), N * N, near if "window" in name else (lambda i, j: True))
        assert sorted(sorted({pattern[q] for q in o}) for o in orbits) == [[k] for k in range(len(orbits))]


@pytest.mark.covers("symmetry_image", "gap_zero", "gap_nonzero")
def test_singular_values_are_well_separated(values):
    assert values["gap_zero"] < ROUNDING and values["gap_nonzero"] > 0.1
