"""Tied embeddings and ALBERT: counts from the checkpoints' array shapes, the released
GPT-2 total and the issue's figures; the tiny models' arrays."""
import numpy as np
import pytest

from snippets.beyond import tied as snippet
from tests.oracles.transformer_shapes import RELEASED, albert, bert, gpt2, size


@pytest.mark.covers("beyond_tied", "tiny_vocab", "tiny_width", "tiny_scores_shape", "tiny_lm_params", "tiny_depth",
                    "tiny_albert_params")
def test_tiny_models_hold_one_array_each_use(values):
    v, d = values["tiny_vocab"], values["tiny_width"]
    arrays, ids, out = snippet.compute()["_tiny"]
    e = arrays["embedding"]
    loop = np.array([[sum(e[t, k] * e[u, k] for k in range(d)) for u in range(v)] for t in ids])
    np.testing.assert_allclose(out, loop, atol=1e-12)
    assert tuple(values["tiny_scores_shape"]) == (len(ids), v)
    assert values["tiny_lm_params"] == np.zeros((v, d)).size  # one table, read and written
    assert values["tiny_depth"] == 3
    assert values["tiny_albert_params"] == np.zeros((d, d)).size + np.zeros(d).size  # one block, whatever the depth


@pytest.mark.covers("beyond_tied", "gpt2_vocab", "gpt2_width", "gpt2_embedding", "gpt2_total", "gpt2_untied",
                    "gpt2_embedding_share")
def test_gpt2_small(values):
    shapes = gpt2(50257, 1024, 768, 12)
    assert values["gpt2_embedding"] == 38_597_376 == np.prod(shapes["wte"])  # the figure
    assert values["gpt2_total"] == RELEASED["gpt2"] == size(shapes)
    assert values["gpt2_untied"] == size(shapes) + np.prod(shapes["wte"])
    assert values["gpt2_embedding_share"] == pytest.approx(38_597_376 / 124_439_808)
    assert (values["gpt2_vocab"], values["gpt2_width"]) == shapes["wte"]


@pytest.mark.covers("beyond_tied", "albert_vocab", "albert_embedding", "albert_embedding_params",
                    "bert_embedding_params", "albert_block", "unshared_blocks", "albert_total", "unshared_total")
def test_albert_base(values):
    a, b = albert(), bert(30000, 768, 12)
    assert values["albert_total"] == size(a)
    assert values["unshared_total"] == size(b)
    assert values["albert_embedding_params"] == size({k: s for k, s in a.items() if "word" in k or "mapping" in k})
    assert values["bert_embedding_params"] == np.prod(b["embeddings.word_embeddings.weight"])
    assert values["albert_block"] == size({k: s for k, s in a.items() if "albert_layer" in k})
    assert values["unshared_blocks"] == size({k: s for k, s in b.items() if k.startswith("encoder.")})
    assert (values["albert_vocab"], values["albert_embedding"]) == a["embeddings.word_embeddings.weight"]
