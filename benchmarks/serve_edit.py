"""What a writer waits for under `mkdocs serve`: from saving a prose edit, or a snippet
edit, to the page that shows it (issues 11 and 21). Targets on 2 cores: median <= 1.5 s
for prose, <= 2 s for a snippet.

In one run, on a fresh `git clone` of the current commit (tests included, no caches,
the venv already installed: the command `make serve` runs once its install step has
nothing to do):

1. cold start: seconds from `python -m mkdocs serve` to the first served page (every
   snippet and notebook runs: the clean build of a fresh clone);
2. edit to served page: append a unique sentence to docs/index.md, poll the served
   page until the sentence is there; --edits times (median reported), restoring the
   file (and waiting for that rebuild) after each;
3. snippet edit to served page: replace --old by --new in --snippet (by default a
   constant of snippets/basics/stride.py, which changes values and a figure of the
   Basics page), poll that page until it differs; --edits times, restoring after each;
4. the prose edits under `mkdocs serve` of a bare Material build of the same Markdown
   (no hooks, no macros, no notebooks: the floor MkDocs and Material cost alone), and
   the ratio of the two medians.

    python benchmarks/serve_edit.py [--edits 5] [--repo .] [--commit HEAD] [--keep]
        [--snippet snippets/basics/stride.py --old "SIDE, KERNEL = 7, 3" --new "SIDE, KERNEL = 8, 3" --page basics/]

Every wait is bounded (--timeout); the serve processes are killed in every case.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


LIVERELOAD = re.compile(r"livereload\(\d+, \d+\)")  # serve's script names the build it served: not content


def content(url):
    """The page as served, without the livereload script's build numbers."""
    page = fetch(url)
    return None if page is None else LIVERELOAD.sub("", page)


def wait_for(predicate, timeout, what, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


class Serve:
    """`mkdocs serve` of `config` in `checkout`, in its own process group, its log in a file."""

    def __init__(self, checkout, config, timeout):
        self.checkout, self.port, self.timeout = Path(checkout), free_port(), timeout
        # the page itself, under site_url's path: `/` answers with a redirect, which serve
        # logs as a warning, and a warning during a rebuild aborts it in strict mode
        site_url = yaml.safe_load((self.checkout / config).read_text(encoding="utf-8")).get("site_url") or "/"
        self.url = f"http://127.0.0.1:{self.port}{urlsplit(site_url).path or '/'}"
        self.log_path = self.checkout.parent / f"serve-{self.port}.log"  # outside what serve watches
        self.log = open(self.log_path, "w")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(self.checkout), os.environ.get("PYTHONPATH")]))}
        self.start = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", config, "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=self.checkout, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def first_page(self):
        """Seconds from the command to the first served page."""
        def up():
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve exited:\n{self.log_path.read_text()[-3000:]}")
            return fetch(self.url) is not None
        return wait_for(up, self.timeout, "the first served page") - self.start

    def edit(self, page, number):
        """Seconds from saving an appended sentence to the served page showing it."""
        original = page.read_bytes()
        sentence = f"Serve benchmark sentence {number} {uuid.uuid4().hex}."
        try:
            start = time.monotonic()
            page.write_bytes(original + f"\n\n{sentence}\n".encode())
            seconds = wait_for(lambda: sentence in (fetch(self.url) or ""), self.timeout, "the edit") - start
        finally:
            page.write_bytes(original)
        wait_for(lambda: sentence not in (fetch(self.url) or sentence), self.timeout, "the restore")
        time.sleep(0.5)  # let the watcher settle before the next edit
        return seconds

    def edit_snippet(self, snippet, old, new, page):
        """Seconds from saving a snippet edit to `page` (under the site's URL) showing a change."""
        url = self.url + page
        original = snippet.read_bytes()
        assert original.count(old.encode()) == 1, f"{snippet} does not contain {old!r} once"
        before = content(url)
        try:
            start = time.monotonic()
            snippet.write_bytes(original.replace(old.encode(), new.encode()))
            seconds = wait_for(lambda: (content(url) or before) != before, self.timeout, "the snippet edit") - start
        finally:
            snippet.write_bytes(original)
        wait_for(lambda: content(url) == before, self.timeout, "the snippet restore")
        time.sleep(0.5)
        return seconds

    def rebuild_times(self):
        return [float(s) for s in BUILT.findall(self.log_path.read_text())]

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.log.close()


