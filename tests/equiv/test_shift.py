"""The shift slider's frames, recomputed with loops over the digit that scikit-learn itself loads."""
import numpy as np
import pytest
from sklearn.datasets import load_digits

from oracles.loops import conv2d_loop

SIDE = 16


def correlate(x, k, stride=1, circular=True):
    """ReLU of a 3×3 cross-correlation with padding 1, by the loop oracle."""
    y = conv2d_loop(np.asarray(x, float)[None, None], np.asarray(k, float)[None, None], stride=stride, padding=1,
                    padding_mode="circular" if circular else "zeros")[0, 0]
    return np.maximum(y, 0)


def shifted(a, t, circular=True):
    """a moved t pixels to the right: what leaves on the right enters on the left, or is
    lost and zeros enter."""
    n = len(a[0])
    return np.array([[row[(c - t) % n] if circular or c >= t else 0 for c in range(n)] for row in a])


def pool(a):
    """2×2 max pooling at stride 2, one output at a time."""
    a = np.asarray(a)
    return np.array([[max(a[2 * i + u][2 * j + v] for u in (0, 1) for v in (0, 1)) for j in range(len(a[0]) // 2)]
                     for i in range(len(a) // 2)])


def cells_differing(a, b):
    return [[r, c] for r in range(len(a)) for c in range(len(a[0])) if a[r][c] != b[r][c]]


@pytest.mark.covers("equiv_shift", "frames", "largest_shift", "canvas")
def test_every_frame_against_loops_over_the_digit(values):
    sobel = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    frames = values["frames"]
    assert list(values["canvas"]) == [SIDE, SIDE]
    assert [f["shift"] for f in frames] == list(range(values["largest_shift"] + 1))
    base = np.zeros((SIDE, SIDE))
    base[4:12, 1:9] = load_digits().images[2]  # the digit, read by scikit-learn itself
    for mode in ("circular", "zero"):
        circular = mode == "circular"
        map0 = correlate(base, sobel, circular=circular)
        pooled0, strided0 = pool(map0), correlate(base, sobel, stride=2, circular=circular)
        for f in frames:
            t, got = f["shift"], {key.removeprefix(f"{mode}_"): v for key, v in f.items() if key.startswith(f"{mode}_")}
            x = shifted(base, t, circular)
            assert np.array_equal(got["image"], x), (mode, t)
            y = correlate(x, sobel, circular=circular)
            assert np.array_equal(got["map"], y), (mode, t)
            assert got["global"] == y.sum() / SIDE**2, (mode, t)
            assert got["map_follows"] == np.array_equal(y, shifted(map0, t, circular)), (mode, t)
            assert got["map_differs"] == cells_differing(y, shifted(map0, t, circular)), (mode, t)
            pooled, strided = pool(y), correlate(x, sobel, stride=2, circular=circular)
            assert np.array_equal(got["pooled"], pooled) and np.array_equal(got["stride2"], strided), (mode, t)
            assert (got["pooled_changed"], got["pooled_total"]) == (int((pooled != pooled0).sum()), 64), (mode, t)
            for name, now, unshifted in (("pooled", pooled, pooled0), ("stride2", strided, strided0)):
                want = shifted(unshifted, t // 2, circular)
                assert got[f"{name}_differs"] == cells_differing(now, want), (mode, t, name)
                assert got[f"{name}_follows"] == (t % 2 == 0 and np.array_equal(now, want)), (mode, t, name)


@pytest.mark.covers("equiv_shift", "frames")
def test_the_frames_show_what_the_page_says(values):
    """Circular padding: equivariant and globally invariant at every shift; zero padding
    fails once the digit reaches the edge (and the digit leaves the frame); stride 2 and
    2×2 pooling follow even shifts only, and local pooling is never invariant."""
    frames = [{mode: {key.removeprefix(f"{mode}_"): v for key, v in f.items() if key.startswith(f"{mode}_")}
               | {"shift": f["shift"]} for mode in ("circular", "zero")} | {"shift": f["shift"]} for f in values["frames"]]
    assert all(f["circular"]["map_follows"] for f in frames)
    assert len({f["circular"]["global"] for f in frames}) == 1
    assert not all(f["zero"]["map_follows"] for f in frames) and frames[1]["zero"]["map_follows"]
    assert np.sum(frames[-1]["zero"]["image"]) < np.sum(frames[0]["zero"]["image"])  # part of the digit left
    assert [f["circular"]["stride2_follows"] for f in frames] == [f["shift"] % 2 == 0 for f in frames]
    assert [f["circular"]["pooled_follows"] for f in frames] == [f["shift"] % 2 == 0 for f in frames]
    assert all(f[mode]["pooled_changed"] > 0 for f in frames[1:] for mode in ("circular", "zero"))
