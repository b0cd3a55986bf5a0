"""The published totals of GPT-2, BERT, ALBERT and ViT, audited.

Counts each model from its configuration, part by part (snippets/lib/transformers.py),
and searches every way of adding the parts up (output layer tied or not, position
embeddings, pooler, pre-training or classification heads, biases, layer norms counted or
not) and two readings of a printed "340M" (to the million, and, where the number ends in
a zero, to two significant figures). GPT-2's counts are also tried with GPT-1's
vocabulary, an alternative design. The verdict comes from the search, in the order of
snippets.lib.quotes.verdict: matches as released, else differs by accounting (another
accounting or reading of the same model reproduces it), else differs by design, else wrong.
"""
from snippets.lib import transformers
from snippets.lib.quotes import Quote, agrees

GPT2_PAPER = "Radford et al. (2019), Language Models are Unsupervised Multitask Learners, table 2"
GPT2_README = "openai/gpt-2, README.md"
BERT_PAPER = "Devlin et al. (2019), BERT: Pre-training of Deep Bidirectional Transformers, section 3"
ALBERT_PAPER = "Lan et al. (2020), ALBERT: A Lite BERT, table 1"
VIT_PAPER = "Dosovitskiy et al. (2021), An Image is Worth 16x16 Words, table 1"

GPT1_VOCAB = 40478  # GPT-1's byte-pair vocabulary (Radford et al. 2018), GPT-2's is 50,257
QUOTED = {
    "bert": "BERTBASE (L=12, H=768, A=12, Total Parameters=110M) and BERTLARGE (L=24, H=1024, A=16, "
            "Total Parameters=340M).",
    "gpt2_readme": "Note that our original parameter counts were wrong due to an error (in our previous blog "
                   "posts and paper). Thus you may have seen small referred to as 117M and medium referred to "
                   "as 345M.",
}


def gpt2(width, layers, vocab=50257):
    return transformers.Config(width=width, layers=layers, vocab=vocab, positions=1024, final_norm=True)


def bert(width, layers):
    return transformers.Config(width=width, layers=layers, vocab=30522, positions=512, token_types=2,
                               pooler=True, embedding_norm=True, heads=True)


# (model, quote, configuration as released, the parts its released checkpoint leaves out,
#  an alternative design or None)
MODELS = [
    ("GPT-2 small", Quote(GPT2_PAPER, "parameters", "117M", 117e6, "rounded", 1e6), gpt2(768, 12), None,
     gpt2(768, 12, GPT1_VOCAB)),
    ("GPT-2 medium", Quote(GPT2_PAPER, "parameters", "345M", 345e6, "rounded", 1e6), gpt2(1024, 24), None,
     gpt2(1024, 24, GPT1_VOCAB)),
    ("GPT-2 large", Quote(GPT2_PAPER, "parameters", "762M", 762e6, "rounded", 1e6), gpt2(1280, 36), None,
     gpt2(1280, 36, GPT1_VOCAB)),
    ("GPT-2 XL", Quote(GPT2_PAPER, "parameters", "1542M", 1542e6, "rounded", 1e6), gpt2(1600, 48), None,
     gpt2(1600, 48, GPT1_VOCAB)),
    ("BERT-base", Quote(BERT_PAPER, "Total Parameters", "110M", 110e6, "rounded", 1e6), bert(768, 12), None, None),
    ("BERT-large", Quote(BERT_PAPER, "Total Parameters", "340M", 340e6, "rounded", 1e6), bert(1024, 24), None, None),
    ("ALBERT-base", Quote(ALBERT_PAPER, "Parameters", "12M", 12e6, "rounded", 1e6),
     transformers.Config(width=768, layers=12, vocab=30000, positions=512, token_types=2, embedding=128, shared=True,
                         pooler=True, embedding_norm=True, heads=True), None, None),
    ("ViT-B/16", Quote(VIT_PAPER, "Params", "86M", 86e6, "rounded", 1e6),
     transformers.Config(width=768, layers=12, patch=16, image=224, final_norm=True, classes=1000), None, None),
]
STANDARD = ("untied output layer", "pretraining heads")  # as the checkpoint holds it: tied, no training heads


def readings(quote):
    """The ways to read the printed number: to its last digit, and, when that digit is a 0,
    to two significant figures ("340M" as 335M–345M)."""
    yield "to the million", quote
    if quote.printed.rstrip("M").endswith("0"):
        yield "to two significant figures", Quote(quote.source, quote.claim, quote.printed, quote.value,
                                                  "rounded", quote.resolution * 10)


