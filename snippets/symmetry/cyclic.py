"""Cyclic shifts: the layers that commute with them are circular convolutions.

Solves W·S = S·W for the cyclic shift S of n positions (the constraints for one step
imply every step): the smallest case by hand (n = 4), then locality (W zero outside a
band of width k around the diagonal), and checks that a solution is a circular
convolution whose kernel is the whole width.
"""
import numpy as np

from snippets.lib import style
from snippets.symmetry._common import band_zeros, commutant, cyclic_shift, draw, sharing_pattern

SEED = 4
HAND = 4  # the hand-checkable case: four positions in a ring
BANDED, WIDTH = 8, 3  # eight positions, a kernel of width 3 (one neighbour each side)
EXERCISE_N, EXERCISE_WIDTH = 6, 5  # the exercise: a ring of six, a window of width 5


def circular_correlation(x, kernel):
    """y[i] = Σ_d kernel[d]·x[i + d − centre] around the ring (the site's convolution)."""
    centre = len(kernel) // 2
    return sum(kernel[d] * np.roll(x, centre - d) for d in range(len(kernel)))


def compute():
    rng = np.random.default_rng(SEED)
    basis, gap = commutant([cyclic_shift(HAND)], HAND)
    band, band_gap = commutant([cyclic_shift(BANDED)], BANDED, band_zeros(BANDED, WIDTH))
    # A random solution is a circular convolution with a kernel as wide as the input:
    # row 0 holds the kernel, read so that kernel[d] multiplies x[d − centre].
    w = np.tensordot(rng.normal(size=len(basis)), basis, axes=1)
    x = rng.normal(size=HAND)
    centre = HAND // 2
    kernel = np.array([w[0, (d - centre) % HAND] for d in range(HAND)])
    conv_error = float(np.abs(w @ x - circular_correlation(x, kernel)).max())
    exercise = len(commutant([cyclic_shift(EXERCISE_N)], EXERCISE_N)[0])
    exercise_band = len(commutant([cyclic_shift(EXERCISE_N)], EXERCISE_N,
                                  band_zeros(EXERCISE_N, EXERCISE_WIDTH))[0])
    return {
        "hand_n": HAND,
        "hand_unknowns": HAND * HAND,
        "hand_dimension": len(basis),
        "band_n": BANDED,
        "band_width": WIDTH,
        "band_dimension": len(band),
        "conv_error": conv_error,
        "exercise_n": EXERCISE_N,
        "exercise_width": EXERCISE_WIDTH,
        "exercise_dimension": exercise,
        "exercise_band_dimension": exercise_band,
        "gap_zero": max(gap[0], band_gap[0]),
        "gap_nonzero": min(gap[1], band_gap[1]),
        "_pattern": sharing_pattern(basis),
        "_band_pattern": sharing_pattern(band),
        "_basis": basis,
        "_band_basis": band,
    }


def figure_pattern(v):
    """Two weight matrices coloured by free parameter: for four positions in a ring, four
    colours, each repeated along a wrapped diagonal; for eight positions with a width-3
    band, three colours on three wrapped diagonals and blank entries elsewhere."""
    theme = style.current()
    fig, axes = style.figure(6.4, 3.3, ncols=2)
    draw(axes[0], v["_pattern"], theme, f"{v['hand_n']} positions: {v['hand_dimension']} free parameters")
    draw(axes[1], v["_band_pattern"], theme,
         f"{v['band_n']} positions, width {v['band_width']}: {v['band_dimension']} free")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
