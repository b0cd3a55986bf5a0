"""Training seeds side by side (snippets/lib/seeded.py) against one after another (nets.train).

Times, on one BLAS thread as the build runs snippets, the networks of the experiments that
measure over seeds: the same seeds, data and epochs both ways. Prints seconds and the ratio;
run it on the machine whose build time matters: `python benchmarks/seeded_training.py`.
"""
import time

import numpy as np
import threadpoolctl

from snippets.equiv.consistency import BATCH as C_BATCH, LR as C_LR, network as digit_network
from snippets.equiv._common import on_canvas
from snippets.lib import digits, nets, seeded
from snippets.sharing import position

SEEDS = 10
REPEATS = 3


def cases():
    """(name, build(rng), x, y, epochs, batch, lr) of each experiment's networks."""
    (train_x, train_y, _), _ = position.seed_data(0)
    images, labels = digits.scans()
    x_digits, y_digits = on_canvas(images[:500]), labels[:500]
    out = [(f"position: {name}", lambda rng, o=options: position.network(rng, **o), train_x, train_y,
            position.EPOCHS, position.BATCH, position.LR) for name, (options, _) in position.MODELS.items()
           if name != position.COORDCONV]
    out += [(f"consistency: {kind}", lambda rng, k=kind: digit_network(k, rng), x_digits, y_digits, 2, C_BATCH, C_LR)
            for kind in ("max pooling", "max pooling + blur")]
    return out


def one_at_a_time(build, x, y, epochs, batch, lr):
    for seed in range(SEEDS):
        rng = np.random.default_rng(seed)
        nets.train(build(rng), x, y, rng, epochs=epochs, batch_size=batch, lr=lr)


def side_by_side(build, x, y, epochs, batch, lr):
    rngs = [np.random.default_rng(seed) for seed in range(SEEDS)]
    seeded.train(seeded.stack([build(rng) for rng in rngs]), x, y, rngs, epochs=epochs, batch_size=batch, lr=lr)


def best_of(fn, *args):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    with threadpoolctl.threadpool_limits(limits=1):
        print(f"{SEEDS} seeds, best of {REPEATS}, one BLAS thread")
        print(f"{'network':<55} {'one at a time':>14} {'side by side':>13} {'ratio':>6}")
        for name, build, x, y, epochs, batch, lr in cases():
            alone = best_of(one_at_a_time, build, x, y, epochs, batch, lr)
            together = best_of(side_by_side, build, x, y, epochs, batch, lr)
            print(f"{name:<55} {alone:>12.2f} s {together:>11.2f} s {alone / together:>6.2f}")


if __name__ == "__main__":
    main()
