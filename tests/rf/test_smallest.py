"""The smallest case against a brute-force oracle: perturb each input pixel of a random
network with the stack's geometry, written as plain loops, and see which outputs change.
No receptive-field formula is used."""
import numpy as np
import pytest

from oracles.indices import dependencies, interval

from snippets.rf.smallest import EXERCISES, SIDE, STACKS


def conv_loops(x, w, stride, padding):
    """One-channel 2-D cross-correlation with zero padding, one loop per output index."""
    k = w.shape[0]
    padded = np.zeros((x.shape[0] + 2 * padding, x.shape[1] + 2 * padding))
    padded[padding:padding + x.shape[0], padding:padding + x.shape[1]] = x
    side = (padded.shape[0] - k) // stride + 1
    out = np.zeros((side, side))
    for i in range(side):
        for j in range(side):
            out[i, j] = (padded[i * stride:i * stride + k, j * stride:j * stride + k] * w).sum()
    return out


def network(stack, weights, x):
    for layer, w in zip(stack, weights):
        x = conv_loops(x, w, layer.stride, layer.padding)
    return x


def perturbed_field(stack, side=SIDE, seed=0):
    """(size, jump, effective padding) along the rows, from which input rows change the
    output units (u, u) and (u + 1, u) at the centre when a single pixel is moved."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(3, 3)) for _ in stack]
    x = rng.normal(size=(side, side))
    base = network(stack, weights, x)
    u = (base.shape[0] - 1) // 2
    rows = {0: set(), 1: set()}
    for r in range(side):
        for c in range(side):
            moved = x.copy()
            moved[r, c] += 1.0
            change = network(stack, weights, moved) - base
            for d in (0, 1):
                if abs(change[u + d, u]) > 1e-12:
                    rows[d].add(r)
    first, second = min(rows[0]), min(rows[1])
    assert max(rows[0]) < side - 1 and first > 0  # the field lies inside the input: nothing clipped
    jump = second - first
    return max(rows[0]) - first + 1, jump, -(first - u * jump)


@pytest.mark.covers("rf_smallest", "plain_table", "plain_field", "plain_jump", "strided_table", "strided_field",
                    "strided_jump", "strided_growth", "strided_extra")
def test_fields_equal_the_pixels_that_change_the_output(values):
    for key, stack in STACKS.items():
        table = values[f"{key}_table"]
        for depth, row in enumerate(table, 1):
            size, jump, _ = perturbed_field(stack[:depth])
            assert (row["field"], row["jump"]) == (size, jump)
            assert row["stride"] == stack[depth - 1].stride
        assert (values[f"{key}_field"], values[f"{key}_jump"]) == perturbed_field(stack)[:2]
    assert values["strided_growth"] == [perturbed_field(STACKS["strided"][:d])[0] for d in (1, 2, 3)]
    # the page's hand count: 7 without a stride, 9 with the stride-2 middle layer
    assert (values["plain_field"], values["strided_field"]) == (7, 9)
    assert values["strided_extra"] == 9 - 7


@pytest.mark.covers("rf_smallest", "exercise_last_field", "exercise_last_jump", "exercise_stem_field",
                    "exercise_stem_jump", "exercise_side")
def test_exercises_by_index_enumeration(values):
    assert values["exercise_side"] == 224  # ResNet's input
    for key, stack in EXERCISES.items():
        first, last = interval(dependencies(stack, 5))
        second, _ = interval(dependencies(stack, 6))
        assert values[f"exercise_{key}_field"] == last - first + 1
        assert values[f"exercise_{key}_jump"] == second - first
    assert (values["exercise_last_field"], values["exercise_stem_field"]) == (7, 11)  # 1 + 2 + 2 + 2; 7 + 2·2


def cells_read(stack, below, seed=1):
    """How many cells of the map `below` layers under the top one change the top centre
    unit when moved one at a time (the layers above it only, random weights, loops)."""
    rng = np.random.default_rng(seed)
    side = SIDE
    for layer in stack[:len(stack) - below]:
        side = (side + 2 * layer.padding - 3) // layer.stride + 1
    upper = stack[len(stack) - below:]
    weights = [rng.normal(size=(3, 3)) for _ in upper]
    x = rng.normal(size=(side, side))
    base = network(upper, weights, x)
    u = (base.shape[0] - 1) // 2
    changed = set()
    for r in range(side):
        moved = x.copy()
        moved[r, side // 2] += 1.0
        if abs(network(upper, weights, moved)[u, u] - base[u, u]) > 1e-12:
            changed.add(r)
    return len(changed)


@pytest.mark.covers("rf_smallest", "plain_middle", "strided_middle", "strided_added")
def test_cells_read_layer_by_layer(values):
    assert values["plain_middle"] == cells_read(STACKS["plain"], 2) == 5
    assert values["strided_middle"] == cells_read(STACKS["strided"], 2) == 7  # conv1's cells under the stride
    fields = [perturbed_field(STACKS["strided"][:d])[0] for d in (1, 2, 3)]
    added = [b - a for a, b in zip([1, *fields], fields)]
    assert values["strided_added"] == f"{added[0]}, {added[1]} and {added[2]}" == "2, 2 and 4"
