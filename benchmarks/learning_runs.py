"""The learning-curve experiment, run once and recorded: every model, size and seed.

Ten seeds at every training-set size of the full grid take minutes, far more than the
site's build may spend, so this script runs them (both placements in parallel, one BLAS
thread each, as the build runs snippets) and records every run (with `code_key`, for
reference: it changes when this script or a module it imports changes) in
benchmarks/results/learning_runs.json, which snippets/learning/curves.py and centred.py
read. The runs are seeded, so a rerun of unchanged training code records the same
numbers; tests/learning retrain a sample of the recorded runs and fail when they no
longer come out the same, that is, when the training code changed since the record.

    python benchmarks/learning_runs.py
"""
import concurrent.futures
import datetime
import json
import multiprocessing
import sys
from pathlib import Path

import threadpoolctl

from pipeline.keys import code_key
from pipeline.paths import ROOT
from snippets.learning import _common as learning

OUT = Path(__file__).resolve().parent / "results" / "learning_runs.json"
PLACEMENTS = ("random", "centred")


def runs(placement):
    with threadpoolctl.threadpool_limits(limits=1):
        grid = learning.FULL
        return placement, learning.measure(placement, grid.per_class, grid.seeds, placement)


def main():
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(len(PLACEMENTS), mp_context=context) as pool:
        done = dict(pool.map(runs, PLACEMENTS))
    record = {
        "what": "one row per run: model, training examples, seed, train and test accuracy",
        "date": datetime.date.today().isoformat(),
        "grid": learning.FULL._asdict(),
        "runs": done,
        "code_key": code_key(Path(__file__)),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"{sum(len(r) for r in done.values())} runs; wrote {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
