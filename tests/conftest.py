"""Shared fixtures: the session's snippet runs and a snippet's values for the tests that
cover them, the built site, the site served on 127.0.0.1 and Debian's Chromium driven by
Playwright."""
import contextlib
import fcntl
import functools
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path, PurePath

import pytest
import yaml

from pipeline.discovery import discover, snippet_files
from pipeline.paths import ROOT
from pipeline.render import source_page
from snippet_runs import SnippetRuns


# Every claim about an experiment is checked on the page's block of seeds and on a held-out
# block (issue 20). A `blocks` fixture parametrized over SEED_BLOCKS runs each such test
# once per block: `make check` the page's block only (-m "not heldout"), `make test` both.
SEED_BLOCKS = [pytest.param("page"), pytest.param("held-out", marks=pytest.mark.heldout)]


@pytest.fixture(scope="session")
def snippet_runs(tmp_path_factory, worker_id):
    """Every snippet run once per session (tests/snippet_runs.py): `snippet_runs(name)` is
    the run, `snippet_runs.values(name)` its values. The xdist workers share the runs."""
    return SnippetRuns(_session_folder(tmp_path_factory, worker_id) / "snippet-runs")


def _session_folder(tmp_path_factory, worker_id):
    """The session's temporary folder that every xdist worker sees (each has its own under it)."""
    folder = tmp_path_factory.getbasetemp()
    return folder.parent if worker_id != "master" else folder


class ReadTracker(dict):
    """The values of one snippet, remembering which ones a test has read."""

    def __init__(self, data):
        super().__init__(data)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


@pytest.fixture
def values(request, snippet_runs):
    """The values of the snippet named by the test's `covers` marker.

    After the test, every value the marker claims to cover must have been read:
    a test cannot claim coverage it does not check."""
    marker = request.node.get_closest_marker("covers")
    if marker is None or not marker.args:
        pytest.fail("a test using `values` needs @pytest.mark.covers(snippet, value, ...)")
    snippet, *claimed = marker.args
    tracker = ReadTracker(snippet_runs.values(snippet))
    unknown = set(claimed) - set(tracker)
    if unknown:
        pytest.fail(f"covers() names values that {snippet} does not compute: {sorted(unknown)}")
    yield tracker
    unread = set(claimed) - tracker.read
    if unread:
        pytest.fail(f"the test claims to cover {sorted(unread)} of {snippet} but never reads them")


# --- the built site ------------------------------------------------------------------------


# Every subprocess a test starts has a timeout, so a hung child fails its test in minutes
# with its output so far (a clean build of the whole site takes about 21 s on 2 cores).
SUBPROCESS_TIMEOUT = 300


