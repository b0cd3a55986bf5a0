"""Training seeds side by side (snippets/lib/side_by_side.py, snippets/lib/patch_models.py) against
one after another (nets.train).

Times, on one BLAS thread as the build runs snippets, the networks of the experiments that
measure over seeds: the same seeds, data and epochs both ways, side by side in double
precision (nets.train's arithmetic) and in single (as snippets/equiv/consistency.py
trains). Prints the best of a few runs in seconds and the speed-up, one at a time divided
by side by side (below 1: slower); then the three learning-curve models at one training
set size, side by side as benchmarks/learning_runs.py trains them (patch_models, double
precision); then the whole shift-consistency experiment as the build runs it. Run it
on the machine whose build time matters, and note its load (`uptime`):

    python benchmarks/seeded_training.py
"""
import os
import time

import numpy as np
import threadpoolctl

from snippets.equiv import consistency
from snippets.equiv._common import on_canvas
from snippets.learning import _common as learning
from snippets.lib import digits, nets, patch_models, side_by_side
from snippets.sharing import position

SEEDS = 10
REPEATS = 3


def cases():
    """(name, build(rng), x, y, epochs, batch, lr) of each experiment's networks."""
    (train_x, train_y, _), _ = position.seed_data(0)
    images, labels = digits.scans()
    x_digits, y_digits = on_canvas(images[:consistency.TRAIN]), labels[:consistency.TRAIN]
    out = [(f"position: {name}", lambda rng, o=options: position.network(rng, **o), train_x, train_y,
            position.EPOCHS, position.BATCH, position.LR) for name, (options, _) in position.MODELS.items()
           if name != position.COORDCONV]
    out += [(f"consistency: {kind}", lambda rng, k=kind: consistency.network(k, rng), x_digits, y_digits,
             consistency.EPOCHS, consistency.BATCH, consistency.LR) for kind in consistency.NETWORKS]
    return out


def one_at_a_time(build, x, y, epochs, batch, lr):
    for seed in range(SEEDS):
        rng = np.random.default_rng(seed)
        nets.train(build(rng), x, y, rng, epochs=epochs, batch_size=batch, lr=lr)


def seeds_side_by_side(build, x, y, epochs, batch, lr, dtype):
    rngs = [np.random.default_rng(seed) for seed in range(SEEDS)]
    side_by_side.train(side_by_side.stack([build(rng) for rng in rngs], dtype), x, y, rngs, epochs=epochs, batch_size=batch,
                       lr=lr)


LEARNING_PER_CLASS = 10  # a middle size of the grid: 100 examples, MIN_STEPS updates


def learning_alone(name, data, chosen):
    """Ten seeds trained and tested one after another, as the experiment once ran."""
    for seed in range(SEEDS):
        learning.train_and_test(name, data, chosen, np.random.default_rng(seed))


def learning_side_by_side(name, data, chosen):
    """The same, the seeds side by side as learning.measure trains them."""
    window = learning.window(name)
    rngs = [np.random.default_rng(seed) for seed in range(SEEDS)]
    params = patch_models.train([learning.build(name, rng) for rng in rngs], patch_models.patches(data.x_train, window),
                             data.y_train, np.stack([chosen] * SEEDS), rngs, learning.epochs_for(len(chosen)),
                             learning.BATCH, learning.LEARNING_RATE)
    patch_models.accuracy(params, patch_models.patches(data.x_test, window), data.y_test)


def best_of(fn, *args):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    print(f"load average {os.getloadavg()[0]:.2f}; {SEEDS} seeds, best of {REPEATS}, one BLAS thread")
    print(f"{'network':<52} {'one at a time':>13} {'side by side, float64':>22} {'side by side, float32':>22}")
    with threadpoolctl.threadpool_limits(limits=1):
        for name, build, x, y, epochs, batch, lr in cases():
            alone = best_of(one_at_a_time, build, x, y, epochs, batch, lr)
            double, single = (best_of(seeds_side_by_side, build, x, y, epochs, batch, lr, dtype)
                              for dtype in (np.float64, np.float32))
            print(f"{name:<52} {alone:>11.2f} s {double:>9.2f} s (speed-up {alone / double:3.1f}) "
                  f"{single:>9.2f} s (speed-up {alone / single:3.1f})")
        data = learning.split()
        chosen = digits.balanced_subset(data.y_train, LEARNING_PER_CLASS, np.random.default_rng(0))
        for name in learning.MODELS:
            alone, together = (best_of(fn, name, data, chosen) for fn in (learning_alone, learning_side_by_side))
            print(f"{'learning curves: ' + name + f', {len(chosen)} examples':<52} {alone:>11.2f} s "
                  f"{together:>9.2f} s (speed-up {alone / together:3.1f})")
        images, labels = digits.scans()
        whole = best_of(consistency.run, images, labels)
        print(f"shift consistency, as built: both networks, {consistency.SEEDS} seeds trained and evaluated: "
              f"{whole:.2f} s")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
