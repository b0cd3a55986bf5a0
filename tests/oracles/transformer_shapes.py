"""The weight arrays of released transformer models, written out by name and shape the way
their checkpoints list them (Hugging Face's GPT2Model, BertModel, AlbertModel and timm's
vit_base_patch16_224), with no formula shared with snippets/lib/transformers.py. A count
is the sum of the arrays' sizes."""
import numpy as np


def size(shapes):
    return sum(int(np.prod(s)) for s in shapes.values())


def gpt2(vocab, positions, width, layers):
    s = {"wte": (vocab, width), "wpe": (positions, width)}
    for i in range(layers):
        s |= {f"h.{i}.ln_1.weight": (width,), f"h.{i}.ln_1.bias": (width,),
              f"h.{i}.attn.c_attn.weight": (width, 3 * width), f"h.{i}.attn.c_attn.bias": (3 * width,),
              f"h.{i}.attn.c_proj.weight": (width, width), f"h.{i}.attn.c_proj.bias": (width,),
              f"h.{i}.ln_2.weight": (width,), f"h.{i}.ln_2.bias": (width,),
              f"h.{i}.mlp.c_fc.weight": (width, 4 * width), f"h.{i}.mlp.c_fc.bias": (4 * width,),
              f"h.{i}.mlp.c_proj.weight": (4 * width, width), f"h.{i}.mlp.c_proj.bias": (width,)}
    return s | {"ln_f.weight": (width,), "ln_f.bias": (width,)}


def bert_layer(prefix, h, ffn):
    s = {}
    for name in ("query", "key", "value"):
        s |= {f"{prefix}.attention.self.{name}.weight": (h, h), f"{prefix}.attention.self.{name}.bias": (h,)}
    return s | {f"{prefix}.attention.output.dense.weight": (h, h), f"{prefix}.attention.output.dense.bias": (h,),
                f"{prefix}.attention.output.LayerNorm.weight": (h,), f"{prefix}.attention.output.LayerNorm.bias": (h,),
                f"{prefix}.intermediate.dense.weight": (ffn, h), f"{prefix}.intermediate.dense.bias": (ffn,),
                f"{prefix}.output.dense.weight": (h, ffn), f"{prefix}.output.dense.bias": (h,),
                f"{prefix}.output.LayerNorm.weight": (h,), f"{prefix}.output.LayerNorm.bias": (h,)}


def bert(vocab, width, layers, positions=512, types=2):
    s = {"embeddings.word_embeddings.weight": (vocab, width),
         "embeddings.position_embeddings.weight": (positions, width),
         "embeddings.token_type_embeddings.weight": (types, width),
         "embeddings.LayerNorm.weight": (width,), "embeddings.LayerNorm.bias": (width,)}
    for i in range(layers):
        s |= bert_layer(f"encoder.layer.{i}", width, 4 * width)
    return s | {"pooler.dense.weight": (width, width), "pooler.dense.bias": (width,)}


def albert(vocab=30000, embedding=128, width=768, positions=512, types=2):
    s = {"embeddings.word_embeddings.weight": (vocab, embedding),
         "embeddings.position_embeddings.weight": (positions, embedding),
         "embeddings.token_type_embeddings.weight": (types, embedding),
         "embeddings.LayerNorm.weight": (embedding,), "embeddings.LayerNorm.bias": (embedding,),
         "encoder.embedding_hidden_mapping_in.weight": (width, embedding),
         "encoder.embedding_hidden_mapping_in.bias": (width,)}
    s |= bert_layer("encoder.albert_layer", width, 4 * width)  # one layer, used at every depth
    return s | {"pooler.weight": (width, width), "pooler.bias": (width,)}


def vit_b16(classes=1000):
    width, layers, patches = 768, 12, (224 // 16) ** 2
    s = {"cls_token": (1, 1, width), "pos_embed": (1, patches + 1, width),
         "patch_embed.proj.weight": (width, 3, 16, 16), "patch_embed.proj.bias": (width,)}
    for i in range(layers):
        s |= {f"blocks.{i}.norm1.weight": (width,), f"blocks.{i}.norm1.bias": (width,),
              f"blocks.{i}.attn.qkv.weight": (3 * width, width), f"blocks.{i}.attn.qkv.bias": (3 * width,),
              f"blocks.{i}.attn.proj.weight": (width, width), f"blocks.{i}.attn.proj.bias": (width,),
              f"blocks.{i}.norm2.weight": (width,), f"blocks.{i}.norm2.bias": (width,),
              f"blocks.{i}.mlp.fc1.weight": (4 * width, width), f"blocks.{i}.mlp.fc1.bias": (4 * width,),
              f"blocks.{i}.mlp.fc2.weight": (width, 4 * width), f"blocks.{i}.mlp.fc2.bias": (width,)}
    s |= {"norm.weight": (width,), "norm.bias": (width,)}
    if classes:
        s |= {"head.weight": (classes, width), "head.bias": (classes,)}
    return s


# Totals of the released models as their libraries report them, for the oracles above.
RELEASED = {"gpt2": 124_439_808}  # the task's figure for GPT-2 small (Hugging Face "gpt2")


def bert_pretraining_heads(vocab, width, embedding=None):
    """BERT's (and ALBERT's) masked-word and sentence heads as their checkpoints hold them;
    the masked-word decoder's weights are the word embeddings (tied), its bias is its own."""
    e = embedding or width
    return {"cls.predictions.transform.dense.weight": (e, width), "cls.predictions.transform.dense.bias": (e,),
            "cls.predictions.transform.LayerNorm.weight": (e,), "cls.predictions.transform.LayerNorm.bias": (e,),
            "cls.predictions.bias": (vocab,),
            "cls.seq_relationship.weight": (2, width), "cls.seq_relationship.bias": (2,)}
