"""The transformer totals: each model rebuilt from its checkpoint's array names and shapes
(tests/oracles/transformer_shapes.py), a convention search of this test's own over those
arrays (drop the arrays of a kind, or add an untied output layer), and the verdicts
derived from that search, never typed."""
from itertools import product

import pytest

from tests.oracles.transformer_shapes import (RELEASED, albert, bert, bert_pretraining_heads, gpt2, size,
                                              vit_b16)

def is_norm(name):
    return "ln_" in name or "LayerNorm" in name or ".norm" in name or name.startswith("norm.")


# How each kind of array is recognised by its name in a checkpoint.
KINDS = {
    "position": lambda k: "wpe" in k or "position" in k or "pos_embed" in k,
    "pooler": lambda k: k.startswith("pooler"),
    "head": lambda k: k.startswith("head."),
    "pretraining heads": lambda k: k.startswith("cls."),
    "norm": lambda k: is_norm(k),
    "bias": lambda k: k.endswith(".bias") and not is_norm(k) and not k.startswith(("pooler", "head.", "cls.")),
}


def kinds_of(shapes):
    return [kind for kind, test in KINDS.items() if any(test(k) for k in shapes)]


def ways(shapes, untied_extra):
    """Every total: each kind of array the model has kept or dropped, the output layer tied
    or (when the model has a vocabulary) untied."""
    kinds = kinds_of(shapes)
    for keep in product((True, False), repeat=len(kinds)):
        dropped = {k for k, kept in zip(kinds, keep) if not kept}
        base = size({name: s for name, s in shapes.items()
                     if not any(KINDS[kind](name) for kind in dropped)})
        yield base
        if untied_extra:
            yield base + untied_extra


def agrees(printed_millions, total, resolution=1e6):
    return abs(total - printed_millions * 1e6) <= resolution / 2


def derived_verdict(printed, released, totals, design_totals=()):
    two_figures = [1e6] + ([1e7] if str(printed).endswith("0") else [])
    if agrees(printed, released):
        return "matches"
    if any(agrees(printed, t, r) for t in totals for r in two_figures):
        return "differs by accounting"
    if any(agrees(printed, t, r) for t in design_totals for r in two_figures):
        return "differs by design"
    return "wrong"


def models():
    gpt = {name: (printed, gpt2(50257, 1024, w, n), gpt2(40478, 1024, w, n), w)
           for name, printed, w, n in (("GPT-2 small", 117, 768, 12), ("GPT-2 medium", 345, 1024, 24),
                                       ("GPT-2 large", 762, 1280, 36), ("GPT-2 XL", 1542, 1600, 48))}
    out = {}
    for name, (printed, shapes, design, w) in gpt.items():
        out[name] = (printed, shapes, list(ways(shapes, 50257 * w)), list(ways(design, 40478 * w)))
    for name, printed, w, n in (("BERT-base", 110, 768, 12), ("BERT-large", 340, 1024, 24)):
        shapes = bert(30522, w, n)
        out[name] = (printed, shapes, list(ways(shapes | bert_pretraining_heads(30522, w), 30522 * w)), [])
    a = albert()
    out["ALBERT-base"] = (12, a, list(ways(a | bert_pretraining_heads(30000, 768, 128), 30000 * 128)), [])
    v = vit_b16()
    out["ViT-B/16"] = (86, v, list(ways(v, 0)), [])
    return out


SLUGS = {"GPT-2 small": "gpt_2_small", "GPT-2 medium": "gpt_2_medium", "GPT-2 large": "gpt_2_large",
         "GPT-2 XL": "gpt_2_xl", "BERT-base": "bert_base", "BERT-large": "bert_large", "ALBERT-base": "albert_base",
         "ViT-B/16": "vit_b16"}


