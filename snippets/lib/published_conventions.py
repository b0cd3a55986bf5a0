"""Documented conventions, and the search that decides whether a published number holds.

A published number is called wrong only after every documented way of computing it has
been tried. This module holds the conventions this site searches over where they are
not specific to one table (`snippets/arch/published.py` searches the ways frameworks
count parameters and operations):

- output size of a window that does not fit evenly: the floor of (n + 2p - k) / s, plus
  one (PyTorch, Caffe, TensorFlow 'VALID'), or the ceiling, plus one, which is what
  Krizhevsky's cuda-convnet computes for AlexNet (`1 + int(ceil((2*padding + imgSize -
  filterSize) / float(stride)))` in its layer code): the last window may hang over the
  edge;
- padding, from none up to a few pixels on each side.
"""
import math

from snippets.lib.formulas import conv_output_size

OUTPUT_SIZE = {
    "floor (PyTorch, Caffe)": conv_output_size,
    "ceil (cuda-convnet)": lambda n, k, s, p: 1 + math.ceil((2 * p + n - k) / s),
}
PADDINGS = range(0, 4)  # pixels on each side


def output_sizes(n, k, stride, target=None):
    """One row per (rounding, padding): the output side, and whether it is `target`."""
    rows = []
    for rounding, size in OUTPUT_SIZE.items():
        for p in PADDINGS:
            row = {"rounding": rounding, "padding (each side)": p, "output side": size(n, k, stride, p)}
            if target is not None:
                row["gives the published size"] = row["output side"] == target
            rows.append(row)
    return rows


def reproducing(rows):
    """The rows of a search that reproduce the published figure."""
    return [row for row in rows if row["gives the published size"]]
