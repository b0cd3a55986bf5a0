"""The exercise's layer, counted connection by connection (no formula).

Oracle: the 5×5 windows are placed one by one on the 32×32 image; without sharing each
(window, filter) has a weight per connection and a bias; with sharing a weight is named
by (filter, channel, tap), so the distinct names are counted over all windows.
"""
import pytest

SIDE, CHANNELS, KERNEL, FILTERS = 32, 3, 5, 64


def windows():
    return [(top, left) for top in range(SIDE) for left in range(SIDE) if top + KERNEL <= SIDE and left + KERNEL <= SIDE]


@pytest.mark.covers("intro_new_layer", "output_shape", "neurons", "params_per_neuron", "params_unshared",
                    "params_shared", "positions")
def test_the_exercise_counted_connection_by_connection(values):
    found = windows()
    side = len({top for top, _ in found})
    assert tuple(values["output_shape"]) == (side, side, FILTERS)
    assert values["positions"] == len(found)
    assert values["neurons"] == len(found) * FILTERS
    taps = [(c, i, j) for c in range(CHANNELS) for i in range(KERNEL) for j in range(KERNEL)]
    assert values["params_per_neuron"] == len(taps) + 1
    assert values["params_unshared"] == sum(FILTERS * (len(taps) + 1) for _ in found)
    assert values["params_shared"] == len({(f, *t) for f in range(FILTERS) for t in taps}) + FILTERS
