"""No test can hang the suite (issue 11): a hung child process fails its test, killed
with everything it started, and every test runs under pytest-timeout."""
import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from conftest import run_with_timeout


def test_a_hung_subprocess_fails_the_test_in_time_and_is_killed():
    # the child starts a grandchild that would sleep for ten minutes, says its pid, then hangs
    script = ("import subprocess, sys, time\n"
              "grandchild = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
              "print('started', grandchild.pid, flush=True)\n"
              "time.sleep(600)\n")
    start = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match=r"(?s)still running after 1 s, killed.*started") as failed:
        run_with_timeout([sys.executable, "-c", script], timeout=1)
    assert time.monotonic() - start < 30
    grandchild = int(re.search(r"started (\d+)", str(failed.value)).group(1))
    deadline = time.monotonic() + 10  # SIGKILL is delivered at once; the exit may take a moment
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(grandchild):
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail("the grandchild outlived the timeout")


def alive(pid):
    """Whether the process runs (a zombie has ended: only its parent has not reaped it yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"  # the state follows the command's name


def test_the_suite_runs_under_a_per_test_timeout_that_dumps_stacks(request):
    assert float(request.config.getini("timeout")) > 0
    assert request.config.getini("timeout_method") == "thread"  # ends hangs in native code too, with every stack
    assert request.config.pluginmanager.hasplugin("timeout")
