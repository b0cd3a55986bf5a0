"""Throughput of snippets.lib.layers.conv2d against its ceiling and its loop oracle.

Representative shape: a batch of 32 images, 64 -> 64 channels, 32x32, 3x3 kernel,
stride 1, padding 1 ("same"), float64. The ceiling is np.matmul on the im2col-equivalent
shapes (the same FLOPs with the columns already laid out), in both orientations, the
faster counting. The loop oracle runs on a smaller shape and is compared by GFLOP/s.
FLOPs count a multiply-add as 2. Times are the best of several time.perf_counter runs.

    python benchmarks/conv_throughput.py
"""
import os
import time

import numpy as np

from snippets.lib.layers import conv2d, conv2d_loop

BIG = dict(n=32, c_in=64, c_out=64, hw=32, k=3, padding=1)
SMALL = dict(n=2, c_in=8, c_out=8, hw=16, k=3, padding=1)
REPEATS = 15
LOOP_REPEATS = 3


def flops(n, c_in, c_out, hw, k, padding):
    """2 * multiply-adds of a stride-1 convolution of this shape."""
    out = hw + 2 * padding - k + 1
    return 2 * n * c_out * out * out * c_in * k * k


def best_times(funcs, repeats):
    """Best wall time of each function; the functions take turns, so a burst of load
    from other processes hits all of them rather than one."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeats):
        for i, f in enumerate(funcs):
            start = time.perf_counter()
            f()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def arrays(rng, n, c_in, c_out, hw, k, padding):
    return rng.standard_normal((n, c_in, hw, hw)), rng.standard_normal((c_out, c_in, k, k))


def main():
    rng = np.random.default_rng(0)

    x, w = arrays(rng, **BIG)
    positions = BIG["n"] * BIG["hw"] ** 2  # stride 1, "same" padding
    depth = BIG["c_in"] * BIG["k"] ** 2
    cols = rng.standard_normal((positions, depth))
    wmat = rng.standard_normal((depth, BIG["c_out"]))
    cols_t, wmat_t = np.ascontiguousarray(cols.T), np.ascontiguousarray(wmat.T)
    big = best_times([lambda: conv2d(x, w, padding=BIG["padding"]),
                      lambda: np.matmul(cols, wmat),
                      lambda: np.matmul(wmat_t, cols_t)], REPEATS)
    del cols, cols_t

    xs, ws = arrays(rng, **SMALL)
    assert np.allclose(conv2d(xs, ws, padding=1), conv2d_loop(xs, ws, padding=1))
    small = (best_times([lambda: conv2d(xs, ws, padding=SMALL["padding"])], REPEATS)
             + best_times([lambda: conv2d_loop(xs, ws, padding=SMALL["padding"])], LOOP_REPEATS))

    names = ["conv2d", f"matmul ({positions}x{depth})@({depth}x{BIG['c_out']})",
             f"matmul ({BIG['c_out']}x{depth})@({depth}x{positions})", "conv2d", "conv2d_loop"]
    shapes = [BIG] * 3 + [SMALL] * 2
    rows = [(name, shape, t, flops(**shape) / t)
            for name, shape, t in zip(names, shapes, big + small)]
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, float64; best of {REPEATS} "
          f"({LOOP_REPEATS} for the loop)")
    print(f"{'what':<36} {'shape N,Cin,Cout,HW,k,pad':<26} {'ms':>10} {'GFLOP/s':>9}")
    for name, shape, t, rate in rows:
        print(f"{name:<36} {','.join(str(v) for v in shape.values()):<26} "
              f"{t * 1e3:>10.2f} {rate / 1e9:>9.3f}")
    conv, ceiling = rows[0][3], max(rows[1][3], rows[2][3])
    loop = rows[4][3]
    print(f"conv2d / matmul ceiling: {conv / ceiling:.2f}  (target >= 0.5)")
    print(f"conv2d / conv2d_loop:    {conv / loop:,.0f}x  (target >= 100x; "
          f"same small shape: {rows[3][3] / loop:,.0f}x)")


if __name__ == "__main__":
    main()