def run_with_timeout(command, timeout=SUBPROCESS_TIMEOUT, **kwargs):
    """subprocess.run(command, capture_output=True, text=True, **kwargs), except that a
    child still running after `timeout` seconds is killed with everything it started
    (snippet workers, notebook kernels) and the test fails showing the child's output."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            try:
                stdout, stderr = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:  # a grandchild that left the group holds the pipes
                stdout, stderr = "", "(output lost: the pipes stayed open)"
            pytest.fail(f"{' '.join(map(str, command))}\nstill running after {timeout} s, killed; "
                        f"its output:\n{(stdout + stderr)[-6000:]}")
        except BaseException:  # KeyboardInterrupt, a pytest-timeout: leave no build behind
            _kill_group(process)
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def mkdocs_build(config_file, site_dir, env=None, tool="mkdocs"):
    """Run a strict `mkdocs build` (or `properdocs build`, the fork's same command); return
    the completed process (raises only if it hangs)."""
    return run_with_timeout(
        [sys.executable, "-m", tool, "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        cwd=Path(config_file).parent, env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id):
    """The site, built once per session with the same strict command as CI.

    Under pytest-xdist (`-n 2`, what `make test` runs) the workers share one build: the
    first to ask builds it into the session's common temporary folder while holding a lock
    (or the controller has started it already, see pytest_sessionstart), the others wait
    for it and read the same folder (or the same failure).
    SW_SITE=<dir> uses a site already built there instead (to iterate on a site test
    without rebuilding; CI never sets it)."""
    if os.environ.get("SW_SITE"):
        return Path(os.environ["SW_SITE"])
    common = _session_folder(tmp_path_factory, worker_id)
    with open(common / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if a test is interrupted
        _build_site_once(common)
    failure = common / "site-build-failed.txt"
    if failure.exists():
        pytest.fail(f"mkdocs build --strict failed:\n{failure.read_text(encoding='utf-8')}")
    return common / "site"


def _build_site_once(common):
    """Build the site into common/site unless it is there or failed (the caller holds the lock)."""
    site_dir, failure = common / "site", common / "site-build-failed.txt"
    if site_dir.exists() or failure.exists():
        return
    partial = common / "site.partial"  # renamed only once whole: no worker reads half a site
    shutil.rmtree(partial, ignore_errors=True)
    build = mkdocs_build(ROOT / "mkdocs.yml", partial)
    if build.returncode:
        failure.write_text(build.stderr[-6000:], encoding="utf-8")
    else:
        partial.rename(site_dir)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """`make test` (the whole suite on xdist workers): the controller starts the one site
    build at once, in a thread holding the lock, so that it runs beside the first tests
    instead of stopping a worker at its first site test (measured: 15 s idle). Any
    narrower run (paths, -m, -k, SW_SITE) builds on demand in the `site` fixture."""
    config = session.config
    whole_suite = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if (hasattr(config, "workerinput") or not config.getoption("numprocesses", None) or not whole_suite
            or config.option.markexpr or config.option.keyword or config.option.collectonly
            or os.environ.get("SW_SITE")):
        return
    common = config._tmp_path_factory.getbasetemp()  # what xdist gives each worker a folder under
    lock = open(common / "site.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # taken before any worker starts

    def build():
        with lock:
            try:
                _build_site_once(common)
            except BaseException as error:  # a hung build (run_with_timeout fails): the fixture says so
                (common / "site-build-failed.txt").write_text(str(error)[-6000:], encoding="utf-8")

    threading.Thread(target=build, name="site-build", daemon=True).start()


# --- which pages the site has --------------------------------------------------------------


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its tags (!ENV, !!python/name, ...)."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def expected_pages():
    """URL paths (relative to the site root) of every page the build produces."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    docs = ROOT / config.get("docs_dir", "docs")
    notebooks = []
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "mkdocs-jupyter" in plugin:
            notebooks = (plugin["mkdocs-jupyter"] or {}).get("include", ["*.py", "*.ipynb"])
    sources = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file() and (
        p.suffix == ".md" or (p.suffix in (".py", ".ipynb") and any(p.match(g) for g in notebooks)))]
    sources += [source_page(name) for name in discover()]
    sources.append("provenance.md")  # generated by the plugin (pipeline/plugin.py)
    urls = set()
    for src in sources:  # use_directory_urls: a/b.md -> a/b/, a/index.md -> a/
        stem = PurePath(src).with_suffix("")
        url = stem.parent if stem.name == "index" else stem
        urls.add("" if url == PurePath(".") else f"{url.as_posix()}/")
    return sorted(urls)


def built_pages(site):
    """URL paths of every HTML page in the built site (the 404 page aside)."""
    urls = set()
    for path in Path(site).rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        urls.add(rel.removesuffix("index.html"))
    return sorted(urls)


PAGES = expected_pages()


def _browser_pages():
    """PAGES with one generated source page standing for all of them: they come from one
    template (pipeline/render.py), so the browser loads the first whose snippet draws a
    figure (a table, code and figures) instead of every one. The static checks of the
    built site (links, values, figures) still read every source page."""
    files = snippet_files()
    drawing = [name for name in sorted(files) if "def figure_" in files[name].read_text(encoding="utf-8")]
    keep = f"sources/{(drawing or sorted(files))[0]}/"
    return [p for p in PAGES if not p.startswith("sources/") or p == keep]


BROWSER_PAGES = _browser_pages()

# Interactive figures (docs/assets/widgets/) are checked as the reader sees them: mounted.
WIDGETS_MOUNTED = "() => !document.querySelector('[data-sw-widget]:not([data-sw-ready])')"


# --- the widgets' pure modules in V8 --------------------------------------------------------

WIDGET_DIR = ROOT / "docs" / "assets" / "widgets"


@contextlib.contextmanager
def widget_modules(*modules, mutation=None):
    """The pure (DOM-free) widget modules, e.g. "stack.js", evaluated in V8 through mini-racer
    (the engine the build already runs KaTeX in; tests/jsmodules.py loads a module with
    what it imports), each module's exports on `window.sharedWeights.<module>` (one object
    per module, as dom.js gives one per widget: conv.js and matrix.js both export `reach`).
    Yields `evaluate(script, arg)`, which calls the JavaScript function `script` on the
    JSON-able `arg` like Playwright's page.evaluate. `mutation` = (module, old, new)
    serves one module with `old` replaced (it must occur exactly once). The context is
    closed explicitly (see pipeline/typeset.py)."""
    from jsmodules import Modules

    names = [module.removesuffix(".js") for module in modules]
    mutate = None
    if mutation:
        module, old, new = mutation
        source = (WIDGET_DIR / module).read_text(encoding="utf-8")
        assert source.count(old) == 1, f"{module} no longer contains {old!r}: update the mutation"
        mutate = {module.removesuffix(".js"): lambda text: text.replace(old, new)}
    with Modules(*names, mutate=mutate) as js:
        exports = ", ".join(f"{name}: __sw_{name}" for name in names)
        js.context.eval(f"globalThis.window = globalThis; window.sharedWeights = {{{exports}}};")
        yield lambda script, arg: js.context.execute(f"({script})({json.dumps(arg)})")


