"""Snippets run in worker processes, each run under a time limit, so that a snippet that
hangs or dies stops the build naming it instead of hanging it or ending it anonymously.

A worker is a fresh interpreter (spawned: no state shared with MkDocs) that runs one
snippet at a time (`running.run`, which imports the snippet afresh, so a worker kept warm
under `mkdocs serve` sees every edit). Before each run it arms faulthandler to write the
stack of every thread to a file when the run's time limit passes; the parent kills the
worker shortly after and fails the build with the snippet's path, the limit and that stack.
A worker that dies (a crash, `os._exit`) fails the build naming the snippet it was running
and its exit code.

The limit is generous by default (DEFAULT_TIME_LIMIT) and a snippet may set its own with a
module-level `TIME_LIMIT = <seconds>` (read from the source, without importing it).
"""
import ast
import faulthandler
import multiprocessing
import multiprocessing.connection
import os
import tempfile
import time
from pathlib import Path

from pipeline.discovery import SnippetError, snippet_file
from pipeline.paths import ROOT

DEFAULT_TIME_LIMIT = 180.0  # seconds; the slowest snippet takes about 10 s on one core
GRACE = 2.0  # after the limit: time for faulthandler to write the stack before the kill


def time_limit(path):
    """The snippet's `TIME_LIMIT = <number>` (module level), else the default."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return DEFAULT_TIME_LIMIT  # the run itself reports the problem, naming the snippet
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TIME_LIMIT" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, (int, float))):
            return float(node.value.value)
    return DEFAULT_TIME_LIMIT


def _pipeline_code():
    """The version of the pipeline's own code that a worker imports once."""
    return sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in Path(__file__).parent.glob("*.py"))


def _work(connection):
    """A worker's loop: run the snippets it is sent until it is sent None."""
    import sys

    # No .pyc written under snippets/: `mkdocs serve` watches that folder and would rebuild again.
    sys.dont_write_bytecode = True
    from pipeline.running import run  # imported here: numpy and matplotlib load once per worker

    while True:
        job = connection.recv()
        if job is None:
            return
        name, limit, dump = job
        with open(dump, "w", encoding="utf-8") as stack:
            faulthandler.dump_traceback_later(limit, file=stack)
            try:
                reply = ("result", run(name))
            except SnippetError as error:
                reply = ("error", str(error))
            except BaseException as error:  # the pipeline's own failure: still name the snippet
                reply = ("error", f"{snippet_file(name).relative_to(ROOT).as_posix()}: {type(error).__name__}: {error}")
            finally:
                faulthandler.cancel_dump_traceback_later()
        connection.send(reply)


class _Worker:
    def __init__(self, context):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, args=(child,), daemon=True, name="snippet-worker")
        self.process.start()
        child.close()
        self.job = None  # (name, where, limit, deadline, dump file) while running one

    def start(self, name, dump):
        path = snippet_file(name)
        limit = time_limit(path)
        self.job = (name, path.relative_to(ROOT).as_posix(), limit, time.monotonic() + limit + GRACE, dump)
        self.connection.send((name, limit, dump))

    def kill(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.connection.close()


class Workers:
    """Up to `size` worker processes, started when first needed and kept until `close()`
    (or the end of a `with` block): one build, or every rebuild of `mkdocs serve`."""

    def __init__(self, size=None):
        self.size = max(1, size or os.cpu_count() or 1)
        self._idle = []
        self._context = multiprocessing.get_context("spawn")
        self._code = _pipeline_code()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def warm(self):
        """Start one worker now (it loads numpy and matplotlib while nothing waits for it)."""
        if not self._idle:
            self._idle.append(_Worker(self._context))

    def close(self):
        """Stop every worker (idempotent)."""
        workers, self._idle = self._idle, []
        for worker in workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.process.join(timeout=5)
            worker.kill()

    def run(self, names):
        """The Results of the named snippets, in the order given; the first failure (an
        error, a time limit passed, a worker that died) stops the others and raises
        SnippetError naming its snippet."""
        if self._code != _pipeline_code():  # warm workers run the old pipeline: start new ones
            self.close()
            self._code = _pipeline_code()
        results, todo, busy = {}, list(names), []
        with tempfile.TemporaryDirectory(prefix="sw-stacks-") as stacks:
            try:
                while todo or busy:
                    while todo and len(busy) < self.size:
                        name = todo.pop(0)
                        busy.append(self._start(name, os.path.join(stacks, f"{name}.txt")))
                    deadline = min(w.job[3] for w in busy)
                    ready = multiprocessing.connection.wait([w.connection for w in busy],
                                                            timeout=max(0.0, deadline - time.monotonic()))
                    for worker in list(busy):
                        if worker.connection in ready:
                            results[worker.job[0]] = self._reply(worker)
                            busy.remove(worker)
                            worker.job = None
                            self._idle.append(worker)
                        elif time.monotonic() >= worker.job[3]:
                            busy.remove(worker)
                            self._timed_out(worker)
            except BaseException:
                for worker in busy:  # the others stop too: their results would be thrown away
                    worker.kill()
                raise
        return [results[name] for name in names]

    def _start(self, name, dump):
        while self._idle:  # a warm worker, if one is still alive
            worker = self._idle.pop()
            try:
                worker.start(name, dump)
                return worker
            except OSError:
                worker.kill()
        worker = _Worker(self._context)
        worker.start(name, dump)
        return worker

    def _reply(self, worker):
        name, where, *_ = worker.job
        try:
            kind, payload = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=10)
            code = worker.process.exitcode
            worker.kill()
            raise SnippetError(f"{where}: the process running it died (exit code {code}) before it "
                               "returned its values") from None
        if kind == "error":
            raise SnippetError(payload)
        return payload

    def _timed_out(self, worker):
        _, where, limit, _, dump = worker.job
        worker.kill()
        try:
            stack = Path(dump).read_text(encoding="utf-8").strip()
        except OSError:
            stack = ""
        raise SnippetError(f"{where}: still running after its time limit of {limit:g} s, stopped "
                           "(a snippet sets its own with TIME_LIMIT = <seconds>). Where it was:\n"
                           f"{stack or '(no stack written)'}")
