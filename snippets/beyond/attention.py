"""Attention is permutation-equivariant; position embeddings break it.

On random tokens and random weights, in independent draws: reorder the tokens, and
the outputs come out reordered the same way (to rounding); add position embeddings (one
learned vector per place, here random) and they do not. The query, key and value
projections act on every token alone, a 1×1 convolution over the tokens, so a
transformer block's weights do not depend on the sequence length.
"""
import numpy as np

from snippets.beyond._common import attention
from snippets.lib import layers, measurement, style, transformers

SEED = 2017  # Vaswani et al., "Attention Is All You Need"
DRAWS = range(10)  # page draws; the held-out block is range(1000, 1010)
TOKENS, WIDTH = 5, 8
LENGTHS = (4, 16, 64, 256, 1024)  # sequence lengths for the parameter count
BLOCK_WIDTH = 768  # a GPT-2 small / BERT-base block


def draw(i):
    rng = np.random.default_rng((SEED, i))
    x = rng.normal(size=(TOKENS, WIDTH))
    weights = [rng.normal(size=(WIDTH, WIDTH)) / np.sqrt(WIDTH) for _ in range(4)]
    positions = rng.normal(size=(TOKENS, WIDTH))
    order = rng.permutation(TOKENS)
    while np.all(order == np.arange(TOKENS)):
        order = rng.permutation(TOKENS)
    return x, weights, positions, order


def errors(draws):
    """Per draw: largest |f(reordered) − reordered f| relative to the largest output,
    without and with position embeddings added to the tokens."""
    plain, placed = [], []
    for i in draws:
        x, w, pos, order = draw(i)
        y = attention(x, *w)
        plain.append(np.abs(attention(x[order], *w) - y[order]).max() / np.abs(y).max())
        yp = attention(x + pos, *w)
        placed.append(np.abs(attention(x[order] + pos, *w) - yp[order]).max() / np.abs(yp).max())
    return np.array(plain), np.array(placed)


def block_weights(width, length):
    """The arrays of one block that reads `length` tokens: none of their shapes has the length in it."""
    ffn = 4 * width
    shapes = [(width, width)] * 4 + [(width,)] * 4 + [(width, ffn), (ffn,), (ffn, width), (width,)] + [(width,)] * 4
    del length  # the same arrays whatever the sequence
    return sum(int(np.prod(s)) for s in shapes)


def compute():
    plain, placed = errors(DRAWS)
    x, w, _, _ = draw(0)
    # The query projection as a 1×1 convolution: tokens along the width of a 1-pixel-high
    # image, features as channels, a kernel of 1×1 (the same matrix at every token).
    image = x.T[None, :, None, :]  # (batch 1, channels = features, height 1, width = tokens)
    kernel = w[0].T[:, :, None, None]  # (out features, in features, 1, 1)
    as_conv = layers.conv2d(image, kernel)[0, :, 0, :].T
    conv_error = float(np.abs(as_conv - x @ w[0]).max())
    per_length = [block_weights(BLOCK_WIDTH, n) for n in LENGTHS]
    one_block = transformers.block(BLOCK_WIDTH, 4 * BLOCK_WIDTH)
    return {
        "tokens": TOKENS,
        "width": WIDTH,
        "draws": len(DRAWS),
        "plain_error": float(plain.max()),
        "position_error": measurement.measure(placed, over="draws"),
        "conv_error": conv_error,
        "block_width": BLOCK_WIDTH,
        "shortest": LENGTHS[0],
        "longest": LENGTHS[-1],
        "block_params": per_length[0],
        "block_params_same": len(set(per_length)) == 1,
        "block_params_formula": sum(one_block.values()),
        "dense_params_longest": (LENGTHS[-1] * BLOCK_WIDTH) ** 2,
        "_per_length": per_length,
        "_errors": (plain, placed),
    }


def figure_attention(v):
    """Left: the error after reordering the tokens, relative to the output, in each draw: at
    float rounding without position embeddings, of order one with them (logarithmic
    scale). Right: the weights of one block against the sequence length, flat, and of a
    dense layer on the whole sequence, growing as the square."""
    theme = style.current()
    fig, (left, right) = style.figure(6.4, 3.0, ncols=2)
    plain, placed = v["_errors"]
    draws = np.arange(1, len(plain) + 1)
    left.semilogy(draws, np.maximum(plain, 1e-18), "o", label="no positions", color=theme.series[0])
    left.semilogy(draws, placed, "s", label="with position embeddings", color=theme.series[1])
    left.set_xlabel("draw")
    left.set_ylabel("error after reordering")
    left.legend(loc="center right", frameon=False, fontsize=8)
    lengths = np.array(LENGTHS)
    right.loglog(lengths, v["_per_length"], "o-", label="one block", color=theme.series[0])
    right.loglog(lengths, (lengths * v["block_width"]) ** 2.0, "s--", label="dense on all tokens",
                 color=theme.series[1])
    right.set_xlabel("tokens in the sequence")
    right.set_ylabel("weights")
    right.legend(loc="upper left", frameon=False, fontsize=8)
    # A few labelled decades: matplotlib's default minor-tick labels on these ranges
    # take seconds to lay out.
    for ax in (left, right):
        ax.minorticks_off()
    left.set_yticks([1e-15, 1e-10, 1e-5, 1])
    right.set_yticks([1e7, 1e9, 1e11])
    right.set_xticks(LENGTHS, [str(n) for n in LENGTHS])
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
