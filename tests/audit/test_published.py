"""The audit's recomputations, each checked by an independent construction."""
import numpy as np
import pytest

from snippets.lib import layers
from snippets.lib.dense_equivalent import equivalent_matrix


SECTIONS = ("edge_detection", "alexnet", "vgg_memory", "mnist", "shapes")


def rows_about(values, section, claim_fragment=""):
    return [r for r in values[section] if claim_fragment in r["claim"]]


@pytest.mark.covers("audit_published", "edge_detection")
def test_edge_detection_counts_follow_from_the_dense_matrix(values):
    # Brute force on a small image: the dense matrix of the two-tap kernel has every
    # output × every input entries, two of them nonzero per output.
    h, w = 5, 7
    kernel = np.array([[[[-1.0, 1.0]]]])
    m = equivalent_matrix(lambda x: layers.conv2d(x, kernel), (1, h, w))
    assert m.size == (h * w) * (h * (w - 1)) and np.count_nonzero(m) == 2 * h * (w - 1)
    # At the book's size (figure 9.6: a 320×280 image, the kernel [-1, 1]), counted from a
    # real convolution and by enumerating taps, not from the book's products: the matrix
    # has one row per output and one column per pixel; the convolution multiplies once per
    # tap that lands on a pixel and adds the taps of each output.
    image = np.zeros((1, 1, 280, 320))
    outputs = layers.conv2d(image, kernel).size
    _, cols_ = np.meshgrid(np.arange(280), np.arange(319), indexing="ij")  # output positions
    taps = sum(int(((cols_ + b) < 320).sum()) for b in range(2))  # every (output, tap) pair inside the image
    entries, conv_flops = outputs * image.size, taps + (taps - outputs)
    book = {r["claim"]: r for r in rows_about(values, "edge_detection")}
    assert book["entries of the equivalent matrix"]["computed"] == entries
    assert book["FLOPs of the convolution"]["computed"] == conv_flops
    assert book["FLOPs of the matrix product"]["computed"] == 2 * entries
    # The verdicts, from the book's words read here: exact, "over", rounded to billions, "roughly" (5%).
    holds = {"FLOPs of the convolution": conv_flops == 267_960,
             "entries of the equivalent matrix": entries > 8e9,
             "matrix entries per kernel weight": round(entries // 2 / 1e9) == 4,
             "FLOPs of the matrix product": 2 * entries > 16e9,
             "matrix FLOPs per convolution FLOP": abs(round(2 * entries / conv_flops) / 60_000 - 1) <= 0.05}
    assert {claim: r["verdict"] for claim, r in book.items()} == {
        claim: "matches" if ok else "wrong" for claim, ok in holds.items()}


@pytest.mark.covers("audit_published", "alexnet")
def test_alexnet_rows_match_a_real_convolution(values):
    out = layers.conv2d(np.zeros((1, 3, 227, 227)), np.zeros((96, 3, 11, 11)), stride=4)
    cs231n = {r["claim"]: r for r in rows_about(values, "alexnet")}
    assert cs231n["neurons in AlexNet conv1"]["computed"] == out.size
    assert cs231n["conv1 parameters with sharing"]["computed"] == np.zeros((96, 3, 11, 11)).size + 96
    paper = rows_about(values, "alexnet", "on a 224 input")[0]
    # The conventions, built here: windows that fit in the padded image (the floor), and
    # cuda-convnet's placement, which adds windows until one reaches the last pixel (its
    # layer code: 1 + int(ceil((2*padding + imgSize - filterSize) / float(stride)))).
    floor = {p: len(range(0, 224 + 2 * p - 11 + 1, 4)) for p in range(4)}
    ceil = {p: next(n for n in range(1, 100) if (n - 1) * 4 + 11 >= 224 + 2 * p) for p in range(4)}
    assert paper["computed"] == floor[0] == out.shape[-1] - 1  # the plain count: no padding, the floor
    reproduced = [count for count in list(floor.values()) + list(ceil.values()) if count == 55]
    expected = "matches" if floor[0] == 55 else "differs by accounting" if reproduced else "wrong"
    assert paper["verdict"] == expected
    assert f"{len(reproduced)} of {len(floor) + len(ceil)} conventions give 55" in paper["why"]


@pytest.mark.covers("audit_published", "vgg_memory", "vgg_memory_fraction")
def test_vgg_activations_are_the_sum_of_the_sizes_cs231n_lists(values):
    # cs231n's own per-layer list (INPUT, 13 CONV3, 5 POOL2, 3 FC), written out.
    listed = ([224 * 224 * 3] + [224 * 224 * 64] * 2 + [112 * 112 * 64] + [112 * 112 * 128] * 2 + [56 * 56 * 128]
              + [56 * 56 * 256] * 3 + [28 * 28 * 256] + [28 * 28 * 512] * 3 + [14 * 14 * 512]
              + [14 * 14 * 512] * 3 + [7 * 7 * 512] + [4096, 4096, 1000])
    rows = {r["claim"]: r for r in rows_about(values, "vgg_memory")}
    assert rows["VGG-16 activations per image"]["computed"] == sum(listed)
    # "24M", rounded to millions: no count of the listed layers gives it (no other
    # convention is documented for this sum), so the verdict must be "wrong" exactly when
    # the sum does not round to it
    expected = "matches" if round(sum(listed) / 1e6) == 24 else "wrong"
    assert rows["VGG-16 activations per image"]["verdict"] == expected
    assert rows["VGG-16 forward memory per image"]["computed"] == 4 * sum(listed)
    assert rows["VGG-16 parameters"]["computed"] == 138_357_544  # torchvision's num_params for vgg16
    assert values["vgg_memory_fraction"] == pytest.approx(4 * sum(listed) / 93e6)  # cs231n: "~= 93MB"


@pytest.mark.covers("audit_published", "mnist")
def test_mnist_map_needs_same_padding(values):
    def pooled(padding):
        x = layers.conv2d(np.zeros((1, 1, 28, 28)), np.zeros((32, 1, 3, 3)), padding=padding)
        return layers.max_pool2d(x, 2).size

    mnist = rows_about(values, "mnist")[0]
    quoted = 14 * 14 * 32
    assert mnist["computed"] == pooled(0) == 13 * 13 * 32
    # 'same' padding is another network, not another way of counting this one
    expected = "matches" if pooled(0) == quoted else "differs by design" if pooled(1) == quoted else "wrong"
    assert mnist["verdict"] == expected


@pytest.mark.covers("audit_published", "shapes")
def test_shapes_agree_with_the_floor_formula(values):
    for r in rows_about(values, "shapes", "output side"):
        i, k, s, p, d = (int(part.split("=")[1]) for part in r["claim"].split("for ")[1].split(", "))
        formula = (i + 2 * p - d * (k - 1) - 1) // s + 1
        assert r["computed"] == formula, r
        assert r["verdict"] == ("matches" if str(formula) == r["printed"] else "wrong"), r
    assert len(rows_about(values, "shapes", "8×8 input")) == 4


@pytest.mark.covers("audit_published", "quotes", "matching", "wrong", "by_accounting", "by_design")
def test_the_counts_add_up(values):
    verdicts = [r["verdict"] for section in SECTIONS for r in values[section]]
    assert values["quotes"] == len(verdicts)
    assert values["matching"] == verdicts.count("matches")
    assert values["wrong"] == verdicts.count("wrong")
    assert values["by_accounting"] == verdicts.count("differs by accounting")
    assert values["by_design"] == verdicts.count("differs by design")
    assert values["matching"] + values["wrong"] + values["by_accounting"] + values["by_design"] == values["quotes"]
