"""Forward and backward time of dense, locally connected and convolution, same shapes.

One batch of 16 images of 8×16×16 maps to 16×14×14 (3×3 windows, no padding) through
each layer of snippets.lib.layers, and through the locally connected layer written as a
batched matrix product (`local_matmul`, here) instead of the reference layer's einsum,
float64, on one BLAS thread (as the snippets run: a per-core figure that does not depend on how many cores the machine has or how busy
they are). Times are the best of REPEATS time.perf_counter runs, the layers taking
turns. The result, with the machine, the date
and `code_key` (pipeline.keys.code_key of this script: it changes when this script or
a module it imports, such as layers.py, changes), goes to
benchmarks/results/forward_time.json, which snippets/sharing/cost.py reads.

    python benchmarks/forward_time.py
"""
import datetime
import json
import os
import platform
from pathlib import Path

import numpy as np
import threadpoolctl

from conv_throughput import best_times
from pipeline.keys import code_key
from pipeline.paths import ROOT
from snippets.lib import layers

SHAPE = dict(batch=16, in_channels=8, size=16, out_channels=16, kernel=3)
REPEATS = 20
THREADS = 1
OUT = Path(__file__).resolve().parent / "results" / "forward_time.json"


def processor():
    """The CPU's model name where Linux says it, else what `platform` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def local_matmul(x, w):
    """locally_connected2d (no padding, stride 1) as one batched matrix product: one small
    (images × C_in·k·k) @ (C_in·k·k × C_out) product per output position, instead of the
    reference layer's einsum. The same multiply-adds, in another order."""
    ho, wo, c_out = w.shape[:3]
    win = np.lib.stride_tricks.sliding_window_view(x, w.shape[4:], axis=(2, 3))  # (N, C, ho, wo, k, k)
    cols = win.transpose(2, 3, 0, 1, 4, 5).reshape(ho * wo, len(x), -1)
    out = cols @ w.reshape(ho * wo, c_out, -1).transpose(0, 2, 1)  # (positions, N, C_out)
    return out.reshape(ho, wo, len(x), c_out).transpose(2, 3, 0, 1)


def local_matmul_backward(x, w, grad):
    """Gradients (grad_x, grad_w) of local_matmul, by batched matrix products and col2im."""
    ho, wo, c_out, c_in, kh, kw = w.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    cols = win.transpose(2, 3, 0, 1, 4, 5).reshape(ho * wo, len(x), -1)
    g = grad.transpose(2, 3, 0, 1).reshape(ho * wo, len(x), c_out)
    wm = w.reshape(ho * wo, c_out, -1)
    grad_w = (g.transpose(0, 2, 1) @ cols).reshape(w.shape)
    grad_cols = (g @ wm).reshape(ho, wo, len(x), c_in, kh, kw).transpose(2, 3, 0, 1, 4, 5)
    grad_x = np.zeros(x.shape)
    for i in range(kh):
        for j in range(kw):
            grad_x[:, :, i:i + ho, j:j + wo] += grad_cols[..., i, j]
    return grad_x, grad_w


def layer_passes(rng, batch, in_channels, size, out_channels, kernel):
    """{layer: (forward, backward)} closures on one random batch and random weights."""
    out = size - kernel + 1
    x = rng.standard_normal((batch, in_channels, size, size))
    grad = rng.standard_normal((batch, out_channels, out, out))
    w_dense = rng.standard_normal((out_channels * out * out, in_channels * size * size))
    w_local = rng.standard_normal((out, out, out_channels, in_channels, kernel, kernel))
    w_conv = rng.standard_normal((out_channels, in_channels, kernel, kernel))
    flat, flat_grad = x.reshape(batch, -1), grad.reshape(batch, -1)
    return {
        "dense": (lambda: layers.dense(flat, w_dense),
                  lambda: layers.dense_backward(flat, w_dense, flat_grad)),
        "locally connected": (lambda: layers.locally_connected2d(x, w_local),
                              lambda: layers.locally_connected2d_backward(x, w_local, grad)),
        "convolution": (lambda: layers.conv2d(x, w_conv),
                        lambda: layers.conv2d_backward(x, w_conv, grad)),
        "locally connected, batched matmul": (lambda: local_matmul(x, w_local),
                                              lambda: local_matmul_backward(x, w_local, grad)),
    }


def main():
    passes = layer_passes(np.random.default_rng(0), **SHAPE)
    with threadpoolctl.threadpool_limits(limits=THREADS):
        forward = best_times([f for f, _ in passes.values()], REPEATS)
        backward = best_times([b for _, b in passes.values()], REPEATS)
    record = {
        "what": "best wall time of one call, milliseconds, float64",
        "date": datetime.date.today().isoformat(),
        "machine": {
            "platform": platform.platform(),
            "processor": processor(),
            "cores": os.cpu_count(),
            "threads": THREADS,
            "numpy": np.__version__,
        },
        "shape": SHAPE,
        "repeats": REPEATS,
        "milliseconds": {name: {"forward": f * 1e3, "backward": b * 1e3}
                         for name, f, b in zip(passes, forward, backward)},
        "code_key": code_key(Path(__file__)),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    for name, ms in record["milliseconds"].items():
        print(f"{name:<34} forward {ms['forward']:8.3f} ms   backward {ms['backward']:8.3f} ms")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