def walk_mismatches(cases, results, expected):
    """The calculator stacks whose `walk` result differs from the expected one. `cases` are
    (input_hwc, stack) pairs; an expected ("error", n) means walk must throw an error that
    starts `layer n (<op>):`. Returns (input, stack, got, wanted) for each difference."""
    bad = []
    for (input_hwc, stack), got, want in zip(cases, results, expected):
        if isinstance(want, tuple):
            prefix = f"layer {want[1]} ({stack[want[1] - 1]['op']}):"
            if not (isinstance(got, dict) and got.get("error", "").startswith(prefix)):
                bad.append((input_hwc, stack, got, f"an error starting {prefix!r}"))
        elif got != want:
            bad.append((input_hwc, stack, got, want))
    return bad


# --- the site in a browser -----------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser closing a connection early is not our concern


@pytest.fixture(scope="session")
def server(site):
    """Base URL of the built site, served on 127.0.0.1 at an ephemeral port."""
    httpd = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: `make /usr/bin/chromium` installs Debian's "
                    "(or deselect these tests with -m 'not browser')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()



@pytest.fixture
def project_copy(tmp_path):
    """A scratch copy of the project (without caches) for tests that break things on purpose."""
    ignore = shutil.ignore_patterns(".git", ".venv", ".cache", "site", "build", "__pycache__", "*.egg-info")
    for entry in ("mkdocs.yml", "docs", "snippets", "pipeline", "hooks", "overrides", "tests", "benchmarks"):
        source = ROOT / entry
        target = tmp_path / entry
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target)
    return tmp_path


# --- small throwaway projects, for tests that break things on purpose ------------------------


def make_project(root, pages, snippets=(), extra_snippets=None, notebooks=None):
    """A minimal copy of this project in `root`: the real hooks, pipeline, lib and config,
    only the named snippets (plus `extra_snippets`: "topic/stem" -> source), and the given
    pages (path -> Markdown) and notebooks (path under docs/ -> percent-script source)."""
    root = Path(root)
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("hooks", "overrides", "pipeline", "snippets/lib", "docs/assets"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    shutil.copy2(ROOT / "snippets" / "__init__.py", root / "snippets" / "__init__.py")
    sources = {}
    for name in snippets:
        path = next(p for p in (ROOT / "snippets").glob("*/*.py") if f"{p.parent.name}_{p.stem}" == name)
        sources[f"{path.parent.name}/{path.stem}"] = path.read_text(encoding="utf-8")
        common = path.with_name("_common.py")
        if common.is_file():
            sources[f"{path.parent.name}/_common"] = common.read_text(encoding="utf-8")
    for topic_stem, source in {**sources, **(extra_snippets or {})}.items():
        file = root / "snippets" / f"{topic_stem}.py"
        file.parent.mkdir(parents=True, exist_ok=True)
        init = file.with_name("__init__.py")
        if not init.exists():
            init.write_text(f'"""Topic {file.parent.name}."""\n', encoding="utf-8")
        file.write_text(source, encoding="utf-8")
    for path, text in {**pages, **(notebooks or {})}.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(text, encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = [{Path(p).stem: p} for p in [*pages, *(notebooks or {})]] + [{"Provenance": "provenance.md"}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def project_path(root):
    """PYTHONPATH for a subprocess that must import `root`'s snippets and pipeline first
    (whatever PYTHONPATH this session has comes after)."""
    return os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)


def build_project(root):
    """Strict build of a throwaway project, importing its own `snippets` package."""
    return mkdocs_build(Path(root) / "mkdocs.yml", Path(root) / "site", env={"PYTHONPATH": project_path(root)})


def pytest_collection_modifyitems(items):
    """A test that asks for the browser or the built site is marked so, whatever its module
    says: the `make check` tier (-m "not site and not browser and not slow and not heldout") must never
    start a browser or a build because a marker was forgotten."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"browser", "server", "calculator_page", "sliding_page"}:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.site)
        elif "site" in names:
            item.add_marker(pytest.mark.site)
