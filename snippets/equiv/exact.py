"""Convolution commutes with shifts: exactly with circular padding, not at a zero-padded border.

Measures conv(shift(x)) − shift(conv(x)) for white-noise images and random filters, over
independent draws of both and of the shifts: with circular padding (computed directly and
through the FFT), and with zero padding, where the error fills exactly the band along the
edges that the kernel size predicts, in every draw.
"""
import matplotlib
import numpy as np

from snippets.lib import layers, measurement, style

SEED = 1989  # LeCun et al., 1989: the first convolutional network trained by backprop
PAGE_DRAWS = range(10)  # independent draws of images, filters and shifts: the page's
HELD_OUT_DRAWS = range(1000, 1010)  # a block the page never shows; the tests check every claim on it too
IMAGES, CHANNELS, FILTERS, SIZE, KERNEL = 4, 3, 8, 24, 5
SHIFTS = 6  # random circular shifts tried per draw
EPSILON = float(np.finfo(float).eps)  # float64's rounding unit, 2.2e-16
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


def draw(i):
    """Draw i: white-noise images (independent standard normal pixels), standard normal
    filters and random circular shifts, each draw from its own stream."""
    rng = np.random.default_rng((SEED, i))
    x = rng.normal(size=(IMAGES, CHANNELS, SIZE, SIZE))
    w = rng.normal(size=(FILTERS, CHANNELS, KERNEL, KERNEL))
    return x, w, [tuple(int(t) for t in s) for s in rng.integers(1, SIZE, (SHIFTS, 2))]


def measure_draw(x, w, shifts):
    """One draw's errors, relative to its largest output: the largest over its shifts for
    each convolution, and, for zero padding, where the errors fall against the band."""
    convolutions = {
        "circular": lambda v: conv(v, w, "circular"),
        "fft": lambda v: conv_fft(v, w),
        "zeros": lambda v: conv(v, w, "zeros"),
    }
    scale = np.abs(convolutions["circular"](x)).max()
    # The largest error over images and channels, at each output pixel, for each shift.
    maps = {name: [shift_error(layer, x, s).max(axis=(0, 1)) / scale for s in shifts]
            for name, layer in convolutions.items()}
    bands = [band_mask(SIZE, border(KERNEL), s) for s in shifts]
    zero_maps = maps["zeros"]
    return {
        **{name: max(m.max() for m in maps[name]) for name in convolutions},
        "outside_band": max(m[~band].max() for m, band in zip(zero_maps, bands)),
        "inside_band": min(m[band].min() for m, band in zip(zero_maps, bands)),
        "differing_share": float(np.mean([(m > 0).mean() for m in zero_maps])),
        "map": {name: shift_error(convolutions[name], x, MAP_SHIFT).max(axis=(0, 1)) / scale
                for name in ("circular", "zeros")},
    }


def compute():
    return measure(PAGE_DRAWS)


def measure(draws):
    """Every value of the page, over `draws` of images, filters and shifts."""
    per_draw = [measure_draw(*draw(i)) for i in draws]

    def over_draws(key):
        return measurement.measure([d[key] for d in per_draw], over="draws")

    band = band_mask(SIZE, border(KERNEL), MAP_SHIFT)
    return {
        "images": IMAGES, "channels": CHANNELS, "filters": FILTERS, "size": SIZE, "kernel": KERNEL,
        "shifts": SHIFTS, "draws": len(draws),
        "map_shift_rows": MAP_SHIFT[0], "map_shift_columns": MAP_SHIFT[1],
        # Bounds over every draw: the page says these hold in all of them.
        "circular_error": max(d["circular"] for d in per_draw),
        "error_outside_band": max(d["outside_band"] for d in per_draw),
        # Magnitudes that depend on the draw: their distribution.
        "epsilon": EPSILON,
        "fft_error_in_epsilons": measurement.measure([d["fft"] / EPSILON for d in per_draw], over="draws"),
        "zero_padding_error": over_draws("zeros"),
        "smallest_error_inside_band": over_draws("inside_band"),
        "share_of_pixels_that_differ": over_draws("differing_share"),
        "border": border(KERNEL),
        "band_pixels": int(band.sum()),
        "pixels": SIZE * SIZE,
        "per_draw": [{"draw": i, "circular error": float(d["circular"]), "FFT error": float(d["fft"]),
                      "zero padding error": float(d["zeros"]), "error outside the band": float(d["outside_band"]),
                      "smallest error inside the band": float(d["inside_band"]),
                      "share of pixels that differ": d["differing_share"]} for i, d in zip(draws, per_draw)],
        "exercise_kernel": EXERCISE_KERNEL,
        "exercise_border": border(EXERCISE_KERNEL),
        # The figure: at each pixel, the largest error over the draws' images and filters.
        "_maps": {name: np.max([d["map"][name] for d in per_draw], axis=0) for name in ("circular", "zeros")},
    }


def figure_error_map(v):
    """Two maps of the image grid, one square per output pixel, coloured where shifting
    before and after the convolution disagree in any draw of images and filters: with
    circular padding no square is coloured; with zero padding the disagreement fills bands
    along the image's edges and along the lines where the shift wraps the image around,
    as wide as the kernel's reach."""
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
