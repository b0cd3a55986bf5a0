"""The worked stack: every field against explicit index enumeration (no formula)."""
import numpy as np
import pytest
from oracles.indices import dependencies, interval

from snippets.rf.arithmetic import PICTURE, STACK


@pytest.mark.covers("rf_arithmetic", "table", "size", "jump", "padding", "closed_size", "closed_jump",
                    "closed_padding", "measured_size", "measured_jump", "measured_padding", "methods_agree",
                    "verdict")
def test_every_method_gives_the_enumerated_index_sets(values):
    for depth, row in enumerate(values["table"], 1):
        first, last = interval(dependencies(STACK[:depth], 0))
        second = interval(dependencies(STACK[:depth], 1))
        assert row["field"] == last - first + 1
        assert row["jump"] == second[0] - first
        assert row["effective padding"] == -first
        assert row["centre of unit 0"] == (first + last) / 2
    first, last = interval(dependencies(STACK, 0))
    for method in ("", "closed_", "measured_"):
        assert values[f"{method}size"] == last - first + 1
        assert values[f"{method}jump"] == 8  # three layers of stride 2
        assert values[f"{method}padding"] == -first
    assert values["methods_agree"] is True
    assert values["verdict"] == "The three ways agree."


@pytest.mark.covers("rf_arithmetic", "paths_max", "paths_corner")
def test_path_counts_are_products_of_enumerated_paths(values):
    out = PICTURE
    for layer in STACK:  # output side of the figure's input, by the floor formula written out
        k, s, p, d = (getattr(layer, f) for f in ("kernel", "stride", "padding", "dilation"))
        out = (out + 2 * p - d * (k - 1) - 1) // s + 1
    profile = dependencies(STACK, (out - 1) // 2)
    assert min(profile) >= 0 and max(profile) < PICTURE  # inside the figure's input
    counts = np.array(list(profile.values()))
    assert values["paths_max"] == counts.max() ** 2  # all-ones kernels: rows times columns
    assert values["paths_corner"] == counts.min() ** 2 == 1


@pytest.mark.covers("rf_arithmetic", "paths_centre", "peaks", "peak_offset", "dilated_tap_gap", "next_tap_gap",
                    "dilated_layer", "next_layer")
def test_the_four_peaks_from_enumerated_paths(values):
    out = PICTURE
    for layer in STACK:
        k, s, p, d = (getattr(layer, f) for f in ("kernel", "stride", "padding", "dilation"))
        out = (out + 2 * p - d * (k - 1) - 1) // s + 1
    paths = dependencies(STACK, (out - 1) // 2)  # one axis; the map is its outer product with itself
    first, last = interval(paths)
    centre = (first + last) // 2
    profile = np.array([paths.get(i, 0) for i in range(first, last + 1)])
    top = np.flatnonzero(profile == profile.max()) + first
    assert values["peaks"] == len(top) ** 2 == 4  # two maxima per axis
    assert values["peak_offset"] == min(abs(top - centre)) > 0  # off the centre
    assert values["paths_centre"] == paths[centre] ** 2 < values["paths_max"]
    # conv3 (dilation 2) reads pool units u − 2, u, u + 2: how far apart their fields start
    assert values["dilated_layer"] == "conv3" and values["next_layer"] == "conv4"
    starts = [interval(dependencies(STACK[:3], u))[0] for u in (10, 12)]
    assert values["dilated_tap_gap"] == starts[1] - starts[0]
    starts = [interval(dependencies(STACK[:4], u))[0] for u in (10, 11)]  # conv4 reads neighbouring conv3 units
    assert values["next_tap_gap"] == starts[1] - starts[0]
    # the peaks sit where two of the nine (conv3 tap, conv4 tap) offsets coincide
    offsets = [a + b for a in (-values["dilated_tap_gap"], 0, values["dilated_tap_gap"])
               for b in (-values["next_tap_gap"], 0, values["next_tap_gap"])]
    assert offsets.count(values["peak_offset"]) == 2 and offsets.count(0) == 1
