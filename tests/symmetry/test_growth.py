"""Free parameters against n: each count against the orbits of the group on pairs,
enumerated, for every n of the table."""
from itertools import permutations

import pytest

from tests.oracles.orbits import closure, pair_orbits


@pytest.mark.covers("symmetry_growth", "table", "smallest", "largest", "dense_largest", "saving_cyclic",
                    "saving_band", "saving_permutations")
def test_counts_are_orbit_counts(values):
    rows = values["table"]
    assert [r["positions"] for r in rows] == list(range(values["smallest"], values["largest"] + 1))
    for row in rows:
        n = row["positions"]
        ring = closure([tuple((i + 1) % n for i in range(n))], n)
        near = lambda i, j: min((i - j) % n, (j - i) % n) <= 1
        # Every permutation for small n; beyond, a swap and a cycle (which make them all):
        # orbits are the components that the generators' moves connect, whatever the group size.
        every = list(permutations(range(n))) if n <= 6 else [tuple((i + 1) % n for i in range(n)),
                                                              (1, 0, *range(2, n))]
        assert row["dense"] == len(pair_orbits([tuple(range(n))], n)) == n * n
        assert row["cyclic shifts"] == len(pair_orbits(ring, n))
        assert row["cyclic shifts, width 3"] == len(pair_orbits(ring, n, near))
        assert row["all permutations"] == len(pair_orbits(every, n))
    last = rows[-1]
    assert values["dense_largest"] == last["dense"]
    assert values["saving_cyclic"] == pytest.approx(values["largest"] ** 2 / values["largest"])
    assert values["saving_band"] == pytest.approx(values["largest"] ** 2 / 3)
    assert values["saving_permutations"] == pytest.approx(values["largest"] ** 2 / 2)
