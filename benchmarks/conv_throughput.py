"""Throughput of snippets.lib.layers.conv2d against its ceiling and its loop oracle.

Representative shape: a batch of 32 images, 64 -> 64 channels, 32x32, 3x3 kernel,
stride 1, padding 1 ("same"), float64. The ceiling is np.matmul on the im2col-equivalent
shapes (the same FLOPs with the columns already laid out), in both orientations, the
faster counting. The loop oracle runs on a smaller shape and is compared by GFLOP/s.
FLOPs count a multiply-add as 2. Times are the best of several time.perf_counter runs;
the functions take turns, and the ratio is also given as the median over rounds of
conv2d against the faster GEMM of the same round (steadier on a loaded machine).

    python benchmarks/conv_throughput.py
    OPENBLAS_NUM_THREADS=1 python benchmarks/conv_throughput.py   # as the build runs snippets

Measured 2026-12-04 (numpy 2.4.6, OpenBLAS 0.3.31, 2 cores, load average 3-14 from
other jobs): conv2d / ceiling 0.72-0.80 best of each, 0.70-0.75 median of rounds, one BLAS
thread (the build's setting); with two threads 0.09-0.61 best of each and 0.10-0.20
median of rounds, the spread being the load. On the idle machine (2026-12-05, load 0.6):
one thread 0.69 best of each, 0.70 median of rounds; two threads 0.50 and 0.43 (conv2d
54 GFLOP/s, the faster GEMM 109). Here the orientation conv2d already uses,
(C_out x K) @ (K x positions), is the faster GEMM: the other takes 1.12-1.33 times as
long (median of alternating pairs, one and two threads). Patches as rows (issue 21,
item 6; three layouts tried) took 1.33-1.53 times conv2d's time with one thread; with
two threads under load 0.38-0.91 of it in median, yet no closer than 0.3 of the best
GEMM. What costs conv2d its two-thread speed is one OpenBLAS call per image: under
load each call waits on its second thread. One GEMM per chunk of images ran in 0.49-0.59
of the time with two threads (equal with one), but OpenBLAS rounds a wider product
differently for some widths, which moves printed rounding-level values of
equiv_aliasing; it is the commit "conv2d: one GEMM per cache-sized chunk of images" on
branch conv, reverted there (see its message).
"""
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "tests")]  # the loop oracle lives with the tests
from oracles.loops import conv2d_loop  # noqa: E402
from snippets.lib.layers import conv2d  # noqa: E402

BIG = dict(n=32, c_in=64, c_out=64, hw=32, k=3, padding=1)
SMALL = dict(n=2, c_in=8, c_out=8, hw=16, k=3, padding=1)
REPEATS = 15
LOOP_REPEATS = 3


def flops(n, c_in, c_out, hw, k, padding):
    """2 * multiply-adds of a stride-1 convolution of this shape."""
    out = hw + 2 * padding - k + 1
    return 2 * n * c_out * out * out * c_in * k * k


def round_times(funcs, repeats):
    """Wall times (repeats, len(funcs)); the functions take turns, so a burst of load
    from other processes hits all of them rather than one."""
    times = np.empty((repeats, len(funcs)))
    for r in range(repeats):
        for i, f in enumerate(funcs):
            start = time.perf_counter()
            f()
            times[r, i] = time.perf_counter() - start
    return times


def best_times(funcs, repeats):
    """Best wall time of each function, the functions taking turns."""
    return list(round_times(funcs, repeats).min(axis=0))


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
    rounds = round_times([lambda: conv2d(x, w, padding=BIG["padding"]),
                          lambda: np.matmul(cols, wmat),
                          lambda: np.matmul(wmat_t, cols_t)], REPEATS)
    big = list(rounds.min(axis=0))
    # Per round: conv2d against the faster GEMM of the same round (robust to load drift).
    paired = np.median(rounds[:, 1:].min(axis=1) / rounds[:, 0])
    orientation = np.median(rounds[:, 1] / rounds[:, 2])
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
    print(f"conv2d / matmul ceiling: {conv / ceiling:.2f} best of each, {paired:.2f} median of "
          f"rounds  (target >= 0.5; issue 21 aims at 0.8)")
    print(f"time of (positions x K) @ (K x C_out) / (C_out x K) @ (K x positions), median of "
          f"rounds: {orientation:.2f}  (> 1: the orientation conv2d uses is the faster)")
    print(f"conv2d / conv2d_loop:    {conv / loop:,.0f}x  (target >= 100x; "
          f"same small shape: {rows[3][3] / loop:,.0f}x)")


if __name__ == "__main__":
    main()
