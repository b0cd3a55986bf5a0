"""Reuse of one 3×3 filter on 32×32, read off the layer's dense matrix.

Oracle: the equivalent matrix of the reference convolution (one channel, random
continuous weights), with `dense_equivalent.parameter_index_matrix` naming the weight each entry
holds. A row of the matrix is one output position; the entries that hold weight k are
the positions at which weight k multiplies a real pixel. Padding zeros are not inputs,
so with padding the matrix shows only the real-pixel uses, and the conventional count
(every tap of every position) is rows × taps. Exact integer comparisons.
"""
from functools import cache

import numpy as np
import pytest

from snippets.lib import layers as L
from snippets.lib.dense_equivalent import equivalent_matrix, parameter_index_matrix

SIZE = 32


@cache
def uses(padding):
    """(positions, uses of each of the 9 weights as a 3×3 grid) from the matrix."""
    w = np.random.default_rng(9).normal(size=(1, 1, 3, 3))
    matrix = equivalent_matrix(lambda x: L.conv2d(x, w, padding=padding), (1, SIZE, SIZE))
    index = parameter_index_matrix(matrix)
    per_weight = {value: int((matrix == value).sum()) for value in w.ravel()}
    assert index.max() + 1 == len(per_weight) == 9  # every weight is used, and only those
    return matrix.shape[0], np.array([per_weight[value] for value in w.ravel()]).reshape(3, 3)


@pytest.mark.covers("params_reuse", "weights", "positions_valid", "multiplies_valid")
def test_without_padding_every_weight_is_used_at_every_position(values):
    positions, grid = uses(0)
    assert values["weights"] == grid.size
    assert values["positions_valid"] == positions and (grid == positions).all()
    assert values["multiplies_valid"] == grid.sum()


@pytest.mark.covers("params_reuse", "positions_same", "multiplies_same", "multiplies_same_on_pixels", "uses_centre",
                    "uses_edge", "uses_corner", "uses_same")
def test_with_padding_the_border_weights_meet_padding(values):
    positions, grid = uses(1)
    assert values["positions_same"] == positions == SIZE * SIZE
    assert values["multiplies_same"] == positions * grid.size
    assert values["multiplies_same_on_pixels"] == grid.sum() < values["multiplies_same"]
    assert (values["uses_centre"], values["uses_edge"], values["uses_corner"]) == (grid[1, 1], grid[0, 1], grid[0, 0])
    table = np.array([[row["left"], row["centre"], row["right"]] for row in values["uses_same"]])
    assert (table == grid).all()
    assert [row["weight row"] for row in values["uses_same"]] == ["top", "middle", "bottom"]
