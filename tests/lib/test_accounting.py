"""Tests of snippets/lib/accounting.py: walking a network of specs (snippets/lib/specs.py)
layer by layer.

Oracles: a real forward pass through the reference layers (`layers`), whose array shapes
and weight sizes the walked rows must match, and counts written out by hand.
"""
import zlib

import numpy as np
import pytest

from snippets.lib import accounting, specs
from snippets.lib import layers as L

SEED = 1998


def rng_for(*case):
    """A generator seeded by the case (a stable hash), so each case has fixed weights."""
    return np.random.default_rng([SEED, zlib.crc32(repr(case).encode())])


def random(rng, shape):
    """Continuous weights away from zero (so no free weight is an accidental zero)."""
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def test_walk_follows_the_shapes_of_a_real_forward_pass():
    """Walk a small network and run it with the reference layers: every output shape
    agrees, and the parameter total is the size of the arrays the forward pass needed."""
    rng = rng_for("walk")
    net = [specs.ConvSpec(4, 3, padding=1, name="conv1"), specs.ReLUSpec(), specs.MaxPoolSpec(2), specs.ConvSpec(6, 3, stride=2, groups=2),
           specs.FlattenSpec(), specs.DenseSpec(5)]
    rows = accounting.walk(net, (2, 9, 9))
    w1, b1 = random(rng, (4, 2, 3, 3)), random(rng, 4)
    w2, b2 = random(rng, (6, 2, 3, 3)), random(rng, 6)
    x = rng.normal(size=(1, 2, 9, 9))
    shapes = [L.conv2d(x, w1, b1, padding=1)]
    shapes.append(L.relu(shapes[-1]))
    shapes.append(L.max_pool2d(shapes[-1], 2))
    shapes.append(L.conv2d(shapes[-1], w2, b2, stride=2, groups=2))
    shapes.append(shapes[-1].reshape(1, -1))
    w3, b3 = random(rng, (5, shapes[-1].shape[1])), random(rng, 5)
    shapes.append(L.dense(shapes[-1], w3, b3))
    assert [r.out_shape for r in rows] == [a.shape[1:] for a in shapes]
    assert accounting.totals(rows).params == sum(a.size for a in (w1, b1, w2, b2, w3, b3))
    assert [r.name for r in rows][:2] == ["conv1", "1"]


def test_residual_block_adds_at_zero_cost_and_checks_shapes():
    block = specs.ResidualSpec([specs.ConvSpec(8, 3, padding=1, bias=False), specs.BatchNormSpec()],
                       [specs.ConvSpec(8, 1, bias=False), specs.BatchNormSpec()], name="b")
    rows = accounting.walk([block], (4, 5, 5))
    add = rows[-1]
    assert (add.kind, add.name, add.params, add.macs, add.out_shape) == ("Add", "b.add", 0, 0, (8, 5, 5))
    weights = np.zeros((8, 4, 3, 3)).size + np.zeros((8, 4, 1, 1)).size
    assert accounting.totals(rows).params == weights + 2 * (2 * 8)  # two BN: scale and shift
    assert accounting.totals(rows).non_trainable == 2 * (2 * 8)  # two BN: running mean and variance
    with pytest.raises(ValueError):
        accounting.walk([specs.ResidualSpec([specs.ConvSpec(8, 3, stride=2, padding=1)], name="bad")], (4, 5, 5))


def test_geometry_is_explicit_for_every_spatial_layer():
    """The receptive-field page reads kernel, stride, padding, dilation from every row."""
    rows = accounting.walk([specs.ConvSpec(2, 3, stride=2, padding=1, dilation=2), specs.ReLUSpec(), specs.MaxPoolSpec(2),
                   specs.DepthwiseConvSpec(3, padding=1), specs.GlobalAvgPoolSpec()], (1, 16, 16))
    assert rows[0].kernel == (3, 3) and rows[0].stride == (2, 2) and rows[0].dilation == (2, 2)
    assert rows[1].kernel == (1, 1) and rows[1].padding == (0, 0)
    assert rows[2].stride == (2, 2)  # pooling stride defaults to the kernel
    assert all(r.kernel is not None for r in rows)
