"""Shifts in time: the layers that commute with a delay reuse one weight per lag, as a
recurrent cell reused at every step does.

A sequence of T steps; the delay D moves every value one step later (the first step
gets zero, the last value falls off). Solves W·D = D·W, then unrolls a linear recurrent
cell h_t = a·h_(t−1) + b·x_t, y_t = c·h_t over T steps, once with the same (a, b, c) at
every step and once with a cell of its own per step, and measures how far each unrolled
matrix is from commuting with the delay.
"""
import numpy as np

from snippets.lib import style
from snippets.symmetry._common import commutant, draw, sharing_pattern

SEED = 1990  # Elman, "Finding structure in time"
STEPS = 6


def delay(t):
    """The T×T matrix that moves each value one step later, with a zero at the start."""
    return np.eye(t, k=-1)


def unrolled(cells):
    """The matrix of a linear recurrent layer: column s is its output to an impulse at step s.
    `cells` holds one (a, b, c) per step."""
    t = len(cells)
    m = np.zeros((t, t))
    for s in range(t):
        h = 0.0
        for step, (a, b, c) in enumerate(cells):
            h = a * h + b * (step == s)
            m[step, s] = c * h
    return m


def compute():
    rng = np.random.default_rng(SEED)
    basis, gap = commutant([delay(STEPS)], STEPS)
    d = delay(STEPS)
    one = tuple(rng.uniform(0.5, 1.0, size=3))
    shared = unrolled([one] * STEPS)
    untied = unrolled([tuple(rng.uniform(0.5, 1.0, size=3)) for _ in range(STEPS)])

    def commutator(m):
        return float(np.abs(m @ d - d @ m).max() / np.abs(m).max())

    return {
        "steps": STEPS,
        "dimension": len(basis),
        "shared_error": commutator(shared),
        "untied_error": commutator(untied),
        "gap_zero": gap[0],
        "gap_nonzero": gap[1],
        "_pattern": sharing_pattern(basis),
        "_basis": basis,
        "_cells": (one, shared, untied),
    }


def figure_pattern(v):
    """A 6×6 lower-triangular matrix in six colours, one per diagonal: the weight of lag 0 on
    the diagonal, of lag 1 below it, and so on; the entries above the diagonal (the future)
    are blank."""
    theme = style.current()
    fig, ax = style.figure(3.0, 3.0)
    draw(ax, v["_pattern"], theme, f"{v['steps']} steps, shifts in time:\n{v['dimension']} free parameters")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
