"""The p4 group convolution against its definition, written out with loops."""
import numpy as np
import pytest

from oracles.free_parameters import count_free_parameters
from oracles.loops import conv2d_loop
from snippets.lib import groupconv, layers
from snippets.lib.dense_equivalent import distinct_weights, equivalent_matrix

RNG = np.random.default_rng(2016)
# Outputs are sums of a few dozen products of O(1) numbers: a correct rotation moves the
# same products to another place and may only reorder their sums, a few ulps apart.
FLOAT = dict(rtol=1e-12, atol=1e-12)


def turn(a, r=1):
    """np.rot90 on the last two axes, written without groupconv."""
    return np.rot90(a, r, axes=(-2, -1))


def lifting_by_definition(x, w, b, padding):
    """[f ⋆ ψ](r, position) = Σ_c f_c ⋆ (ψ_c turned by r), one filter and rotation at a time."""
    n, _, h, wd = x.shape
    out = np.empty((n, w.shape[0], 4) + layers.conv2d(x, w[:1], padding=padding).shape[2:])
    for o in range(w.shape[0]):
        for r in range(4):
            out[:, o, r] = conv2d_loop(x, turn(w[o:o + 1], r), padding=padding)[:, 0] + b[o]
    return out


def p4_by_definition(y, w, b, padding):
    """[f ⋆ ψ](r, position) = Σ_c Σ_s f_{c,s} ⋆ (ψ_{c, s−r} turned by r): the filter moved
    by rotation r, which turns it and relabels its rotation channels."""
    n, c_in, _, h, wd = y.shape
    out = np.zeros((n, w.shape[0], 4, h + 2 * padding - w.shape[-1] + 1, wd + 2 * padding - w.shape[-1] + 1))
    for o in range(w.shape[0]):
        for r in range(4):
            for c in range(c_in):
                for s in range(4):
                    kernel = turn(w[o, c, (s - r) % 4], r)[None, None]
                    out[:, o, r] += conv2d_loop(y[:, c:c + 1, s], kernel, padding=padding)[:, 0]
            out[:, o, r] += b[o]
    return out


@pytest.mark.parametrize("padding", [0, 1])
def test_lifting_layer_is_its_definition(padding):
    x, w, b = RNG.normal(size=(2, 3, 7, 7)), RNG.normal(size=(4, 3, 3, 3)), RNG.normal(size=4)
    np.testing.assert_allclose(groupconv.lifting_conv(x, w, b, padding=padding),
                               lifting_by_definition(x, w, b, padding), **FLOAT)


@pytest.mark.parametrize("padding", [0, 1])
def test_p4_layer_is_its_definition(padding):
    y, w, b = RNG.normal(size=(2, 3, 4, 6, 6)), RNG.normal(size=(2, 3, 4, 3, 3)), RNG.normal(size=2)
    np.testing.assert_allclose(groupconv.p4_conv(y, w, b, padding=padding),
                               p4_by_definition(y, w, b, padding), **FLOAT)


def assert_turned_and_shifted(before, after):
    """Rotation channel r + 1 of `after` is channel r of `before` turned by 90°."""
    for r in range(4):
        np.testing.assert_allclose(after[:, :, (r + 1) % 4], turn(before[:, :, r]), **FLOAT)


@pytest.mark.parametrize("mode", ["zeros", "circular"])
def test_turning_the_input_turns_each_map_and_shifts_the_rotation_channels(mode):
    x = RNG.normal(size=(2, 3, 9, 9))
    lift_w, lift_b = RNG.normal(size=(5, 3, 3, 3)), RNG.normal(size=5)
    p4_w, p4_b = RNG.normal(size=(4, 5, 4, 3, 3)), RNG.normal(size=4)
    conv = dict(padding=1, padding_mode=mode)
    lifted, lifted_turned = (groupconv.lifting_conv(v, lift_w, lift_b, **conv) for v in (x, turn(x)))
    assert_turned_and_shifted(lifted, lifted_turned)
    deeper, deeper_turned = (groupconv.p4_conv(layers.relu(v), p4_w, p4_b, **conv) for v in (lifted, lifted_turned))
    assert_turned_and_shifted(deeper, deeper_turned)
    # rotate_p4 is that same action, and the test can fail: without the channel shift the
    # maps do not match.
    np.testing.assert_allclose(groupconv.rotate_p4(deeper), deeper_turned, **FLOAT)
    assert np.abs(turn(deeper) - deeper_turned).max() > 0.1


def test_an_ordinary_convolution_is_not_rotation_equivariant():
    x, w = RNG.normal(size=(1, 1, 9, 9)), RNG.normal(size=(1, 1, 3, 3))
    assert np.abs(layers.conv2d(turn(x), w, padding=1) - turn(layers.conv2d(x, w, padding=1))).max() > 0.1


def test_the_rotated_copies_are_tied_weights():
    # Brute force: the equivalent matrix of the lifting layer (each weight appears in all
    # four rotated copies) has exactly as many distinct weights as the weight array, and
    # one distinct bias per filter, shared by the four rotations.
    w, b = RNG.normal(size=(6, 2, 3, 3)), RNG.normal(size=6)
    free = count_free_parameters(lambda x: groupconv.lifting_conv(x, w, padding=1), (2, 3, 3),
                                        lambda x: groupconv.lifting_conv(x, w, b, padding=1))
    assert free == w.size + b.size
    w4 = RNG.normal(size=(3, 2, 4, 3, 3))
    m = equivalent_matrix(lambda y: groupconv.p4_conv(y, w4, padding=1), (2, 4, 3, 3))
    assert distinct_weights(m) == w4.size
    # ... and each weight fills four times as many entries as in an ordinary convolution
    # with those filters flattened to 2 × 4 input channels.
    ordinary = equivalent_matrix(lambda y: layers.conv2d(y.reshape(-1, 8, 3, 3), w4.reshape(3, 8, 3, 3), padding=1),
                                        (2, 4, 3, 3))
    assert np.count_nonzero(m) == 4 * np.count_nonzero(ordinary)


def test_filter_banks_stack_the_transformed_copies_filter_by_filter():
    w = RNG.normal(size=(2, 3, 3, 3))
    bank = groupconv.lifting_filters(w)
    assert bank.shape == (8, 3, 3, 3)
    for o in range(2):
        for r in range(4):
            np.testing.assert_array_equal(bank[4 * o + r], turn(w[o], r))
