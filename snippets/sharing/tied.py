"""The tied matrix: dense, locally connected and convolution as one matrix each.

Writes each layer on a 5×5 single-channel image as the matrix it multiplies the
flattened image by, and labels every entry with the free parameter it holds.
"""
import matplotlib
import numpy as np

from snippets.lib import dense_equivalent, layers, style

SEED = 5
IMAGE, KERNEL = 5, 3  # a 5×5 image, 3×3 windows, no padding: a 3×3 output
OUT = IMAGE - KERNEL + 1
LAYERS = ("dense", "locally connected", "convolution")
# The part of the colour map whose colours stand out against each page background.
CMAP_SPAN = {"light": (0.0, 0.75), "dark": (0.25, 1.0)}


def random_weights(rng):
    """Bias-free weights of the three layers, from a continuous distribution, so that
    no two free weights are equal."""
    return {
        "dense": rng.normal(size=(OUT * OUT, IMAGE * IMAGE)),
        "locally connected": rng.normal(size=(OUT, OUT, 1, 1, KERNEL, KERNEL)),
        "convolution": rng.normal(size=(1, 1, KERNEL, KERNEL)),
    }


def apply(name, w, x):
    """Run layer `name` with weights w on a batch of single-channel images."""
    if name == "dense":
        return layers.dense(x.reshape(len(x), -1), w)
    if name == "locally connected":
        return layers.locally_connected2d(x, w)
    return layers.conv2d(x, w)


def compute():
    weights = random_weights(np.random.default_rng(SEED))
    matrices = {name: dense_equivalent.equivalent_matrix(lambda x, n=name: apply(n, weights[n], x), (1, IMAGE, IMAGE))
                for name in LAYERS}
    rows = []
    for name, m in matrices.items():
        free = dense_equivalent.distinct_weights(m)
        nonzero = int(np.count_nonzero(m))
        rows.append({"layer": name, "free weights": free, "nonzero entries": nonzero,
                     "entries per free weight": nonzero // free})
    return {
        "image_shape": (IMAGE, IMAGE),
        "output_shape": (OUT, OUT),
        "matrix_shape": matrices["dense"].shape,
        "entries": matrices["dense"].size,
        "matrices": rows,
        "local_nonzeros": rows[1]["nonzero entries"],
        "conv_weights": rows[2]["free weights"],
        "conv_reuse": rows[2]["entries per free weight"],
        "_weights": weights,
        "_matrices": matrices,
        "_index": {name: dense_equivalent.parameter_index_matrix(m) for name, m in matrices.items()},
    }


def parameter_colours(index, theme):
    """RGBA image of an index matrix: one colour per free parameter, transparent where the
    entry is a structural zero. Colours are spread along the theme's colour map (linearly
    interpolated, so every parameter gets its own) and shuffled, so that neighbouring
    parameters do not look alike."""
    count = index.max() + 1
    lo, hi = CMAP_SPAN[theme.name]
    cmap = matplotlib.colormaps[theme.cmap]
    lut = cmap(np.linspace(0, 1, cmap.N))
    at = np.linspace(lo, hi, count) * (cmap.N - 1)
    palette = np.stack([np.interp(at, np.arange(cmap.N), lut[:, k]) for k in range(4)], axis=1)
    palette = palette[np.random.default_rng(SEED).permutation(count)]
    image = palette[np.maximum(index, 0)]
    image[index < 0] = 0.0  # transparent: the page shows through
    return image


def figure_matrices(v):
    """Three matrices of nine rows (outputs) by twenty-five columns (input pixels): a
    dense layer, whose entries are all different colours; a locally connected layer,
    where each row keeps only the nine pixels of its window, each a colour of its own;
    and a convolution, where the same nine colours repeat, shifted, in every row."""
    theme = style.current()
    fig, axes = style.figure(6.4, 6.6, nrows=3, sharex=True)
    for ax, row in zip(axes, v["matrices"]):
        name = row["layer"]
        index = v["_index"][name]
        ax.imshow(parameter_colours(index, theme), interpolation="nearest", aspect="equal")
        # Light lines between the image rows (every IMAGE columns) show the 2-D blocks.
        ax.vlines(np.arange(IMAGE, IMAGE * IMAGE, IMAGE) - 0.5, -0.5, index.shape[0] - 0.5,
                  color=theme.muted, linewidth=0.8)
        ax.set_title(f"{name}: {row['free weights']:,} free weights in {row['nonzero entries']:,} nonzero entries",
                     loc="left", fontsize=10, color=theme.fg)
        ax.set_yticks([0, index.shape[0] - 1])
        ax.set_ylabel("output")
        for side in ax.spines.values():
            side.set_visible(True)
            side.set_color(theme.muted)
    axes[-1].set_xticks(np.arange(0, IMAGE * IMAGE, IMAGE))
    axes[-1].set_xlabel("input pixel (row by row)")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
