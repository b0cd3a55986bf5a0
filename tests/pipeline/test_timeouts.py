"""No test can hang the suite (issue 11): a hung child process fails its test, killed
with everything it started, and every test runs under pytest-timeout."""
import sys
import time

import pytest

from conftest import run_with_timeout


def test_a_hung_subprocess_fails_the_test_in_time_and_is_killed(tmp_path):
    marker = tmp_path / "grandchild-alive"
    # the child starts a grandchild that would touch `marker` after 3 s, then hangs
    grandchild = f"import time; time.sleep(3); open({str(marker)!r}, 'w')"
    script = ("import subprocess, sys, time\n"
              f"subprocess.Popen([sys.executable, '-c', {grandchild!r}])\n"
              "print('started', flush=True)\n"
              "time.sleep(600)\n")
    start = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match=r"(?s)still running after 1 s, killed.*started"):
        run_with_timeout([sys.executable, "-c", script], timeout=1)
    assert time.monotonic() - start < 30
    time.sleep(4)
    assert not marker.exists(), "the grandchild outlived the timeout"


def test_the_suite_runs_under_a_per_test_timeout_that_dumps_stacks(request):
    assert float(request.config.getini("timeout")) > 0
    assert request.config.getini("timeout_method") == "thread"  # ends hangs in native code too, with every stack
    assert request.config.pluginmanager.hasplugin("timeout")
