"""Every snippet run once per test session, afresh and in-process, whichever test asks first.

The topic tests check a snippet's values, tests/site/test_figures.py the layout of its
figures, tests/pipeline/test_build.py that the site shows what it computed: all of them
read the same run. The run is the pipeline's own (`pipeline.running.run`: a fresh
import, BLAS on one thread), never the build's disk cache. While it draws, the layout
checks of tests/figure_layout.py read each figure; only their findings are kept.

Under pytest-xdist the workers share the runs through a folder of the session: the first
worker to ask for a snippet runs it while holding that snippet's lock and writes what it
found there; a worker asking meanwhile waits for it and reads the same. A run that
fails writes nothing, so whoever asks next runs it again and sees the same failure.
"""
import fcntl
import json
from dataclasses import dataclass
from pathlib import Path

from figure_layout import layout_problems
from pipeline.running import Result, run


@dataclass
class SnippetRun:
    result: Result
    layout: list  # [(figure id, theme, [layout problem, ...])] of every figure it drew


class SnippetRuns:
    """The session's snippet runs: `runs(name)` is a SnippetRun, `runs.values(name)` its values."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._read = {}  # name -> SnippetRun, as read back in this process

    def __call__(self, name):
        if name not in self._read:
            self._read[name] = self._run_or_read(name)
        return self._read[name]

    def values(self, name):
        return self(name).result.values

    def _run_or_read(self, name):
        file = self.folder / f"{name}.json"
        with open(self.folder / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also on a failure
            if not file.exists():
                layout = []
                result = run(name, check_figure=lambda fid, theme, fig: layout.append((fid, theme, layout_problems(fig))))
                partial = file.with_suffix(".partial")
                partial.write_text(json.dumps({"result": result.as_dict(), "layout": layout}), encoding="utf-8")
                partial.replace(file)
        # Every worker reads the file, the one that ran the snippet too: all see the same
        # JSON values (tuples as lists), as the site's values.json has them.
        data = json.loads(file.read_text(encoding="utf-8"))
        return SnippetRun(Result.from_dict(data["result"]), [tuple(entry) for entry in data["layout"]])