def bare_config(checkout):
    """The site's config without hooks, macros and notebooks (values stay template text)."""
    config = yaml.safe_load((checkout / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = []
    config["plugins"] = ["search"]
    config["theme"].pop("custom_dir", None)  # our templates read the plugin's page facts: Material's own
    config["nav"] = [item for item in config["nav"] if "notebooks/" not in str(item) and "provenance" not in str(item)]
    config["strict"] = False  # dangling links to the generated pages
    (checkout / "bare.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return "bare.yml"


def measure(checkout, config, edits, timeout, snippet_edit=None):
    serve = Serve(checkout, config, timeout)
    try:
        cold = serve.first_page()
        times = [serve.edit(checkout / "docs" / "index.md", n) for n in range(edits)]
        snippet_times = []
        if snippet_edit:
            snippet, old, new, page = snippet_edit
            snippet_times = [serve.edit_snippet(checkout / snippet, old, new, page) for _ in range(edits)]
        return cold, times, snippet_times, serve.rebuild_times()
    finally:
        serve.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--repo", default=str(ROOT), help="the repository to clone")
    parser.add_argument("--commit", default="HEAD", help="the commit to measure (default: the repository's HEAD)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds any one wait may take")
    parser.add_argument("--keep", action="store_true", help="keep the clone (with the serve logs)")
    parser.add_argument("--snippet", default="snippets/basics/stride.py", help="the snippet to edit")
    parser.add_argument("--old", default="SIDE, KERNEL = 7, 3", help="text of the snippet to replace")
    parser.add_argument("--new", default="SIDE, KERNEL = 8, 3", help="what replaces it")
    parser.add_argument("--page", default="basics/", help="the page that shows the snippet's values")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="serve-edit-"))
    try:
        checkout = scratch / "clone"
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", args.repo, str(checkout)], check=True, timeout=120)
        commit = subprocess.run(["git", "-C", args.repo, "rev-parse", args.commit], capture_output=True,
                                text=True, check=True, timeout=30).stdout.strip()
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=checkout, check=True, timeout=60)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True,
                                text=True, check=True, timeout=30).stdout.strip()
        cold, site, snippet, site_builds = measure(checkout, "mkdocs.yml", args.edits, args.timeout,
                                                   (args.snippet, args.old, args.new, args.page))
        _, bare, _, bare_builds = measure(checkout, bare_config(checkout), args.edits, args.timeout)
    finally:
        if args.keep:
            print(f"clone kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    def show(times):
        return ", ".join(f"{t:.2f}" for t in times)

    site_median, bare_median, snippet_median = statistics.median(site), statistics.median(bare), statistics.median(snippet)
    print(f"commit {commit}, {os.cpu_count()} cores, fresh clone with tests/, venv installed")
    print(f"cold `mkdocs serve` to first served page      {cold:6.2f} s")
    print(f"edit to served page, this site (median of {len(site)})  {site_median:6.2f} s   [{show(site)}]   (target <= 1.5 s)")
    print(f"snippet edit to served page (median of {len(snippet)})   {snippet_median:6.2f} s   [{show(snippet)}]   (target <= 2 s)")
    print(f"edit to served page, bare Material (median)   {bare_median:6.2f} s   [{show(bare)}]")
    print(f"ratio site / bare                             {site_median / bare_median:6.2f}x")
    print(f"serve's own 'built in' times, site rebuilds: {show(site_builds[1:])} (initial {site_builds[0]:.2f}); "
          f"bare rebuilds: {show(bare_builds[1:])}")
    sys.exit(0 if site_median <= 1.5 and snippet_median <= 2 else 1)


if __name__ == "__main__":
    main()
