"""The MNIST network, built as a trainable network from `snippets/lib/nets.py` and run.

Oracle: for each padding, the network is built layer by layer from `nets` (whose Dense
layer needs its input size, read from the actual pooled map), run forward on one zero
digit, and its parameters are the sizes of the arrays it allocated: all of them with
biases, only the weight arrays (each layer's first) without. Exact comparisons; the
shares are the quotients of those counts (float rounding only, rel 1e-12).
"""
from functools import cache

import numpy as np
import pytest

from snippets.lib import nets

DIGIT = np.zeros((1, 1, 28, 28))


@cache
def built(padding):
    """(pooled map (H, W, C), [(layer, its parameter sizes)]) of the network with `padding`."""
    rng = np.random.default_rng(0)
    conv, pool = nets.Conv(1, 32, 3, rng, padding=padding), nets.MaxPool(2)
    pooled = pool.forward(nets.ReLU().forward(conv.forward(DIGIT)))
    hidden, out = nets.Dense(pooled[0].size, 128, rng), nets.Dense(128, 10, rng)
    model = nets.Sequential(conv, nets.ReLU(), pool, nets.Flatten(), hidden, nets.ReLU(), out)
    assert model.forward(DIGIT).shape == (1, 10)
    _, c, h, w = pooled.shape
    return (h, w, c), {name: [p.size for p in layer.params] for name, layer in
                       (("convolution", conv), ("dense 128", hidden), ("dense 10", out))}


def total(padding, bias):
    sizes = built(padding)[1].values()
    return sum(sum(s) if bias else s[0] for s in sizes)


@pytest.mark.covers("params_mnist", "valid_map", "same_map", "valid_flat", "same_flat", "hidden_units")
def test_maps_before_the_dense_layer(values):
    assert values["hidden_units"] == built(0)[1]["dense 128"][1]  # one bias per unit
    assert tuple(values["valid_map"]) == built(0)[0] == (13, 13, 32)
    assert tuple(values["same_map"]) == built(1)[0] == (14, 14, 32)  # the source's map needs 'same' padding
    assert values["valid_flat"] == np.prod(built(0)[0]) and values["same_flat"] == np.prod(built(1)[0])


@pytest.mark.covers("params_mnist", "valid_total", "valid_total_without_biases", "same_total",
                    "same_total_without_biases", "same_minus_valid")
def test_totals(values):
    assert (values["valid_total"], values["valid_total_without_biases"]) == (total(0, True), total(0, False))
    assert (values["same_total"], values["same_total_without_biases"]) == (total(1, True), total(1, False))
    assert values["same_minus_valid"] == total(1, True) - total(0, True)


@pytest.mark.covers("params_mnist", "valid_hidden_share", "same_hidden_share")
def test_the_dense_layer_holds_almost_everything(values):
    for padding, key in ((0, "valid_hidden_share"), (1, "same_hidden_share")):
        hidden = sum(built(padding)[1]["dense 128"])
        assert values[key] == pytest.approx(hidden / total(padding, True), rel=1e-12)


@pytest.mark.covers("params_mnist", "counts")
def test_table(values):
    expected = [(mode, bias) for mode in ("valid", "same") for bias in (True, False)]
    assert [(r["padding"], r["biases"]) for r in values["counts"]] == expected
    for row in values["counts"]:
        padding = 0 if row["padding"] == "valid" else 1
        pooled, sizes = built(padding)
        assert tuple(row["map before the dense layer"]) == pooled
        for layer, arrays in sizes.items():
            assert row[layer] == (sum(arrays) if row["biases"] else arrays[0]), (row, layer)
        assert row["total"] == total(padding, row["biases"])
