"""The tied matrices, checked against the layers they claim to be.

Oracles: the layers' definitions written as loops (conv2d_loop, a loop over positions for
the locally connected layer, the sum over inputs for the dense one); the sizes of real
weight arrays; and snippets.lib.counting's closed forms. Matrix times input and the layer
sum the same nine or twenty-five products in another order: float64 rounding is about
1e-15 here, so 1e-12 is the tolerance.
"""
from functools import cache

import numpy as np
import pytest

from oracles.loops import conv2d_loop
from snippets.sharing import tied as sharing_tied
from snippets.lib import formulas, style

CLOSE = dict(rtol=1e-12, atol=1e-12)
IMAGE, KERNEL, OUT = 5, 3, 3


@cache
def private():
    """The snippet's matrices, weights and index matrices (its private data)."""
    return sharing_tied.compute()


def local_loop(x, w):
    """Locally connected layer from its definition: position (i, j) has its own filter."""
    out = np.zeros(OUT * OUT)
    for i, j in np.ndindex(OUT, OUT):
        out[i * OUT + j] = np.sum(w[i, j, 0, 0] * x[i:i + KERNEL, j:j + KERNEL])
    return out


def oracle_output(name, w, x):
    if name == "dense":
        return np.array([sum(w[o, p] * x.ravel()[p] for p in range(x.size)) for o in range(w.shape[0])])
    if name == "locally connected":
        return local_loop(x, w)
    return conv2d_loop(x[None, None], w)[0, 0].ravel()


@pytest.mark.parametrize("name", sharing_tied.LAYERS)
def test_drawn_matrix_times_the_input_is_the_layer_output(name):
    data = private()
    m, w = data["_matrices"][name], data["_weights"][name]
    x = np.random.default_rng(0).normal(size=(IMAGE, IMAGE))
    np.testing.assert_allclose(m @ x.ravel(), oracle_output(name, w, x), **CLOSE)
    # Every nonzero entry is one of the layer's weights, and every weight appears.
    assert set(m[m != 0]) == set(w.ravel())


def expected_weights():
    """{layer: weights} from formulas.py and from the sizes of real weight arrays."""
    from_counting = {
        "dense": formulas.dense_params(IMAGE * IMAGE, OUT * OUT, bias=False),
        "locally connected": formulas.locally_connected2d_params((1, IMAGE, IMAGE), 1, KERNEL, bias=False),
        "convolution": formulas.conv2d_params(1, 1, KERNEL, bias=False),
    }
    arrays = {"dense": np.zeros((OUT * OUT, IMAGE * IMAGE)),
              "locally connected": np.zeros((OUT, OUT, 1, 1, KERNEL, KERNEL)),
              "convolution": np.zeros((1, 1, KERNEL, KERNEL))}
    assert from_counting == {name: a.size for name, a in arrays.items()}
    return from_counting


@pytest.mark.parametrize("theme", style.THEMES)
def test_the_figure_has_one_colour_per_parameter(theme):
    expected = expected_weights()
    for name, index in private()["_index"].items():
        image = sharing_tied.parameter_colours(index, style.THEMES[theme])
        drawn = image[index >= 0]
        assert np.all(image[index < 0][:, 3] == 0)  # structural zeros are transparent
        assert len(np.unique(drawn, axis=0)) == expected[name]


@pytest.mark.covers("sharing_tied", "matrices", "local_nonzeros", "conv_weights", "conv_reuse")
def test_table_counts_weights_and_entries(values):
    expected = expected_weights()
    windows = [(i, j) for i in range(IMAGE) for j in range(IMAGE) if i + KERNEL <= IMAGE and j + KERNEL <= IMAGE]
    nonzeros = {"dense": IMAGE * IMAGE * OUT * OUT,  # every output reads every pixel
                "locally connected": len(windows) * KERNEL * KERNEL,  # each output reads its window
                "convolution": len(windows) * KERNEL * KERNEL}
    rows = {row["layer"]: row for row in values["matrices"]}
    assert list(rows) == list(sharing_tied.LAYERS)
    for name, row in rows.items():
        assert row["free weights"] == expected[name]
        assert row["nonzero entries"] == nonzeros[name]
        assert row["entries per free weight"] * expected[name] == nonzeros[name]
    assert values["local_nonzeros"] == nonzeros["locally connected"]
    assert values["conv_weights"] == KERNEL * KERNEL
    assert values["conv_reuse"] == len(windows)  # a shared weight is used once per position


@pytest.mark.covers("sharing_tied", "image_shape", "output_shape", "matrix_shape", "entries")
def test_shapes(values):
    out = conv2d_loop(np.zeros((1, 1, IMAGE, IMAGE)), np.zeros((1, 1, KERNEL, KERNEL)))
    assert tuple(values["image_shape"]) == (IMAGE, IMAGE)
    assert tuple(values["output_shape"]) == out.shape[2:]
    assert tuple(values["matrix_shape"]) == (out.size, IMAGE * IMAGE)
    assert values["entries"] == out.size * IMAGE * IMAGE
