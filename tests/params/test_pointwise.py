"""A 1×1 convolution against one dense layer run at every pixel.

Oracle: the reference 1×1 convolution and a loop that applies one dense layer (a 2×3
matrix and 2 biases) to the 3 channel values of each pixel give the same output, so the
convolution holds exactly the dense layer's weights; the multiply-adds are counted as the
loop performs them.
"""
import numpy as np
import pytest

from snippets.lib import layers as L

C_IN, C_OUT, SIDE = 3, 2, 4


@pytest.mark.covers("params_pointwise", "in_shape", "out_shape", "pixels", "params", "weights", "dense_params",
                    "macs", "macs_per_pixel")
def test_one_dense_layer_at_every_pixel(values):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(1, C_IN, SIDE, SIDE))
    w, b = rng.normal(size=(C_OUT, C_IN)), rng.normal(size=C_OUT)
    conv = L.conv2d(x, w.reshape(C_OUT, C_IN, 1, 1), b)
    looped, multiplies, pixels = np.zeros_like(conv), 0, 0
    for r in range(SIDE):
        for c in range(SIDE):
            pixels += 1
            for o in range(C_OUT):
                looped[0, o, r, c] = b[o] + sum(w[o, i] * x[0, i, r, c] for i in range(C_IN))
                multiplies += C_IN
    np.testing.assert_allclose(conv, looped, rtol=1e-12)
    assert tuple(values["in_shape"]) == (SIDE, SIDE, C_IN) and tuple(values["out_shape"]) == (conv.shape[2], conv.shape[3], C_OUT)
    assert values["pixels"] == pixels
    assert values["params"] == values["dense_params"] == w.size + b.size
    assert values["weights"] == w.size
    assert values["macs"] == multiplies
    assert values["macs_per_pixel"] == multiplies // pixels


@pytest.mark.covers("params_pointwise", "weights", "params", "pixels")
def test_the_figure_states_the_computed_counts(values):
    from snippets.params import pointwise

    fig = pointwise.figure_dense_at_every_pixel(values)
    text = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert f"{values['weights']} weights" in text and f"{values['params'] - values['weights']} biases" in text
    assert f"all {values['pixels']} pixels" in text
