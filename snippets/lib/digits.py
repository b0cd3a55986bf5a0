"""Handwritten digits at random positions on a larger canvas: real data that needs no download.

scikit-learn ships 1,797 scanned digits of 8×8 pixels (16 grey levels) inside the package.
Pasting each one at a random place on a larger blank canvas makes position a nuisance the
classifier has to cope with, which is the situation weight sharing is meant for; pasting
them all at the centre removes it. The canvas size is a parameter.
"""
from dataclasses import dataclass

import numpy as np

from snippets.lib import sklearn_files

DIGIT = sklearn_files.DIGIT
GREY_LEVELS = 16  # pixel values run from 0 to 16
CLASSES = 10
PLACEMENTS = ("random", "centred")


@dataclass(frozen=True)
class Split:
    """Canvases (N, 1, side, side) in [0, 1], labels, and each digit's top-left corner."""

    x_train: np.ndarray
    y_train: np.ndarray
    positions_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    positions_test: np.ndarray


def scans():
    """All scanned digits as (N, 8, 8) floats in [0, 1], and their labels."""
    images, labels = sklearn_files.digits()
    return images / GREY_LEVELS, labels


def positions(placement, count, canvas, rng):
    """Top-left corners (count, 2): uniform over every place a digit fits, or all central."""
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {PLACEMENTS}, not {placement!r}")
    if canvas < DIGIT:
        raise ValueError(f"a {canvas}-pixel canvas cannot hold an {DIGIT}-pixel digit")
    if placement == "centred":
        return np.full((count, 2), (canvas - DIGIT) // 2)
    return rng.integers(0, canvas - DIGIT + 1, size=(count, 2))


def paste(images, corners, canvas):
    """Each image on a blank canvas with its top-left corner at `corners[i]`: (N, 1, canvas, canvas)."""
    n = len(images)
    rows = corners[:, 0, None] + np.arange(DIGIT)  # (N, 8) canvas rows of each image
    cols = corners[:, 1, None] + np.arange(DIGIT)
    out = np.zeros((n, 1, canvas, canvas))
    out[np.arange(n)[:, None, None], 0, rows[:, :, None], cols[:, None, :]] = images
    return out


def split(canvas, test_size, seed, placement="random"):
    """Shuffle the digits, hold out `test_size` of them for testing, paste all on canvases.

    The positions are drawn once, with the split: the test set is the same for every
    model and every training set drawn from the rest."""
    images, labels = scans()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(images))
    corners = positions(placement, len(images), canvas, rng)
    x, y = paste(images[order], corners, canvas), labels[order]
    train, test = slice(test_size, None), slice(0, test_size)
    return Split(x[train], y[train], corners[train], x[test], y[test], corners[test])


def balanced_subset(labels, per_class, rng):
    """Indices of `per_class` examples of every class, in a random order per class that
    depends only on `rng`: with a generator seeded alike, a larger subset contains a
    smaller one."""
    chosen = []
    for c in range(CLASSES):
        members = np.flatnonzero(labels == c)
        if per_class > len(members):
            raise ValueError(f"class {c} has {len(members)} examples, fewer than {per_class}")
        chosen.append(rng.permutation(members)[:per_class])
    return np.concatenate(chosen)
