"""The data: real handwritten digits, each at a random position on a larger canvas.

Pastes scikit-learn's 8×8 digits at random places on a 12×12 canvas, so that the same
digit can appear anywhere, and holds out a fixed test set.
"""
import numpy as np
from matplotlib.colors import to_rgb

from snippets.learning._common import CANVAS, split
from snippets.lib import digits, style

SHOWN = 16  # canvases in the figure


def compute():
    data = split()
    images, _ = digits.scans()
    places = CANVAS - digits.DIGIT + 1  # corner positions along one side
    pool_counts = np.bincount(data.y_train, minlength=digits.CLASSES)
    return {
        "scans": len(images),
        "scan_shape": images.shape[1:],
        "canvas_shape": (CANVAS, CANVAS),
        "positions": places * places,
        "max_shift": places - 1,
        "test_size": len(data.y_test),
        "pool_size": len(data.y_train),
        "pool_smallest_class": int(pool_counts.min()),
        "_x": data.x_train[:SHOWN, 0],
        "_y": data.y_train[:SHOWN],
    }


def ink(image, theme):
    """An RGBA image: the theme's text colour, as opaque as the pixel is dark on paper."""
    rgba = np.zeros(image.shape + (4,))
    rgba[..., :3] = to_rgb(theme.fg)
    rgba[..., 3] = image
    return rgba


def figure_samples(v):
    """Two rows of eight canvases from the training set, each framed, with its label above:
    handwritten digits at different places on the blank canvas, some touching an edge,
    others near the middle."""
    theme = style.current()
    fig, axes = style.figure(6.4, 2.3, nrows=2, ncols=SHOWN // 2)
    for ax, image, label in zip(axes.flat, v["_x"], v["_y"]):
        ax.imshow(ink(image, theme), interpolation="nearest")
        ax.set_title(str(label), fontsize=10, color=theme.fg, pad=3)
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(True)
            side.set_color(theme.muted)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
