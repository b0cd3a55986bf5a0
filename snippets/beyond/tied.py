"""Tied embeddings and cross-layer sharing: GPT-2's output layer and ALBERT's blocks.

GPT-2 reads each token as a row of its token embedding and scores the next token with the
same matrix, transposed (Radford et al. 2019): one array, two uses. ALBERT (Lan et al.
2020) reuses one block at every depth and factorises its embedding into a small table and
a projection. A tiny numpy model shows each sharing; the real models are counted from
their configurations.
"""
import numpy as np

from snippets.lib import style, transformers

SEED = 2019
VOCAB, WIDTH, DEPTH = 10, 4, 3  # the tiny models
GPT2_SMALL = transformers.Config(width=768, layers=12, vocab=50257, positions=1024, final_norm=True)
ALBERT_BASE = transformers.Config(width=768, layers=12, vocab=30000, positions=512, token_types=2, embedding=128,
                                  shared=True, pooler=True, embedding_norm=True)
# The same model without ALBERT's two savings: a BERT-base-sized model with ALBERT's vocabulary.
UNSHARED = transformers.Config(width=768, layers=12, vocab=30000, positions=512, token_types=2, pooler=True,
                               embedding_norm=True)


def tiny_language_model(rng):
    """Token ids in, next-token scores out, with one embedding matrix used twice."""
    embedding = rng.normal(size=(VOCAB, WIDTH))

    def scores(ids):
        h = embedding[ids]  # read: one row per token
        return h @ embedding.T  # write: the same matrix, transposed

    return {"embedding": embedding}, scores


def tiny_albert(rng):
    """One block's weights applied DEPTH times (a residual dense layer stands in for a block)."""
    weights = {"w": rng.normal(size=(WIDTH, WIDTH)) / 2, "b": rng.normal(size=WIDTH)}

    def forward(h):
        for _ in range(DEPTH):  # the same arrays at every depth
            h = h + np.tanh(h @ weights["w"] + weights["b"])
        return h

    return weights, forward


def compute():
    rng = np.random.default_rng(SEED)
    lm_arrays, scores = tiny_language_model(rng)
    ids = rng.integers(0, VOCAB, size=6)
    out = scores(ids)
    albert_arrays, _ = tiny_albert(rng)
    gpt = transformers.parts(GPT2_SMALL)
    albert, unshared = transformers.parts(ALBERT_BASE), transformers.parts(UNSHARED)
    embedding_factorised = albert["token embedding"] + albert["embedding projection"]
    return {
        "tiny_vocab": VOCAB,
        "tiny_width": WIDTH,
        "tiny_scores_shape": out.shape,
        "tiny_lm_params": sum(a.size for a in lm_arrays.values()),
        "tiny_depth": DEPTH,
        "tiny_albert_params": sum(a.size for a in albert_arrays.values()),
        "gpt2_vocab": GPT2_SMALL.vocab,
        "gpt2_width": GPT2_SMALL.width,
        "gpt2_embedding": gpt["token embedding"],
        "gpt2_total": transformers.total(gpt),
        "gpt2_untied": transformers.total(gpt, leave_out=()),
        "gpt2_embedding_share": gpt["token embedding"] / transformers.total(gpt),
        "albert_vocab": ALBERT_BASE.vocab,
        "albert_embedding": ALBERT_BASE.embedding,
        "albert_embedding_params": embedding_factorised,
        "bert_embedding_params": unshared["token embedding"],
        "albert_block": albert["block weights"] + albert["block biases"] + albert["block norms"],
        "unshared_blocks": unshared["block weights"] + unshared["block biases"] + unshared["block norms"],
        "albert_total": transformers.total(albert),
        "unshared_total": transformers.total(unshared),
        "_gpt": gpt,
        "_albert": (albert, unshared),
        "_tiny": (lm_arrays, ids, out),
    }


def figure_parts(v):
    """Horizontal bars of parameters in millions: GPT-2 small with its output layer tied
    (counted once) and untied (a second copy of the token embedding), and a BERT-base-sized
    model against ALBERT-base, whose token embedding and blocks shrink."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.2)
    gpt = v["_gpt"]
    albert, unshared = v["_albert"]
    rows = [
        ("GPT-2 small, untied", gpt, ()),
        ("GPT-2 small, tied", gpt, ("untied output layer",)),
        ("BERT-base-sized", unshared, ("untied output layer",)),
        ("ALBERT-base", albert, ("untied output layer",)),
    ]
    groups = {"token embedding (and its projection)": ("token embedding", "embedding projection"),
              "untied output layer": ("untied output layer",),
              "blocks": ("block weights", "block biases", "block norms")}
    for y, (label, parts, leave_out) in enumerate(rows):
        left = 0.0
        for k, (name, keys) in enumerate(groups.items()):
            size = sum(parts.get(key, 0) for key in keys if key not in leave_out) / 1e6
            ax.barh(y, size, left=left, color=theme.series[k], label=name if y == 0 else None)
            left += size
        rest = (transformers.total(parts, leave_out) / 1e6) - left
        ax.barh(y, rest, left=left, color=theme.faint, label="everything else" if y == 0 else None)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("parameters (millions)")
    fig.legend(loc="outside upper center", ncol=2, frameon=False, fontsize=8)  # above the bars, never on them
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
