"""Stress test for issue 11: does a `mkdocs build` ever hang (at exit, say) under load?

Builds a one-page copy of the project (as `tests/conftest.py::make_project` makes it),
N times, each in a fresh directory so KaTeX has no cached formula and V8 really runs,
alternating a page whose formula cannot be typeset (the build must fail naming the
page) and one whose formula is valid (the build must pass). Meanwhile busy loops keep
every core loaded, which is what made the old race between V8's teardown and the
interpreter's likely. A build still running after --timeout seconds counts as hung:
its stacks are dumped with py-spy (when installed) and its process group is killed.

    python benchmarks/build_hangs.py                 # 50 builds under load on every core
    python benchmarks/build_hangs.py --builds 100 --timeout 120

Prints one line per build and a summary: "hung: 0 of 50 ...". Exit status 1 if any
build hung or gave the wrong outcome.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import make_project  # noqa: E402  (the same one-page project the tests build)

PAGES = {
    "broken": "# Page\n\nBroken: $\\frac{1}{$.\n",
    "valid": "# Page\n\nValid: $\\frac{1}{2}$ and $$\\sum_i x_i^2$$\n",
}


def busy_loops(count):
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def one_build(kind, timeout):
    """(outcome, seconds, detail) for one build of a fresh one-page project."""
    with tempfile.TemporaryDirectory(prefix="hang-") as scratch:
        root = make_project(Path(scratch), {"index.md": PAGES[kind]})
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")]
        env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stacks = _dump(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return "hung", time.perf_counter() - start, stacks
        seconds = time.perf_counter() - start
    if kind == "broken":
        right = process.returncode != 0 and "index.md: cannot typeset" in stderr
    else:
        right = process.returncode == 0
    return ("ok" if right else "wrong"), seconds, "" if right else stderr[-2000:]


def _dump(pid):
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not os.access(spy, os.X_OK):
        return "(py-spy not installed: no stacks)"
    dump = subprocess.run([spy, "dump", "--native", "--pid", str(pid)], capture_output=True, text=True, timeout=60)
    return dump.stdout + dump.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds before a build counts as hung")
    parser.add_argument("--load", type=int, default=os.cpu_count() or 1, help="busy loops (default: one per core)")
    parser.add_argument("--kind", choices=["both", "broken", "valid"], default="both")
    args = parser.parse_args()

    kinds = ["broken", "valid"] if args.kind == "both" else [args.kind]
    counts = {kind: {"ok": 0, "hung": 0, "wrong": 0} for kind in kinds}
    loops = busy_loops(args.load)
    try:
        for number in range(args.builds):
            kind = kinds[number % len(kinds)]
            outcome, seconds, detail = one_build(kind, args.timeout)
            counts[kind][outcome] += 1
            print(f"build {number + 1:3d}/{args.builds}  {kind:6s}  {outcome:5s}  {seconds:6.1f} s", flush=True)
            if detail:
                print(detail, flush=True)
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()

    hung = sum(c["hung"] for c in counts.values())
    wrong = sum(c["wrong"] for c in counts.values())
    per_kind = ", ".join(f"{kind}: {c['hung']} of {sum(c.values())}" for kind, c in counts.items())
    print(f"hung: {hung} of {args.builds} builds ({per_kind}); wrong outcome: {wrong}; "
          f"load: {args.load} busy loop(s) on {os.cpu_count()} core(s); timeout {args.timeout:.0f} s")
    sys.exit(1 if hung or wrong else 0)


if __name__ == "__main__":
    main()
