"""How long the site takes to build: clean, after a prose-only edit, and without snippets.

Runs in a scratch copy of the project, so caches and docs of the checkout are untouched.
`python benchmarks/build_times.py` prints one line per case and the ratios. Targets on
2 cores: a clean build of the whole site <= 30 s; a prose-only rebuild <= 1.5 s.

"Prose-only rebuild" is the second build of `mkdocs serve` after a Markdown edit, in the
same process, with the snippet results and notebooks cached, in a copy without tests/:
not what a writer waits for (watching, serving, a checkout with its tests), which
benchmarks/serve_edit.py measures. The third case builds
the same Markdown with the snippet hook, the macros and the notebooks switched off
(values left as raw template text), as the floor that MkDocs and Material cost alone.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IN_PROCESS = """
import sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

def once(**overrides):
    start = time.perf_counter()
    build(load_config("mkdocs.yml", strict=True, **overrides))
    return time.perf_counter() - start

mode = sys.argv[1]
if mode == "clean":
    print(f"{once():.2f}")
elif mode == "prose":  # the median of three edits: one rebuild alone varies by a third
    once()
    page = Path("docs/index.md")
    times = []
    for edit in range(3):
        page.write_text(page.read_text() + f"\\nAn edit to the prose, number {edit}.\\n")
        times.append(once())
    print(f"{sorted(times)[1]:.2f}")
elif mode == "bare":  # the same floor as serve_edit.py's
    sys.path.insert(0, "benchmarks")
    from serve_edit import bare_config
    config = bare_config(Path("."))
    start = time.perf_counter()
    build(load_config(config))
    print(f"{time.perf_counter() - start:.2f}")
"""


def measure(mode):
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        for entry in ("mkdocs.yml", "docs", "snippets", "pipeline", "hooks", "overrides", "benchmarks"):
            src = ROOT / entry
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / entry)
        run = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, mode], cwd=copy, capture_output=True, text=True,
            env={"PYTHONPATH": str(copy), "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}, timeout=600,
        )
        if run.returncode:
            sys.exit(f"{mode} build failed:\n{(run.stdout + run.stderr)[-3000:]}")
        return float(run.stdout.strip().splitlines()[-1])


def main():
    clean, prose, bare = measure("clean"), measure("prose"), measure("bare")
    print(f"clean build, every snippet and notebook run   {clean:6.2f} s   (target <= 30 s)")
    print(f"rebuild after a prose-only edit (serve)       {prose:6.2f} s   (target <= 1.5 s; median of 3)")
    print(f"same Markdown, no snippets/macros/notebooks   {bare:6.2f} s")
    print(f"clean / bare = {clean / bare:.1f}x    prose rebuild / bare = {prose / bare:.2f}x")


if __name__ == "__main__":
    main()
