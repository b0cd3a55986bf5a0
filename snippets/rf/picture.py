"""Theoretical and effective receptive field of one VGG-16 unit, drawn on a photograph.

The central unit of conv5_3 on a 224×224 image: its theoretical field from the
recurrence, and its effective field, the gradient of the unit with respect to the
input when every weight is one and every pooling averages (the uniform case of Luo et
al., 2016), pushed back through the reference layers.
"""
import numpy as np
from matplotlib.patches import Ellipse, Rectangle

from snippets.lib import architectures, brute_force_fields, effective_fields, receptive, sklearn_files, style

UNIT_LAYER = "conv5_3"
SIZE = architectures.INPUT["vgg16"][1]
CONTOURS = (0.1, 0.3, 0.5, 0.7, 0.9)  # of the gradient's peak
GREYS = 16  # grey levels of the photograph


def up_to(network, name):
    """The layers of `network` up to and including the one called `name`."""
    names = [layer.name for layer in network]
    return network[:names.index(name) + 1]


def photograph(size=SIZE):
    """scikit-learn's bundled 'china.jpg' in GREYS grey levels, cropped square and resampled
    to `size` pixels. The figure embeds it as a PNG, which in colour at full size weighed
    more than the rest of the page."""
    image = sklearn_files.photograph("china.jpg") @ np.array([0.299, 0.587, 0.114])  # ITU-R BT.601 luma
    image = np.floor(image / 256 * GREYS) * (255 / (GREYS - 1))  # few grey levels compress far better
    side = min(image.shape[:2])
    top, left = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
    rows = top + (np.arange(size) * side) // size
    cols = left + (np.arange(size) * side) // size
    return image[np.ix_(rows, cols)]


def compute():
    network = up_to(architectures.vgg16(), UNIT_LAYER)
    last = receptive.fields(network, architectures.INPUT["vgg16"])[-1]
    unit = tuple((n - 1) // 2 for n in last.out_shape[1:])
    gradient = brute_force_fields.path_counts(network, SIZE, unit)
    sigma = effective_fields.spread(gradient)
    return {
        "layer": UNIT_LAYER,
        "unit": unit,
        "theoretical": last.field.size[0],
        "effective": round(4 * sigma, 1),  # ±2σ
        "effective_share": round(4 * sigma / last.field.size[0], 2),
        "_box": [a + i * j for a, i, j in zip(last.field.start, unit, last.field.jump)],
        "_centre": last.field.centre(unit),
        "_sigma": sigma,
        "_gradient": gradient,
    }


def figure_overlay(v):
    """A photograph of a Chinese pagoda with the theoretical receptive field of one conv5_3
    unit of VGG-16 drawn as a square, and its effective field as contour lines of the
    gradient with a circle two standard deviations wide: the square covers most of the
    image, the circle a small patch at its centre."""
    theme = style.current()
    fig, ax = style.figure(4.6, 4.6)
    edges = (-0.5, SIZE - 0.5, SIZE - 0.5, -0.5)  # in input pixels, whatever the drawn resolution
    ax.imshow(photograph(SIZE // 2), cmap="gray", vmin=0, vmax=255, extent=edges, interpolation="none")
    heat = v["_gradient"] / v["_gradient"].max()
    ax.contour(heat, levels=CONTOURS, cmap=theme.cmap, linewidths=1.2)
    top, left = v["_box"]
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), v["theoretical"], v["theoretical"], fill=False,
                           edgecolor=theme.series[4], linewidth=2, linestyle="--", label="theoretical field"))
    row, col = v["_centre"]
    ax.add_patch(Ellipse((col, row), 4 * v["_sigma"], 4 * v["_sigma"], fill=False, edgecolor=theme.series[2],
                         linewidth=2, label="effective field (±2σ)"))
    ax.set_xlim(-0.5, SIZE - 0.5)
    ax.set_ylim(SIZE - 0.5, -0.5)
    ax.set_xlabel("input column")
    ax.set_ylabel("input row")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False, fontsize=8.5)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
