"""Shifts and 90° rotations of a small square image: how many free parameters are left.

Positions are the pixels of an n×n image on a torus (circular shifts). Solves for the
layers that commute with the two shifts, then also with the 90° rotation about the
image's centre, with and without locality (a 3×3 window), and reads each kernel's
sharing pattern off the solution.
"""
import numpy as np

from snippets.lib import style
from snippets.symmetry._common import commutant, draw, permutation_matrix, sharing_pattern

SIDE, WINDOW = 4, 3  # a 4×4 image (16 pixels), 3×3 windows


def pixel(r, c, n=SIDE):
    return (r % n) * n + (c % n)


def generators(n=SIDE, rotations=False):
    """Permutation matrices of one step down, one step right and (optionally) a 90° turn."""
    down = [pixel(r + 1, c, n) for r in range(n) for c in range(n)]
    right = [pixel(r, c + 1, n) for r in range(n) for c in range(n)]
    turn = [pixel(c, n - 1 - r, n) for r in range(n) for c in range(n)]
    moves = [down, right] + ([turn] if rotations else [])
    return [permutation_matrix(m) for m in moves]


def window_zeros(n=SIDE, window=WINDOW):
    """Pixel pairs further apart than the window, in either direction around the torus."""
    half = window // 2
    far = lambda a, b: min((a - b) % n, (b - a) % n) > half
    return [(pixel(r, c, n), pixel(s, t, n)) for r in range(n) for c in range(n)
            for s in range(n) for t in range(n) if far(r, s) or far(c, t)]


def kernel_view(pattern, n=SIDE, size=None):
    """One output pixel's row of the pattern as an image: the kernel it applies.
    The output pixel is (1, 1), so a 3×3 window around it is rows and columns 0–2."""
    row = pattern[pixel(1, 1, n)].reshape(n, n)
    return row[:size, :size] if size else np.roll(row, (-1 + n // 2, -1 + n // 2), axis=(0, 1))


def compute():
    cases = {}
    gaps = []
    for name, rotations, zeros in (("shifts", False, ()), ("shifts and rotations", True, ()),
                                   ("shifts, 3×3 window", False, window_zeros()),
                                   ("shifts and rotations, 3×3 window", True, window_zeros())):
        basis, gap = commutant(generators(rotations=rotations), SIDE * SIDE, zeros)
        cases[name] = (basis, sharing_pattern(basis))
        gaps.append(gap)
    dims = {name: len(b) for name, (b, _) in cases.items()}
    table = [{"symmetry": name, "window": "whole image" if "window" not in name else "3×3",
              "free parameters": d, "dense layer": (SIDE * SIDE) ** 2} for name, d in dims.items()]
    return {
        "side": SIDE,
        "pixels": SIDE * SIDE,
        "shift_dimension": dims["shifts"],
        "rotation_dimension": dims["shifts and rotations"],
        "window_dimension": dims["shifts, 3×3 window"],
        "window_rotation_dimension": dims["shifts and rotations, 3×3 window"],
        "table": table,
        "gap_zero": max(g[0] for g in gaps),
        "gap_nonzero": min(g[1] for g in gaps),
        "_cases": cases,
    }


def figure_kernels(v):
    """Four kernels coloured by free parameter: a 4×4 kernel with sixteen colours (shifts),
    the same kernel with fewer colours arranged in rings around its centre (shifts and
    rotations), a 3×3 kernel with nine colours, and a 3×3 kernel with three: the centre,
    the four edge neighbours and the four corners."""
    theme = style.current()
    fig, axes = style.figure(6.4, 2.6, ncols=4)
    for ax, (name, (basis, pattern)) in zip(axes, v["_cases"].items()):
        size = 3 if "window" in name else None
        kernel = kernel_view(pattern, size=size)
        # renumber in reading order of the kernel picture
        order = {k: i for i, k in enumerate(dict.fromkeys(kernel[kernel >= 0]))}
        kernel = np.vectorize(lambda k: order.get(k, -1))(kernel)
        title = name.replace(", 3×3 window", ",\n3×3 window").replace(" and ", " and\n")
        draw(ax, kernel, theme, f"{title}:\n{len(basis)} free")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
