"""Free parameters against the number of positions: what each symmetry saves.

Solves the constraints for n = 2 … 10 positions for a dense layer (no symmetry), cyclic
shifts, cyclic shifts with a width-3 band, and all permutations, and divides the dense
layer's n² weights by each count.
"""
from snippets.lib import style
from snippets.symmetry._common import band_zeros, commutant, cyclic_shift, permutation_matrix

SIZES = range(3, 11)
WIDTH = 3
LARGEST = max(SIZES)


def solve(n):
    """{layer: free parameters} for n positions."""
    shift = cyclic_shift(n)
    swap = permutation_matrix([1, 0] + list(range(2, n)))
    return {
        "dense": len(commutant([], n)[0]),
        "cyclic shifts": len(commutant([shift], n)[0]),
        f"cyclic shifts, width {WIDTH}": len(commutant([shift], n, band_zeros(n, WIDTH))[0]),
        "all permutations": len(commutant([shift, swap], n)[0]),
    }


def compute():
    counts = {n: solve(n) for n in SIZES}
    table = [{"positions": n, **row} for n, row in counts.items()]
    last = counts[LARGEST]
    return {
        "smallest": min(SIZES),
        "table": table,
        "largest": LARGEST,
        "dense_largest": last["dense"],
        "saving_cyclic": last["dense"] / last["cyclic shifts"],
        "saving_band": last["dense"] / last[f"cyclic shifts, width {WIDTH}"],
        "saving_permutations": last["dense"] / last["all permutations"],
    }


def figure_growth(v):
    """Free parameters against the number of positions, on a logarithmic scale: the dense
    layer grows as the square, cyclic shifts in proportion, and the banded convolution and
    the permutation layer stay flat at three and two."""
    fig, ax = style.figure(6.4, 3.4)
    rows = v["table"]
    sizes = [r["positions"] for r in rows]
    for key in [k for k in rows[0] if k != "positions"]:
        ax.plot(sizes, [r[key] for r in rows], marker="o", label=key)
    ax.set_yscale("log")
    ax.minorticks_off()  # labelled ticks of our own: plain numbers, quick to lay out
    ax.set_yticks([2, 3, 5, 10, 20, 50, 100], ["2", "3", "5", "10", "20", "50", "100"])
    ax.set_xlabel("positions n")
    ax.set_ylabel("free parameters (solved)")
    fig.legend(loc="outside upper center", ncol=4, frameon=False, fontsize=8)  # above the plot, off the curves
    ax.grid(True, axis="y")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
