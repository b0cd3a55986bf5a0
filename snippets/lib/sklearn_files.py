"""Data that ships inside scikit-learn, read straight from its files: nothing is downloaded.

Importing scikit-learn takes about a second, and every snippet runs in a process of its
own; the files themselves are small and need nothing from the library to be read.
"""
import gzip
import importlib.util
from pathlib import Path

import numpy as np
from PIL import Image

DIGIT = 8  # side of one scanned digit, in pixels


def _sklearn_file(*parts):
    """Path of a file inside the installed scikit-learn package, without importing it."""
    return Path(importlib.util.find_spec("sklearn").origin).parent.joinpath(*parts)


def digits():
    """scikit-learn's 1,797 scanned digits as `load_digits` gives them: (N, 8, 8) float
    images with grey levels 0 to 16, and integer labels."""
    with gzip.open(_sklearn_file("datasets", "data", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    return table[:, :-1].reshape(-1, DIGIT, DIGIT), table[:, -1].astype(int)


def photograph(name="china.jpg"):
    """One of scikit-learn's sample photographs as `load_sample_image` gives it: (H, W, 3) uint8."""
    with Image.open(_sklearn_file("datasets", "images", name)) as image:
        return np.asarray(image)
