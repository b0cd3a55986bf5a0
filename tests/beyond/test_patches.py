"""The patch embedding: convolution and cut-flatten-multiply against a loop; ViT-B/16's
count from its checkpoint's array shapes and the issue's figure."""
import numpy as np
import pytest

from snippets.beyond import patches as snippet
from tests.oracles.transformer_shapes import vit_b16

ROUNDING = 1e-12


@pytest.mark.covers("beyond_patches", "channels", "side", "patch", "width", "tokens", "forms_error")
def test_both_forms_equal_a_loop_over_patches(values):
    c, side, k, d = values["channels"], values["side"], values["patch"], values["width"]
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(c, side, side)), rng.normal(size=(d, c, k, k)), rng.normal(size=d)
    loop = []
    for r in range(0, side, k):
        for s in range(0, side, k):
            loop.append([np.sum(w[o] * x[:, r:r + k, s:s + k]) + b[o] for o in range(d)])
    loop = np.array(loop)
    np.testing.assert_allclose(snippet.cut_flatten_multiply(x, w.reshape(d, -1), b), loop, atol=ROUNDING)
    assert values["tokens"] == len(loop) == (side // k) ** 2
    assert values["forms_error"] < ROUNDING


@pytest.mark.covers("beyond_patches", "vit_patch", "vit_image", "vit_width", "vit_tokens", "vit_patch_params")
def test_vit_b16_patch_embedding(values):
    shapes = vit_b16()
    assert values["vit_patch_params"] == 590_592  # the figure
    assert values["vit_patch_params"] == np.prod(shapes["patch_embed.proj.weight"]) + np.prod(
        shapes["patch_embed.proj.bias"])
    assert values["vit_tokens"] == shapes["pos_embed"][1] - 1  # one position per patch, plus the class token
    assert (values["vit_patch"], values["vit_image"], values["vit_width"]) == (16, 224, 768)