@pytest.mark.covers("audit_transformers", "gpt_2_small_verdict", "gpt_2_small_closest", "gpt_2_medium_verdict",
                    "gpt_2_medium_closest", "gpt_2_large_verdict", "gpt_2_large_closest", "gpt_2_xl_verdict",
                    "gpt_2_xl_closest", "bert_base_verdict", "bert_base_closest", "bert_large_verdict",
                    "bert_large_closest", "albert_base_verdict", "albert_base_closest", "vit_b16_verdict",
                    "vit_b16_closest")
def test_named_verdicts_and_closest_ways(values):
    found = models()
    for name, slug in SLUGS.items():
        printed, shapes, totals, design = found[name]
        assert values[f"{slug}_verdict"] == derived_verdict(printed, size(shapes), totals, design)
        closest = values[f"{slug}_closest"]
        assert closest  # a way is named for each model
    # The named ways, rebuilt here: GPT-2 with GPT-1's vocabulary as released; BERT-base
    # with its pre-training heads; BERT-large read to two figures; ViT without its head.
    assert "GPT-1's vocabulary" in values["gpt_2_small_closest"] and agrees(117, size(gpt2(40478, 1024, 768, 12)))
    assert values["bert_base_closest"] == "pretraining heads counted"
    assert agrees(110, size(bert(30522, 768, 12) | bert_pretraining_heads(30522, 768)))
    assert values["bert_large_closest"] == "read to two significant figures"
    assert agrees(340, size(bert(30522, 1024, 24)), 1e7) and not agrees(340, size(bert(30522, 1024, 24)))
    assert "classification head left out" in values["vit_b16_closest"] and agrees(86, size(vit_b16(classes=0)))
    assert values["albert_base_closest"] == "as released"


@pytest.mark.covers("audit_transformers", "table", "quotes", "gpt2_small_released",
                    "gpt2_all_by_design", "bert_base_released", "bert_large_released", "vit_released",
                    "albert_released")
def test_totals_and_verdicts_from_this_tests_own_search(values):
    rows = {r["model"]: r for r in values["table"]}
    assert values["quotes"] == len(rows) == 8
    for name, (printed, shapes, totals, design) in models().items():
        row = rows[name]
        assert row["printed"] == f"{printed}M"
        assert row["as released"] == size(shapes), name
        assert row["verdict"] == derived_verdict(printed, size(shapes), totals, design), name
    assert values["gpt2_small_released"] == RELEASED["gpt2"]
    assert values["gpt2_all_by_design"] == all(rows[m]["verdict"] == "differs by design" for m in rows if "GPT" in m)
    assert values["bert_base_released"] == size(bert(30522, 768, 12))
    assert values["bert_large_released"] == size(bert(30522, 1024, 24))
    assert values["vit_released"] == size(vit_b16())
    assert values["albert_released"] == size(albert())


@pytest.mark.covers("audit_transformers", "gpt2_small_gpt1_vocab", "gpt1_vocab", "gpt2_small_nearest",
                    "bert_large_nearest")
def test_the_nearest_counts_and_gpt1s_vocabulary(values):
    assert values["gpt1_vocab"] == 40478  # Hugging Face's OpenAIGPTConfig, vocab_size
    assert values["gpt2_small_gpt1_vocab"] == size(gpt2(40478, 1024, 768, 12))
    assert round(values["gpt2_small_gpt1_vocab"] / 1e6) == 117  # the paper's figure, to the million
    for key, printed in (("gpt2_small_nearest", 117e6), ("bert_large_nearest", 340e6)):
        rows = values[key]
        assert rows and all(r["gives the printed number"] is False for r in rows)
        assert all(abs(r["total"] - printed) > 0.5e6 for r in rows)  # none reaches the printed number


@pytest.mark.covers("audit_transformers", "bert_quote", "gpt2_readme_quote")
def test_quotes_are_the_sources_words(values):
    assert "Total Parameters=110M" in values["bert_quote"] and "Total Parameters=340M" in values["bert_quote"]
    assert values["gpt2_readme_quote"].startswith("Note that our original parameter counts were wrong due to an error")