def changes(left_out, present, reading):
    """How one way of counting differs from the model as released, in words."""
    standard = set(STANDARD) & present  # what the release leaves out, among the parts the model has
    words = [f"{part} counted" if part != "untied output layer" else "output layer untied"
             for part in sorted(standard - set(left_out))]
    words += [f"{part} left out" for part in sorted(set(left_out) - standard)]
    if reading != "to the million":
        words.append(f"read {reading}")
    return words


def search(quote, config):
    """One row per (accounting, reading) tried: how it differs from the release, the total,
    and whether it gives the printed number."""
    p = transformers.parts(config)
    present = {k for k in transformers.OPTIONAL if p.get(k)}
    rows = []
    for left_out, count in transformers.accountings(p):
        for reading, q in readings(quote):
            rows.append({"changes from the release": "; ".join(changes(left_out, present, reading)) or "none",
                         "total": count, "gives the printed number": agrees(q, count),
                         "_size": (len(changes(left_out, present, reading)), reading != "to the million")})
    return rows


def closest(rows):
    """The rows that reproduce the printed number with the fewest changes from the release
    (a change of reading counts as a change, and ranks after one of accounting)."""
    hits = [r for r in rows if r["gives the printed number"]]
    if not hits:
        return []
    best = min(r["_size"] for r in hits)
    return [r for r in hits if r["_size"] == best]


def describe(rows, prefix=""):
    ways = [r["changes from the release"] if r["changes from the release"] != "none" else
            ("otherwise as released" if prefix else "as released") for r in rows]
    return " or ".join(f"{prefix}{w}" for w in ways) if ways else "none"


def audit(name, quote, config, _, design):
    released = transformers.total(transformers.parts(config), STANDARD)
    rows = search(quote, config)
    best = closest(rows)
    alternative = search(quote, design) if design else []
    their_design = closest(alternative)
    # The verdict, from the search: the release as printed; else some accounting or
    # reading of the same model; else the alternative design; else wrong.
    if agrees(quote, released):
        found = "matches"
    elif best:
        found = "differs by accounting"
    elif their_design:
        found = "differs by design"
    else:
        found = "wrong"
    return {
        "model": name,
        "printed": quote.printed,
        "as released": released,
        "ways tried": len(rows) + len(alternative),
        "ways that give it": sum(r["gives the printed number"] for r in rows + alternative),
        "closest way": describe(best) if best else describe(
            their_design, f"GPT-1's vocabulary of {GPT1_VOCAB:,} words; ") if their_design else "none",
        "verdict": found,
    }, rows


def nearest(rows, printed, count=5):
    """The ways of counting, read to the million, whose totals come closest to the printed number."""
    rows = [r for r in rows if not r["_size"][1]]
    return [{k: v for k, v in r.items() if not k.startswith("_")}
            for r in sorted(rows, key=lambda r: abs(r["total"] - printed))[:count]]


def compute():
    table, searches = [], {}
    for model in MODELS:
        row, rows = audit(*model)
        table.append(row)
        searches[model[0]] = rows
    by_name = {r["model"]: r for r in table}
    named = {}
    for r in table:
        slug = r["model"].lower().replace("-", "_").replace("/", "").replace(" ", "_")
        named[f"{slug}_verdict"] = r["verdict"]
        named[f"{slug}_closest"] = r["closest way"]
    return {
        **named,
        "table": table,
        "quotes": len(table),
        "bert_quote": QUOTED["bert"],
        "gpt2_readme_quote": QUOTED["gpt2_readme"],
        "gpt2_small_released": by_name["GPT-2 small"]["as released"],
        "gpt2_small_gpt1_vocab": transformers.total(transformers.parts(gpt2(768, 12, GPT1_VOCAB)), STANDARD),
        "gpt1_vocab": GPT1_VOCAB,
        "gpt2_all_by_design": all(by_name[m]["verdict"] == "differs by design"
                                  for m in ("GPT-2 small", "GPT-2 medium", "GPT-2 large", "GPT-2 XL")),
        "bert_base_released": by_name["BERT-base"]["as released"],
        "bert_large_released": by_name["BERT-large"]["as released"],
        "bert_large_nearest": nearest(searches["BERT-large"], 340e6),
        "gpt2_small_nearest": nearest(searches["GPT-2 small"], 117e6),
        "vit_released": by_name["ViT-B/16"]["as released"],
        "albert_released": by_name["ALBERT-base"]["as released"],
        "_searches": searches,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
