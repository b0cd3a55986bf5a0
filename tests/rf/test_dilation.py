"""Dilated stacks: fields by brute force, parameters from real weight arrays, holes by enumeration."""
import itertools

import numpy as np
import pytest

from snippets.lib import brute_force_fields
from snippets.rf.dilation import CHANNELS, GRIDDING, stack


def offsets(dilations):
    """Input offsets a central unit reads: every sum of one tap (-1, 0, 1) per layer."""
    return {sum(t * d for t, d in zip(taps, dilations)) for taps in itertools.product((-1, 0, 1), repeat=len(dilations))}


@pytest.mark.covers("rf_dilation", "table", "depth", "field_dilated", "field_plain", "params_per_layer", "params",
                    "plain_layers_needed")
def test_fields_and_parameters(values):
    weights = np.zeros((CHANNELS, CHANNELS, 3, 3)).size + CHANNELS  # one layer's weight and bias arrays
    for row in values["table"]:
        depth = row["layers"]
        dilations = [2 ** i for i in range(depth)]
        if depth <= 6:  # brute force while the input stays small
            assert brute_force_fields.measured(stack(dilations), 4 * 2 ** depth + 8).size[0] == row["field, dilated"]
        assert row["field, dilated"] == len(offsets(dilations)) == 2 ** (depth + 1) - 1
        assert row["field, undilated"] == max(offsets([1] * depth)) * 2 + 1
        assert row["parameters (both)"] == depth * weights
        assert 2 * row["undilated layers for the same field"] + 1 == row["field, dilated"]
    assert values["depth"] == values["table"][-1]["layers"] == 8
    assert values["field_dilated"] == 2 ** 9 - 1 and values["field_plain"] == 2 * 8 + 1
    assert values["params_per_layer"] == weights and values["params"] == 8 * weights
    assert values["plain_layers_needed"] == (values["field_dilated"] - 1) // 2


@pytest.mark.covers("rf_dilation", "holes_doubling", "holes_gridding", "gridding_field")
def test_holes_by_enumerating_the_offsets(values):
    for key, dilations in (("holes_doubling", [1, 2, 4, 8]), ("holes_gridding", list(GRIDDING))):
        seen = offsets(dilations)
        span = max(seen) - min(seen) + 1
        assert values[key] == pytest.approx(1 - (len(seen) / span) ** 2, abs=1e-12)  # 2-D: rows × columns
    assert values["holes_doubling"] == 0
    assert values["gridding_field"] == 2 * sum(GRIDDING) + 1
