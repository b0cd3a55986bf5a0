"""Parameters of transformer models from their configuration, part by part.

A model is a `Config` (the numbers a paper's table or a released config file gives);
`parts(config)` counts each part separately, so that a published total can be compared
with every way of adding them up (the output layer tied to the token embedding or not,
position embeddings, the pooler, a classification head, biases, layer norms). One block
is the encoder or decoder block of Vaswani et al. (2017): query, key, value and output
projections (width × width each, with biases), a two-layer MLP (width × ffn and back,
with biases) and two layer norms (a scale and a shift per feature).
"""
from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True)
class Config:
    width: int  # hidden size
    layers: int
    vocab: int = 0  # token embedding rows (0: the input is image patches)
    positions: int = 0  # learned position embedding rows
    ffn: int = 0  # MLP hidden size; 0 means 4 × width
    token_types: int = 0  # BERT's segment embeddings
    embedding: int = 0  # ALBERT's factorised embedding size (0: the width)
    shared: bool = False  # ALBERT: one block's weights at every depth
    pooler: bool = False  # BERT's pooler: a dense layer on the first token
    embedding_norm: bool = False  # BERT and ALBERT normalise the embeddings
    final_norm: bool = False  # GPT-2 and ViT normalise the last block's output
    patch: int = 0  # ViT: patch side
    channels: int = 3  # ViT: image channels
    image: int = 0  # ViT: image side
    classes: int = 0  # a classification head with a bias
    heads: bool = False  # BERT's and ALBERT's pre-training heads (masked word, sentence pair)


def block(width, ffn):
    """{'weights', 'biases', 'norms'} of one transformer block."""
    return {"weights": 4 * width * width + 2 * width * ffn,
            "biases": 4 * width + ffn + width,
            "norms": 2 * 2 * width}


def parts(c):
    """Every part of the model's parameters, counted separately."""
    ffn = c.ffn or 4 * c.width
    e = c.embedding or c.width  # the embedding tables' width
    one = block(c.width, ffn)
    copies = 1 if c.shared else c.layers
    p = {
        "token embedding": c.vocab * e,
        "position embeddings": c.positions * e,
        "segment embeddings": c.token_types * e,
        "embedding norm": 2 * e if c.embedding_norm else 0,
        "embedding projection": e * c.width + c.width if c.embedding else 0,
        "block weights": copies * one["weights"],
        "block biases": copies * one["biases"],
        "block norms": copies * one["norms"],
        "final norm": 2 * c.width if c.final_norm else 0,
        "pooler": c.width * c.width + c.width if c.pooler else 0,
        "classification head": c.width * c.classes + c.classes,
        # an output layer of its own (untied): vocabulary × width, no bias
        "untied output layer": c.vocab * c.width,
    }
    if c.heads:
        # masked-word head: a dense layer back to the embedding width, a layer norm, and a
        # bias per word (its weights are the token embedding, tied); sentence head: 2 classes
        p["pretraining heads"] = (c.width * e + e) + 2 * e + c.vocab + (2 * c.width + 2)
    if c.patch:
        p["patch embedding"] = c.patch * c.patch * c.channels * c.width + c.width
        p["class token"] = c.width
        p["position embeddings"] = ((c.image // c.patch) ** 2 + 1) * c.width
    return p


# What each released model counts: everything but the parts it does not have.
OPTIONAL = ("position embeddings", "pooler", "classification head", "pretraining heads", "block biases",
            "block norms", "embedding norm", "final norm", "untied output layer")


def total(p, leave_out=("untied output layer", "pretraining heads")):
    """Sum of the parts, leaving out the named ones (by default, the output layer is tied
    and the pre-training heads are not part of the model)."""
    return sum(v for k, v in p.items() if k not in leave_out)


def accountings(p):
    """Every way of adding the parts up: each optional part the model has either counted
    or left out (an untied output layer counted means the output layer is not tied), the
    rest always counted. Yields (the parts left out, the total)."""
    present = [k for k in OPTIONAL if p.get(k)]
    for choice in product((True, False), repeat=len(present)):
        left_out = tuple(k for k, keep in zip(present, choice) if not keep)
        yield left_out, total(p, left_out)
