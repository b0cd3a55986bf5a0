"""ViT's patch embedding is a convolution whose kernel and stride are the patch size.

Cuts a small image into patches, flattens each and multiplies by one matrix (the way
Dosovitskiy et al. 2021 describe it), and compares with a convolution whose kernel and
stride are the patch side; then counts ViT-B/16's patch embedding.
"""
import matplotlib.patches
import numpy as np

from snippets.lib import layers, style, transformers

SEED = 16
CHANNELS, SIDE, PATCH, WIDTH = 3, 8, 4, 5  # a 3×8×8 image, 4×4 patches, 5 features per token
VIT_B16 = transformers.Config(width=768, layers=12, patch=16, image=224, final_norm=True, classes=1000)


def cut_flatten_multiply(x, w, b):
    """x: (channels, side, side). Each patch, read channel by channel and row by row, times
    the matrix w (width × channels·patch²), plus b: one token per patch, in reading order."""
    c, side, _ = x.shape
    n = side // PATCH
    patches = x.reshape(c, n, PATCH, n, PATCH).transpose(1, 3, 0, 2, 4).reshape(n * n, -1)
    return patches @ w.T + b


def compute():
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(CHANNELS, SIDE, SIDE))
    w = rng.normal(size=(WIDTH, CHANNELS, PATCH, PATCH))
    b = rng.normal(size=WIDTH)
    conv = layers.conv2d(x[None], w, b, stride=PATCH)[0]  # (width, n, n)
    tokens = cut_flatten_multiply(x, w.reshape(WIDTH, -1), b)
    vit = transformers.parts(VIT_B16)
    return {
        "channels": CHANNELS,
        "side": SIDE,
        "patch": PATCH,
        "width": WIDTH,
        "tokens": tokens.shape[0],
        "forms_error": float(np.abs(conv.reshape(WIDTH, -1).T - tokens).max()),
        "vit_patch": VIT_B16.patch,
        "vit_image": VIT_B16.image,
        "vit_width": VIT_B16.width,
        "vit_tokens": (VIT_B16.image // VIT_B16.patch) ** 2,
        "vit_patch_params": vit["patch embedding"],
    }


def figure_patches(v):
    """A square image of 224×224 pixels cut by a grid into 14×14 patches of 16×16; each
    patch becomes one token, numbered in reading order, and the same weights turn every
    patch into its token. One patch is outlined."""
    theme = style.current()
    fig, ax = style.figure(3.4, 3.4)
    n, p = v["vit_image"] // v["vit_patch"], v["vit_patch"]
    for k in range(n + 1):
        ax.plot([0, n * p], [k * p, k * p], color=theme.fg, linewidth=1.2)
        ax.plot([k * p, k * p], [0, n * p], color=theme.fg, linewidth=1.2)
    for r in range(0, n, 4):
        for c in range(0, n, 4):
            ax.text((c + 0.5) * p, (r + 0.5) * p, str(r * n + c + 1), ha="center", va="center", fontsize=6,
                    color=theme.fg)
    ax.add_patch(matplotlib.patches.Rectangle((5 * p, 6 * p), p, p, fill=False, edgecolor=theme.series[1],
                                              linewidth=2.5))
    ax.set_xlim(0, n * p)
    ax.set_ylim(n * p, 0)
    ax.set_aspect("equal")
    ax.set_xticks([0, n * p])
    ax.set_yticks([0, n * p])
    ax.set_title(f"{n}×{n} patches → {v['vit_tokens']} tokens", fontsize=9, loc="left")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
