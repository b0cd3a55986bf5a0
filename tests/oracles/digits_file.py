"""The digits file scikit-learn ships, parsed by hand."""
import gzip
from pathlib import Path

import numpy as np
import sklearn

RAW = Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"


def raw_digits():
    """The file scikit-learn ships, parsed by hand: 64 pixel values and a label per line."""
    rows = np.loadtxt(gzip.open(RAW, "rt"), delimiter=",")
    return rows[:, :-1].reshape(-1, 8, 8), rows[:, -1].astype(int)
