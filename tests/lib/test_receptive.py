"""The three receptive-field methods agree, and agree with an explicit index enumeration.

The oracle `dependencies` never uses a formula: it follows, along one axis, which input
indices each output index reads (``o·stride - padding + tap·dilation``), layer by layer,
keeping a count of the paths; residual blocks add their paths' counts."""
import numpy as np
import pytest

from oracles.indices import dependencies, interval
from snippets.lib import brute_force_fields, effective_fields, receptive
from snippets.lib.specs import (
    AvgPoolSpec, BatchNormSpec, ConvSpec, DepthwiseConvSpec, MaxPoolSpec, ReLUSpec, ResidualSpec,
    SequentialSpec, ZeroPadSpec,
)


def oracle_field(network, axis=0):
    """(size, jump, start) from the index sets of output units 0 and 1 (padding indices included)."""
    first, second = interval(dependencies(network, 0, axis)), interval(dependencies(network, 1, axis))
    return first[1] - first[0] + 1, second[0] - first[0], first[0]


def measure(stack, size):
    """Brute force on an input large enough that the central fields touch no padding."""
    for _ in range(3):
        try:
            return brute_force_fields.measured(stack, size)
        except ValueError:
            size *= 2
    raise AssertionError("no input size worked")


def random_stack(rng, residual=False):
    layers = []
    for i in range(rng.integers(1, 7)):
        k, s, d = int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        p = int(rng.integers(0, d * (k - 1) // 2 + 1))
        kind = rng.integers(0, 3)
        if kind == 0:
            layers.append(ConvSpec(2, (k, int(rng.integers(1, 6))), (s, int(rng.integers(1, 3))), p, (d, 1)))
        elif kind == 1:
            layers.append(MaxPoolSpec(k, s, padding=min(p, k // 2)))
        else:
            layers.append(DepthwiseConvSpec(k, s, p, d))
        if residual and rng.random() < 0.5:
            body = [ConvSpec(2, 3, padding=1), ReLUSpec(), ConvSpec(2, 3, padding=1)]
            layers.append(ResidualSpec(body if rng.random() < 0.5 else [SequentialSpec(body)], []))
    return layers


@pytest.mark.parametrize("seed", range(12))
def test_closed_form_recurrence_and_brute_force_agree_on_random_stacks(seed):
    rng = np.random.default_rng(seed)
    stack = random_stack(rng)
    recurrence = receptive.fields(stack, (2, 400, 400))[-1].field
    assert receptive.closed_form(stack, (2, 400, 400)) == recurrence
    assert measure(stack, 400) == recurrence
    for axis in (0, 1):
        assert oracle_field(stack, axis) == (recurrence.size[axis], recurrence.jump[axis], recurrence.start[axis])


@pytest.mark.parametrize("seed", range(6))
def test_residual_fields_are_the_union_of_their_paths(seed):
    stack = random_stack(np.random.default_rng(100 + seed), residual=True)
    recurrence = receptive.fields(stack, (2, 300, 300))[-1].field
    assert measure(stack, 300) == recurrence
    assert oracle_field(stack) == (recurrence.size[0], recurrence.jump[0], recurrence.start[0])
    with pytest.raises(ValueError) if any(isinstance(l, ResidualSpec) for l in stack) else _nothing():
        receptive.closed_form(stack, (2, 300, 300))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_shortcut_with_a_wider_window_sets_the_field():
    block = [ResidualSpec([ConvSpec(1, 1)], [ConvSpec(1, 5, padding=2)])]
    field = receptive.fields(block, (1, 20, 20))[-1].field
    assert field.size == (5, 5) and field.padding == (2, 2)
    assert brute_force_fields.measured(block, 20) == field


def test_centre_of_a_unit_is_the_middle_of_its_index_set():
    stack = [ConvSpec(1, 4, 2, padding=1), AvgPoolSpec(2), ConvSpec(1, 3, padding=1, dilation=2), BatchNormSpec()]
    field = receptive.fields(stack, (1, 64, 64))[-1].field
    for unit in (0, 3, 7):
        first, last = interval(dependencies(stack, unit))
        assert field.centre((unit, unit)) == ((first + last) / 2,) * 2


def test_path_counts_equal_the_enumerated_paths():
    stack = [ConvSpec(1, 3, padding=1), ConvSpec(1, 3, 2, padding=1), ConvSpec(1, 3, padding=2, dilation=2)]
    counts = brute_force_fields.path_counts(stack, 41)
    out = receptive.fields(stack, (1, 41, 41))[-1].out_shape[1]
    unit = (out - 1) // 2
    profile = dependencies(stack, unit)
    expected = np.zeros(41)
    for i, n in profile.items():
        expected[i] = n
    np.testing.assert_array_equal(counts, np.outer(expected, expected))  # separable all-ones kernels


def test_zero_pad_shifts_the_field_and_the_brute_force_sees_it():
    stack = [ZeroPadSpec((0, 0), (1, 1)), ConvSpec(1, 3, 2), ConvSpec(1, 3, padding=1)]
    field = receptive.fields(stack, (1, 40, 40))[-1].field
    assert (field.size, field.jump, field.start) == ((7, 7), (2, 2), (-2, -2))  # only the 3×3 pads before
    assert brute_force_fields.measured(stack, 40) == field


def test_stack_gradients_match_the_uniform_path_counts():
    weights = np.ones((4, 2, 3, 3))
    x = np.random.default_rng(0).normal(size=(2, 21, 21))
    maps = effective_fields.stack_gradients(weights, x, (4,))
    counts = brute_force_fields.path_counts([ConvSpec(1, 3, padding=1)] * 4, 21)
    np.testing.assert_array_equal(maps[4][0], counts)
