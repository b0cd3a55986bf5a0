"""Attention against a loop over tokens and explicit permutation matrices, on the page's
draws and on the held-out block; block weights against a GPT-2 block's arrays."""
import numpy as np
import pytest

from snippets.beyond import attention as snippet
from snippets.beyond._common import attention
from tests.oracles.transformer_shapes import gpt2, size

ROUNDING = 1e-12
HELD_OUT = range(1000, 1010)


def attention_loop(x, wq, wk, wv, wo):
    """Token by token: scores against every token, their softmax, the weighted values."""
    out = []
    for i in range(len(x)):
        q = x[i] @ wq
        scores = np.array([q @ (x[j] @ wk) / np.sqrt(len(q)) for j in range(len(x))])
        weights = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        out.append(sum(weights[j] * (x[j] @ wv) for j in range(len(x))) @ wo)
    return np.array(out)


@pytest.mark.parametrize("block", [snippet.DRAWS, HELD_OUT])
def test_reordering_tokens_reorders_outputs_and_positions_break_it(block):
    for i in block:
        x, w, pos, order = snippet.draw(i)
        p = np.eye(len(x))[order]  # an explicit permutation matrix
        np.testing.assert_allclose(attention(x, *w), attention_loop(x, *w), atol=ROUNDING)
        np.testing.assert_allclose(attention_loop(p @ x, *w), p @ attention_loop(x, *w), atol=ROUNDING)
        placed = attention_loop(p @ x + pos, *w) - p @ attention_loop(x + pos, *w)
        assert np.abs(placed).max() > 1e-2  # far from rounding: the claim "it is not equivariant"
    plain, placed = snippet.errors(block)
    assert plain.max() < ROUNDING and placed.min() > 1e-2


@pytest.mark.covers("beyond_attention", "tokens", "width", "draws", "plain_error", "position_error")
def test_values_say_what_the_draws_show(values):
    assert (values["tokens"], values["width"], values["draws"]) == (5, 8, 10)
    assert values["plain_error"] < ROUNDING
    assert values["position_error"]["min"] > 1e-2 and values["position_error"]["n"] == 10


@pytest.mark.covers("beyond_attention", "conv_error")
def test_projection_is_a_one_by_one_convolution(values):
    x, w, _, _ = snippet.draw(0)
    loop = np.array([[sum(x[t, i] * w[0][i, o] for i in range(x.shape[1])) for o in range(w[0].shape[1])]
                     for t in range(len(x))])  # the same matrix at every token, written out
    np.testing.assert_allclose(x @ w[0], loop, atol=ROUNDING)
    assert values["conv_error"] < ROUNDING


@pytest.mark.covers("beyond_attention", "block_width", "shortest", "longest", "block_params", "block_params_same",
                    "block_params_formula", "dense_params_longest")
def test_block_weights_do_not_depend_on_the_length(values):
    width = values["block_width"]
    one_block = size({k: s for k, s in gpt2(1, 1, width, 1).items() if k.startswith("h.0.")})
    assert values["block_params"] == values["block_params_formula"] == one_block
    assert values["block_params_same"] is True
    assert values["shortest"] < values["longest"]
    assert values["dense_params_longest"] == np.zeros((1, 1)).size * (values["longest"] * width) ** 2
