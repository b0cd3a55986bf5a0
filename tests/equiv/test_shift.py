"""The shift slider's frames, recomputed with loops over the digit that scikit-learn itself loads."""
import numpy as np
import pytest
from sklearn.datasets import load_digits

SIDE = 16


def correlate(x, k, stride=1, circular=True):
    """ReLU of a 3×3 cross-correlation with padding 1, one output at a time."""
    out = (SIDE + 2 - 3) // stride + 1
    y = np.zeros((out, out))
    for i in range(out):
        for j in range(out):
            total = 0
            for a in range(3):
                for b in range(3):
                    r, c = i * stride + a - 1, j * stride + b - 1
                    if circular:
                        total += k[a][b] * x[r % SIDE][c % SIDE]
                    elif 0 <= r < SIDE and 0 <= c < SIDE:
                        total += k[a][b] * x[r][c]
            y[i, j] = max(total, 0)
    return y


def shifted(a, t):
    """a moved t pixels to the right, what leaves on the right entering on the left."""
    n = len(a[0])
    return np.array([[row[(c - t) % n] for c in range(n)] for row in a])


def matches_some_shift(a, b):
    return any(np.array_equal(shifted(a, u), b) for u in range(len(a[0])))


@pytest.mark.covers("equiv_shift", "frames", "largest_shift", "canvas")
def test_every_frame_against_loops_over_the_digit(values):
    sobel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    frames = values["frames"]
    assert list(values["canvas"]) == [SIDE, SIDE]
    assert [f["shift"] for f in frames] == list(range(values["largest_shift"] + 1))
    base = np.zeros((SIDE, SIDE))
    base[4:12, 1:9] = load_digits().images[2]  # the digit, read by scikit-learn itself
    maps0 = {mode: correlate(base, sobel, circular=mode == "circular") for mode in ("circular", "zero")}
    pooled0 = maps0["circular"].reshape(8, 2, 8, 2).max(axis=(1, 3))
    strided0 = correlate(base, sobel, stride=2)
    for f in frames:
        t = f["shift"]
        x = shifted(base, t)
        assert np.array_equal(f["image"], x), t
        for mode in ("circular", "zero"):
            y = correlate(x, sobel, circular=mode == "circular")
            assert np.array_equal(f[mode], y), (t, mode)
            assert f[f"global_{mode}"] == y.sum() / SIDE**2, (t, mode)
            assert f[f"{mode}_follows"] == np.array_equal(y, shifted(maps0[mode], t)), (t, mode)
        pooled = np.array(f["circular"]).reshape(8, 2, 8, 2).max(axis=(1, 3))
        assert np.array_equal(f["pooled"], pooled), t
        assert (f["pooled_changed"], f["pooled_total"]) == (int((pooled != pooled0).sum()), 64), t
        assert f["pooled_follows"] == matches_some_shift(pooled0, pooled), t
        assert np.array_equal(f["stride2"], correlate(x, sobel, stride=2)), t
        assert f["stride2_follows"] == matches_some_shift(strided0, np.array(f["stride2"])), t


@pytest.mark.covers("equiv_shift", "frames")
def test_the_frames_show_what_the_page_says(values):
    """Circular padding: equivariant and globally invariant at every shift; zero padding
    fails once the digit crosses the edge; stride 2 and 2×2 pooling follow even shifts only."""
    frames = values["frames"]
    assert all(f["circular_follows"] for f in frames)
    assert len({f["global_circular"] for f in frames}) == 1
    assert not all(f["zero_follows"] for f in frames) and frames[1]["zero_follows"]
    assert [f["stride2_follows"] for f in frames] == [f["shift"] % 2 == 0 for f in frames]
    assert [f["pooled_follows"] for f in frames] == [f["shift"] % 2 == 0 for f in frames]
    assert all(f["pooled_changed"] > 0 for f in frames[1:])
