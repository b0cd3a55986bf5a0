"""The solver every symmetry snippet uses: the linear maps that commute with a set of
matrices, found as the nullspace of the constraints, and the sharing pattern read off it."""
import matplotlib
import numpy as np

# Every constraint matrix here has entries 0 and ±1. Its singular values are either zero
# up to rounding (about 1e-14) or at least about 0.1 (each snippet reports its own gap,
# and the tests check it): any tolerance between the two gives the same nullspace.
TOLERANCE = 1e-8


def cyclic_shift(n, step=1):
    """The n×n permutation matrix that moves position i to position i + step (mod n)."""
    return np.roll(np.eye(n), step, axis=0)


def band_zeros(n, width):
    """Entries outside the band: positions further apart (around the ring) than width // 2."""
    half = width // 2
    return [(i, j) for i in range(n) for j in range(n) if min((i - j) % n, (j - i) % n) > half]


def permutation_matrix(perm):
    """P with (P x)[perm[i]] = x[i]: the matrix that moves item i to place perm[i]."""
    p = np.zeros((len(perm), len(perm)))
    p[perm, np.arange(len(perm))] = 1.0
    return p


def constraints(pairs, shape, zeros=()):
    """Rows A with A · vec(W) = 0 exactly when W·G_in = G_out·W for every pair
    (G_out, G_in) and W is zero at the (row, column) entries in `zeros` (locality).
    W has `shape` (outputs, inputs); for a square layer G_out = G_in."""
    rows_out, cols_in = shape
    # Row-major vec: W[i, j] is unknown i·cols_in + j. Then vec(W·G) = (I ⊗ Gᵀ) vec(W)
    # and vec(G·W) = (G ⊗ I) vec(W).
    rows = [np.kron(np.eye(rows_out), g_in.T) - np.kron(g_out, np.eye(cols_in)) for g_out, g_in in pairs]
    for i, j in zeros:
        row = np.zeros((1, rows_out * cols_in))
        row[0, i * cols_in + j] = 1.0
        rows.append(row)
    return np.vstack(rows) if rows else np.zeros((0, rows_out * cols_in))  # no constraint: dense


def commutant(generators, size=None, zeros=(), shape=None):
    """The solution space of W·G = G·W for every generator G (or of W·G_in = G_out·W
    for pairs, with `shape`): an orthonormal basis, one matrix per free parameter, and
    the singular-value gap (largest 'zero' one, smallest nonzero one)."""
    if shape is None:
        shape, generators = (size, size), [(g, g) for g in generators]
    a = constraints(generators, shape, zeros)
    _, s, vt = np.linalg.svd(a)
    s = np.concatenate([s, np.zeros(vt.shape[0] - len(s))])  # fewer rows than unknowns
    null = s < TOLERANCE
    basis = vt[null].reshape(-1, *shape)
    gap = (float(s[null].max()), float(s[~null].min()) if (~null).any() else np.inf)
    return basis, gap


def sharing_pattern(basis):
    """Index matrix: entries with the same index are tied (equal in every solution),
    −1 marks entries that are zero in every solution. Two entries are tied exactly when
    their coordinates in the basis are equal, so a solution with random coordinates
    shows the pattern; indices are numbered in reading order."""
    coords = basis.reshape(len(basis), -1).T  # one row of coordinates per entry
    keys = np.round(coords, 9) + 0.0  # + 0.0 turns −0.0 into 0.0
    index = -np.ones(len(keys), dtype=int)
    seen = {}
    for e, key in enumerate(map(tuple, keys)):
        if not any(key):
            continue
        index[e] = seen.setdefault(key, len(seen))
    return index.reshape(basis.shape[1:])


def colours(index, theme, seed=0):
    """RGBA image of an index matrix: one colour per free parameter (spread along the
    theme's colour map and shuffled, so neighbours differ), transparent where zero."""
    count = index.max() + 1
    cmap = matplotlib.colormaps[theme.cmap]
    lo, hi = (0.0, 0.8) if theme.name == "light" else (0.2, 1.0)
    palette = cmap(np.linspace(lo, hi, max(count, 2)))[:count]
    palette = palette[np.random.default_rng(seed).permutation(count)]
    image = palette[np.maximum(index, 0)]
    image[index < 0] = 0.0
    return image


def draw(ax, index, theme, title, numbers=True):
    """One sharing pattern on an axis, each entry coloured (and numbered) by its parameter."""
    image = colours(index, theme)
    ax.imshow(image, interpolation="nearest")
    if numbers:
        for (i, j), k in np.ndenumerate(index):
            if k >= 0:
                light = image[i, j, :3] @ [0.299, 0.587, 0.114] > 0.5  # dark text on a light colour
                ax.text(j, i, str(k + 1), ha="center", va="center", fontsize=7,
                        color="black" if light else "white")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color(theme.muted)
    ax.set_title(title, fontsize=9, loc="left")
