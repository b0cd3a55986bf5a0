"""The learning-curve experiment, run and recorded: every model, size and seed.

Three models × nine training-set sizes × ten seeds, on shifted and on centred digits:
540 trainings for the page. The same grid again on the held-out seed block (seeds
1000–1009), and on those seeds with another data split (another test set, other
positions), is recorded beside them: tests/learning checks every claim the page makes
about the experiment on those blocks too, and retrains a sample of their runs. The seeds of a model and size train side by side
(snippets/lib/patch_models.py), faster than one after another, but
the locally connected model alone still costs several milliseconds per update (its 64
weight matrices per seed are as many small products and a large Adam step), so the
experiment takes longer than a whole clean build of the site may. This script therefore
runs it (both placements in parallel, one BLAS thread each, as the build runs snippets),
prints how long each model took, and records every run in
benchmarks/results/learning_runs.json, which snippets/learning/curves.py and centred.py
read. The runs are seeded and the arithmetic is nets' float64, so a rerun of unchanged
code records the same numbers; tests/learning/test_curves.py retrains a sample with
`nets.train` one seed at a time and fails when the record no longer matches.

    python benchmarks/learning_runs.py
"""
import concurrent.futures
import datetime
import json
import multiprocessing
import sys
import time
from pathlib import Path

import threadpoolctl

from pipeline.keys import code_key
from pipeline.paths import ROOT
from snippets.learning import _common as learning

OUT = Path(__file__).resolve().parent / "results" / "learning_runs.json"
PLACEMENTS = ("random", "centred")
# block: (seeds, data split's seed); "page" is what the page shows, the others are held out
BLOCKS = {
    "page": (range(learning.SEEDS), learning.DATA_SEED),
    "held-out seeds": (learning.HELD_OUT, learning.DATA_SEED),
    "held-out seeds, new split": (learning.HELD_OUT, learning.HELD_OUT_DATA_SEED),
}


def runs(job):
    """Every run of one block on digits placed `placement`, and the seconds each model took."""
    block, placement = job
    seeds, data_seed = BLOCKS[block]
    done, seconds = [], {}
    with threadpoolctl.threadpool_limits(limits=1):
        for name in learning.MODELS:
            start = time.perf_counter()
            done += learning.measure(placement, learning.PER_CLASS, seeds, models=(name,), data_seed=data_seed)
            seconds[name] = round(time.perf_counter() - start, 1)
    return block, placement, done, seconds


def main():
    context = multiprocessing.get_context("spawn")
    jobs = [(block, placement) for block in BLOCKS for placement in PLACEMENTS]
    with concurrent.futures.ProcessPoolExecutor(len(PLACEMENTS), mp_context=context) as pool:
        results = list(pool.map(runs, jobs))
    for block, placement, _, seconds in results:
        print(f"{block}, {placement}: " + ", ".join(f"{name} {s} s" for name, s in seconds.items()),
              file=sys.stderr)
    page = [r for r in results if r[0] == "page"]
    record = {
        "what": "one row per run: model, training examples, seed, train and test accuracy",
        "date": datetime.date.today().isoformat(),
        "grid": {"per_class": list(learning.PER_CLASS), "seeds": learning.SEEDS},
        "seconds": {placement: seconds for _, placement, _, seconds in page},
        "runs": {placement: done for _, placement, done, _ in page},
        "held_out": {block: {"seeds": list(seeds), "data_seed": data_seed,
                             "runs": {placement: done for b, placement, done, _ in results if b == block}}
                     for block, (seeds, data_seed) in BLOCKS.items() if block != "page"},
        "code_key": code_key(Path(__file__)),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"{sum(len(done) for _, _, done, _ in results)} runs; wrote {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
