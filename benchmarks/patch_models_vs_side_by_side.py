"""Is patch_models still needed beside side_by_side? Both train the three learning-curve
models (snippets/learning) with ten seeds side by side; this times them on the same seeds,
examples and epochs (one BLAS thread, as the build runs snippets; float64; best of 2) and
says whether the seeds' test accuracies agree exactly. Argument: examples per digit.

    python benchmarks/patch_models_vs_side_by_side.py 10
"""
import os
import sys
import time
from pathlib import Path

import numpy as np
import threadpoolctl

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]  # this checkout's snippets, not an installed copy
from snippets.learning import _common as learning  # noqa: E402
from snippets.lib import digits, patch_models, side_by_side  # noqa: E402
SEEDS = 10
PER_CLASS = int(sys.argv[1])
data = learning.split()
chosen = digits.balanced_subset(data.y_train, PER_CLASS, np.random.default_rng(0))
print(f"load {os.getloadavg()[0]:.2f}; {len(chosen)} examples, {SEEDS} seeds, best of 2")


def patchwise(name):
    w = learning.window(name); rngs = [np.random.default_rng(s) for s in range(SEEDS)]
    p = patch_models.train([learning.build(name, r) for r in rngs], patch_models.patches(data.x_train, w), data.y_train,
                           np.stack([chosen] * SEEDS), rngs, learning.epochs_for(len(chosen)), learning.BATCH, learning.LEARNING_RATE)
    return patch_models.accuracy(p, patch_models.patches(data.x_test, w), data.y_test)


def general(name):
    rngs = [np.random.default_rng(s) for s in range(SEEDS)]
    m = side_by_side.stack([learning.build(name, r) for r in rngs])
    side_by_side.train(m, data.x_train[chosen], data.y_train[chosen], rngs, epochs=learning.epochs_for(len(chosen)),
                       batch_size=learning.BATCH, lr=learning.LEARNING_RATE)
    return side_by_side.accuracy(m, data.x_test, data.y_test)


with threadpoolctl.threadpool_limits(limits=1):
    for name in learning.MODELS:
        res = {}
        for fn in (patchwise, general):
            ts = []
            for _ in range(2):
                t = time.perf_counter(); acc = fn(name); ts.append(time.perf_counter() - t)
            res[fn.__name__] = (min(ts), acc)
        (tp, ap), (tg, ag) = res["patchwise"], res["general"]
        print(f"{name:<20} patch_models {tp:6.2f} s  side_by_side {tg:6.2f} s  ratio {tg / tp:4.2f}  "
              f"same accuracies: {np.array_equal(ap, ag)}  max diff {np.abs(ap - ag).max():.4f}", flush=True)
