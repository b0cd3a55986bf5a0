"""An audit of the numbers this site quotes from its sources.

Recomputes each quoted figure and lets code decide: it matches, it is wrong, or it
differs only in what it counts.
"""
import numpy as np

from snippets.lib import accounting, architectures, published_conventions, formulas, layers
from snippets.lib.quotes import Quote, verdict

DL_BOOK = "Goodfellow, Bengio & Courville (2016), Deep Learning, figure 9.6"
CS231N = "cs231n notes, Convolutional Networks"
GUIDE = "Dumoulin & Visin (2016), A guide to convolution arithmetic"
D2L = "Dive into Deep Learning, section 7.3 (padding and stride)"

EDGE_IMAGE = (280, 320)  # height, width of the book's example image
EDGE_KERNEL = 2  # [-1, 1]: each pixel minus its left neighbour


def row(quote, computed, why, their_way=None, their_design=None):
    return {
        "source": quote.source,  # dropped from the tables shown: each source has its own
        "claim": quote.claim,
        "printed": quote.printed,
        "computed": computed,
        "verdict": verdict(quote, computed, their_way, their_design),
        "why": why,
    }


def edge_detection_rows():
    """The book compares a two-tap convolution with the dense matrix that does the same."""
    height, width = EDGE_IMAGE
    out_width = formulas.conv_output_size(width, EDGE_KERNEL)
    conv_flops = out_width * height * 3  # the book's count: two multiplications, one addition
    entries = (height * width) * (height * out_width)  # dense matrix: every output × every input
    dense_flops = 2 * entries  # one multiplication and one addition per entry
    return [
        row(Quote(DL_BOOK, "FLOPs of the convolution", "267,960", 267_960), conv_flops,
            f"{out_width}×{height} outputs, 3 operations each"),
        row(Quote(DL_BOOK, "entries of the equivalent matrix", "over eight billion", 8e9, "over"), entries,
            f"({height}·{width}) inputs × ({height}·{out_width}) outputs"),
        row(Quote(DL_BOOK, "matrix entries per kernel weight", "four billion", 4e9, "rounded", 1e9),
            entries // EDGE_KERNEL, f"the matrix's entries over the kernel's {EDGE_KERNEL} weights"),
        row(Quote(DL_BOOK, "FLOPs of the matrix product", "over sixteen billion", 16e9, "over"), dense_flops,
            "a multiplication and an addition per entry"),
        row(Quote(DL_BOOK, "matrix FLOPs per convolution FLOP", "roughly 60,000", 60_000, "roughly"),
            round(dense_flops / conv_flops), "the two FLOP counts above, divided"),
    ]


def alexnet_rows():
    """cs231n's conv1 arithmetic, and the input size printed in the AlexNet paper."""
    side = formulas.conv_output_size(227, 11, stride=4)
    neurons, per_neuron = side * side * 96, 11 * 11 * 3
    # the paper's 224: every documented rounding and padding; the plain count is the floor
    # without padding, "their way" the first convention that gives the paper's size
    search = published_conventions.output_sizes(224, 11, 4, target=side)
    paper = published_conventions.reproducing(search)
    return [
        row(Quote(CS231N, "neurons in AlexNet conv1", "290,400", 290_400), neurons, f"{side}×{side}×96"),
        row(Quote(CS231N, "conv1 parameters without sharing", "105,705,600", 105_705_600),
            neurons * (per_neuron + 1), "every neuron its own weights and bias"),
        row(Quote(CS231N, "conv1 unique weights with sharing", "34,848", 34_848), 96 * per_neuron, "96 filters"),
        row(Quote(CS231N, "conv1 parameters with sharing", "34,944", 34_944), 96 * (per_neuron + 1), "and 96 biases"),
        row(Quote("Krizhevsky et al. (2012), section 3.5", "conv1 positions per side on a 224 input", "55", 55),
            search[0]["output side"],
            f"the floor without padding gives {search[0]['output side']}; {len(paper)} of {len(search)} conventions "
            f"give 55, among them cuda-convnet's ceiling without padding and the floor with "
            f"{min(r['padding (each side)'] for r in paper if r['rounding'].startswith('floor'))} pixels of padding",
            their_way=paper[0]["output side"] if paper else None),
    ]


def vgg_memory_rows():
    """cs231n lists VGG-16's activations layer by layer, then states a total."""
    rows = accounting.walk(architectures.vgg16(), architectures.INPUT["vgg16"])
    listed = [r for r in rows if r.kind in ("Conv", "MaxPool", "Dense")]  # the layers cs231n lists
    activations = int(np.prod(architectures.INPUT["vgg16"])) + sum(int(np.prod(r.out_shape)) for r in listed)
    params = accounting.totals(rows).params
    fc6 = next(r for r in rows if r.kind == "Dense")
    return [
        row(Quote(CS231N, "VGG-16 activations per image", "24M", 24e6, "rounded", 1e6), activations,
            f"input plus the {len(listed)} layer outputs cs231n lists, added up"),
        row(Quote(CS231N, "VGG-16 forward memory per image", "~= 93MB", 93e6, "roughly"), 4 * activations,
            "4 bytes per activation (the slides print 96MB: 24M × 4)"),
        row(Quote(CS231N, "VGG-16 parameters", "138M", 138e6, "rounded", 1e6), params, "weights and biases"),
        row(Quote(CS231N, "weights of the first dense layer", "100M", 100e6, "roughly"), fc6.params - fc6.out_shape[0],
            "7·7·512 inputs × 4096 outputs, biases aside"),
    ]


def mnist_rows():
    """The MNIST example assumes a 14×14×32 map after 3×3 convolutions and 2×2 pooling."""
    def pooled_size(padding):
        _, side, _ = formulas.conv2d_output_shape((1, 28, 28), 32, 3, padding=padding)
        return formulas.conv_output_size(side, 2, stride=2) ** 2 * 32

    return [row(Quote("the MNIST example this site started from", "values before the dense layer", "14×14×32",
                      14 * 14 * 32), pooled_size(0),
                "unpadded ('valid', Keras's default) convolution gives 13×13×32; a network built with "
                "'same' padding gives the quoted map: another architecture, not another count",
                their_design=pooled_size(1))]


# (where, i, k, s, p, d, printed output size): each convolution of the guide's figures
GUIDE_FIGURES = [
    ("figure 2.1", 4, 3, 1, 0, 1, 2), ("figure 2.2", 5, 4, 1, 2, 1, 6), ("figure 2.3", 5, 3, 1, 1, 1, 5),
    ("figure 2.4", 5, 3, 1, 2, 1, 7), ("figure 2.5", 5, 3, 2, 0, 1, 2), ("figure 2.6", 5, 3, 2, 1, 1, 3),
    ("figure 2.7", 6, 3, 2, 1, 1, 3), ("figure 5.1", 7, 3, 1, 0, 2, 3),
]
# (what, input, kernel (h, w), padding (h, w), stride (h, w), printed output shape)
D2L_EXAMPLES = [
    ("3×3 kernel, padding 1", 8, (3, 3), (1, 1), (1, 1), (8, 8)),
    ("5×3 kernel, padding (2, 1)", 8, (5, 3), (2, 1), (1, 1), (8, 8)),
    ("3×3 kernel, padding 1, stride 2", 8, (3, 3), (1, 1), (2, 2), (4, 4)),
    ("3×5 kernel, padding (0, 1), stride (3, 4)", 8, (3, 5), (0, 1), (3, 4), (2, 2)),
]


def shape_rows():
    """Output sizes from the convolution-arithmetic guide and d2l, by running the layer."""
    out = []
    for where, i, k, s, p, d, printed in GUIDE_FIGURES:
        computed = layers.conv2d(np.zeros((1, 1, i, i)), np.zeros((1, 1, k, k)), stride=s, padding=p, dilation=d)
        out.append(row(Quote(f"{GUIDE}, {where}", f"output side for i={i}, k={k}, s={s}, p={p}, d={d}",
                             str(printed), printed), computed.shape[-1], "a real convolution run on zeros"))
    for what, n, k, p, s, printed in D2L_EXAMPLES:
        computed = layers.conv2d(np.zeros((1, 1, n, n)), np.zeros((1, 1, *k)), stride=s, padding=p)
        shape = tuple(int(v) for v in computed.shape[2:])
        out.append(row(Quote(D2L, f"{n}×{n} input, {what}", "×".join(map(str, printed)), printed), shape,
                       "a real convolution run on zeros"))
    return out


SECTIONS = {
    "edge_detection": edge_detection_rows,
    "alexnet": alexnet_rows,
    "vgg_memory": vgg_memory_rows,
    "mnist": mnist_rows,
    "shapes": shape_rows,
}


def shown(rows):
    """A section's table: the source is its heading, not a column."""
    return [{k: v for k, v in r.items() if k != "source"} for r in rows]


def compute():
    sections = {name: make() for name, make in SECTIONS.items()}
    rows = [r for section in sections.values() for r in section]
    count = {v: sum(r["verdict"] == v for r in rows)
             for v in ("matches", "wrong", "differs by accounting", "differs by design")}
    memory = next(r for r in sections["vgg_memory"] if r["claim"] == "VGG-16 forward memory per image")
    return {
        **{name: shown(section) for name, section in sections.items()},
        "quotes": len(rows),
        "matching": count["matches"],
        "wrong": count["wrong"],
        "by_accounting": count["differs by accounting"],
        "by_design": count["differs by design"],
        "vgg_memory_fraction": memory["computed"] / 93e6,  # of the memory cs231n states
        "_rows": rows,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
