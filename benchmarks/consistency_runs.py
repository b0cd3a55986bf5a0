"""The shift-consistency experiment, run once and recorded: both networks, every seed.

Ten seeds of two digit classifiers take longer than the site's build may spend, so this
script trains them (seeds split over two processes, one BLAS thread each, as the build
runs snippets) and records what each seed measured in
benchmarks/results/consistency_runs.json, which snippets/equiv/consistency.py reads. The
runs are seeded, so a rerun of unchanged code records the same numbers;
tests/equiv/test_consistency.py retrains a seed and fails when it no longer comes out
the same, that is, when the training code changed since the record.

    python benchmarks/consistency_runs.py
"""
import concurrent.futures
import datetime
import json
import multiprocessing
import sys
from pathlib import Path

import numpy as np
import threadpoolctl

from pipeline.keys import code_key
from pipeline.paths import ROOT
from snippets.equiv import consistency
from snippets.lib import digits

OUT = Path(__file__).resolve().parent / "results" / "consistency_runs.json"


def plain(run):
    """A seed's results as JSON: arrays as lists."""
    return {name: {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in r.items()}
            for name, r in run.items()}


def seeds(chunk):
    images, labels = digits.scans()
    with threadpoolctl.threadpool_limits(limits=1):
        return [plain(consistency.run_seed(seed, images, labels)) for seed in chunk]


def main():
    all_seeds = list(range(consistency.SEEDS))
    chunks = [all_seeds[0::2], all_seeds[1::2]]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(len(chunks), mp_context=context) as pool:
        done = list(pool.map(seeds, chunks))
    runs = dict(zip(chunks[0] + chunks[1], done[0] + done[1]))
    record = {
        "what": "per seed: each network's accuracies, consistency, accuracy along a row of shifts",
        "date": datetime.date.today().isoformat(),
        "runs": [runs[seed] for seed in all_seeds],
        "code_key": code_key(Path(__file__)),
    }
    OUT.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"{len(all_seeds)} seeds; wrote {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
