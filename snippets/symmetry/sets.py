"""All permutations of n items: two free parameters, the Deep Sets layer.

Solves W·P = P·W for the permutations of n items (a swap and a cycle generate them all),
then with channels (each item carries c_in numbers in and c_out out; a permutation moves
whole items), and checks the Deep Sets layer λ·x + γ·(sum of all items) on a permuted set.
"""
import numpy as np

from snippets.lib import style
from snippets.symmetry._common import commutant, draw, permutation_matrix, sharing_pattern

SEED = 2017  # Zaheer et al., "Deep Sets"
ITEMS = 4
C_IN, C_OUT = 2, 3
EXERCISE = (10, 8, 16)  # the exercise: 10 items, 8 numbers in and 16 out per item


def generators(n):
    """A swap of the first two items and a cycle of all n: together they make every permutation."""
    swap = [1, 0] + list(range(2, n))
    cycle = [(i + 1) % n for i in range(n)]
    return [permutation_matrix(swap), permutation_matrix(cycle)]


def deep_sets(x, lam, gam):
    """Deep Sets' equivariant layer (Zaheer et al. 2017): x has one row per item and
    c_in channels; every item gets λ·x_i + γ·Σ_j x_j (λ, γ: c_in × c_out)."""
    return x @ lam + x.sum(axis=0, keepdims=True) @ gam


def compute():
    rng = np.random.default_rng(SEED)
    basis, gap = commutant(generators(ITEMS), ITEMS)
    # With channels: the permutation acts on the item index and leaves channels alone.
    pairs = [(np.kron(p, np.eye(C_OUT)), np.kron(p, np.eye(C_IN))) for p in generators(ITEMS)]
    channel_basis, channel_gap = commutant(pairs, shape=(ITEMS * C_OUT, ITEMS * C_IN))
    # The Deep Sets layer on a set, and on the same set in another order.
    x = rng.normal(size=(ITEMS, C_IN))
    lam, gam = rng.normal(size=(C_IN, C_OUT)), rng.normal(size=(C_IN, C_OUT))
    order = rng.permutation(ITEMS)
    error = float(np.abs(deep_sets(x[order], lam, gam) - deep_sets(x, lam, gam)[order]).max())
    # Too large to solve here (12,800 unknowns); the count per pair of channels is the
    # solved one, as the channel case above shows.
    items, c_in, c_out = EXERCISE
    return {
        "exercise_items": items,
        "exercise_c_in": c_in,
        "exercise_c_out": c_out,
        "exercise_params": len(basis) * c_in * c_out,
        "exercise_dense": (items * c_in) * (items * c_out),
        "items": ITEMS,
        "dimension": len(basis),
        "c_in": C_IN,
        "c_out": C_OUT,
        "channel_dimension": len(channel_basis),
        "dense_channel_params": (ITEMS * C_IN) * (ITEMS * C_OUT),
        "permutation_error": error,
        "gap_zero": max(gap[0], channel_gap[0]),
        "gap_nonzero": min(gap[1], channel_gap[1]),
        "_pattern": sharing_pattern(basis),
        "_basis": basis,
        "_channel_basis": channel_basis,
        "_layer": (lam, gam),
    }


def figure_pattern(v):
    """A 4×4 weight matrix in two colours: one on the diagonal (each item's own weight λ)
    and one everywhere else (the weight γ that every item gives every other)."""
    theme = style.current()
    fig, ax = style.figure(3.0, 3.0)
    draw(ax, v["_pattern"], theme, f"{v['items']} items, every permutation:\n{v['dimension']} free parameters")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
