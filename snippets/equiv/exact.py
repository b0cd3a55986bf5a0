"""Convolution commutes with shifts: exactly with circular padding, not at a zero-padded border.

Measures conv(shift(x)) − shift(conv(x)) for random images and filters: with circular
padding (computed directly and through the FFT), and with zero padding, where the
error map shows the band along the edges that the kernel size predicts.
"""
import matplotlib
import numpy as np

from snippets.lib import layers, style

SEED = 1989  # LeCun et al., 1989: the first convolutional network trained by backprop
IMAGES, CHANNELS, FILTERS, SIZE, KERNEL = 4, 3, 8, 24, 5
SHIFTS = 6  # random circular shifts tried per measurement
MAP_SHIFT = (5, 9)  # the (down, right) shift drawn in the error map
EXERCISE_KERNEL = 7
PADDING_NAMES = {"circular": "circular", "zeros": "zero"}  # layers.conv2d's modes, as prose


def border(kernel):
    """How far a centred kernel reaches past its output pixel: (k − 1) / 2 for odd k."""
    return (kernel - 1) // 2


def conv(x, w, mode):
    """A 'same'-size convolution, padded by the kernel's reach, with zeros or circularly."""
    return layers.conv2d(x, w, padding=border(w.shape[-1]), padding_mode=mode)


def conv_fft(x, w):
    """The circular 'same' convolution through the FFT: a cross-correlation is a product
    with the conjugate spectrum of the kernel, placed so that its centre sits at (0, 0)."""
    size, k = x.shape[-1], w.shape[-1]
    kernel = np.zeros(w.shape[:2] + (size, size))
    kernel[:, :, :k, :k] = w
    kernel = np.roll(kernel, (-border(k), -border(k)), axis=(2, 3))
    spectrum = np.fft.fft2(x)[:, None] * np.conj(np.fft.fft2(kernel))[None]  # (N, C_out, C_in, H, W)
    return np.fft.ifft2(spectrum.sum(axis=2)).real


def shift_error(layer, x, shift):
    """|layer(shift(x)) − shift(layer(x))| at every output entry."""
    return np.abs(layer(np.roll(x, shift, axis=(2, 3))) - np.roll(layer(x), shift, axis=(2, 3)))


def band_mask(size, reach, shift):
    """Output pixels within `reach` of the image's edge in the image's own frame or in the
    shifted frame, where one of the two computations reads padding and the other reads
    pixels (for a shift that is nonzero along both axes)."""
    index = np.arange(size)

    def near_edge(i):
        return np.minimum(i, size - 1 - i) < reach

    rows, cols = (near_edge(index) | near_edge((index - s) % size) for s in shift)
    return rows[:, None] | cols[None, :]


def compute():
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(IMAGES, CHANNELS, SIZE, SIZE))
    w = rng.normal(size=(FILTERS, CHANNELS, KERNEL, KERNEL))
    shifts = [tuple(s) for s in rng.integers(1, SIZE, (SHIFTS, 2))]
    convolutions = {
        "circular": lambda v: conv(v, w, "circular"),
        "fft": lambda v: conv_fft(v, w),
        "zeros": lambda v: conv(v, w, "zeros"),
    }
    scale = np.abs(convolutions["circular"](x)).max()  # errors relative to the largest output
    worst = {name: max(shift_error(layer, x, s).max() for s in shifts) / scale
             for name, layer in convolutions.items()}
    # The largest error over images and channels, at each output pixel, for one shift.
    maps = {name: shift_error(convolutions[name], x, MAP_SHIFT).max(axis=(0, 1)) / scale
            for name in ("circular", "zeros")}
    band = band_mask(SIZE, border(KERNEL), MAP_SHIFT)
    return {
        "images": IMAGES, "size": SIZE, "kernel": KERNEL, "shifts": SHIFTS,
        "map_shift_rows": MAP_SHIFT[0], "map_shift_columns": MAP_SHIFT[1],
        "circular_error": worst["circular"],
        "fft_error": worst["fft"],
        "zero_padding_error": worst["zeros"],
        "border": border(KERNEL),
        "band_pixels": int(band.sum()),
        "pixels": SIZE * SIZE,
        "error_outside_band": float(maps["zeros"][~band].max()),
        "smallest_error_inside_band": float(maps["zeros"][band].min()),
        "exercise_kernel": EXERCISE_KERNEL,
        "exercise_border": border(EXERCISE_KERNEL),
        "_maps": maps,
    }


def figure_error_map(v):
    """Two maps of the same image, one square per output pixel, coloured where shifting
    before and after the convolution disagree: with circular padding no square is
    coloured; with zero padding the disagreement fills bands along the image's edges and
    along the lines where the shift wraps the image around, as wide as the kernel's
    reach."""
    theme = style.current()
    fig, axes = style.figure(6.4, 3.0, ncols=2)
    cmap = matplotlib.colormaps[theme.cmap].with_extremes(bad=(0, 0, 0, 0))  # zero: page background
    maps = v["_maps"]
    for ax, (name, error) in zip(axes, maps.items()):
        image = ax.imshow(np.ma.masked_equal(error, 0.0), cmap=cmap, vmin=0, vmax=maps["zeros"].max())
        ax.set_title(f"{PADDING_NAMES[name]} padding", fontsize=10)
        ax.set_xlabel("column")
        ax.set_xticks([0, v["size"] - 1])
        ax.set_yticks([0, v["size"] - 1])
        for spine in ax.spines.values():
            spine.set_visible(True)
    axes[0].text(v["size"] / 2, v["size"] / 2, "no output\ndiffers", ha="center", va="center", color=theme.muted)
    axes[0].set_ylabel("row")
    fig.colorbar(image, ax=axes, shrink=0.8, label="|error| / largest output")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
