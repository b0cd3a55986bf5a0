# Two commands on a fresh machine (Debian, Python 3.11):
#   make serve   install everything, then serve the site at http://127.0.0.1:8000/shared-weights/
#   make test    install everything, then run every test (strict build and browser included)
# and one for every day:
#   make check   the snippets against their oracles on the page's seeds, lib and the pipeline's
#                units: no browser, no site build, no throwaway MkDocs projects, no held-out
#                seed blocks (the markers in pyproject.toml)
# `make site` builds into site/ (strict); `make bench` prints the benchmarks;
# `make properdocs` builds with ProperDocs (the maintained fork of MkDocs 1.x) and compares
# with `make site`: the same bytes but the generator meta tag;
# `make stress` builds a one-page project 50 times under load and counts hung builds.

VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test check site properdocs bench stress install

serve: install
	$(PY) -m mkdocs serve

# Both cores (pytest-xdist): the workers share one site build (tests/conftest.py `site`) and
# one run of each snippet (tests/snippet_runs.py). A test file goes to one worker whole
# (--dist loadfile), so its module fixtures (a held-out block's training) run once, not once
# per worker: `make test` 275 s against 287 s, `make check` 69 s against 73 s.
XDIST := -n 2 --dist loadfile

test: install /usr/bin/chromium  # every tier; the site is built once for all its tests
	$(PY) -m pytest $(XDIST)

check: install  # the page's block of seeds only: the held-out blocks (marker heldout) run in `make test`
	$(PY) -m pytest $(XDIST) -m "not site and not browser and not slow and not heldout"

site: install  # the strict build the tests run, into site/ (what the Pages workflow publishes)
	$(PY) -m mkdocs build --strict

# ProperDocs (pinned in requirements.txt) builds the same site; tests/pipeline/test_build.py
# checks it on every `make test`. `properdocs` instead of `mkdocs` is the whole switch.
properdocs: site
	$(PY) -m properdocs build --strict -f mkdocs.yml -d .cache/properdocs-site
	diff -r -I '<meta name="generator"' site .cache/properdocs-site

bench: install
	$(PY) benchmarks/build_times.py
	$(PY) benchmarks/serve_edit.py
	$(PY) benchmarks/conv_throughput.py

stress: install  # issue 11: no build may hang (at exit, say) under load
	$(PY) benchmarks/build_hangs.py --builds 50

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

# Debian's Chromium and its driver, for the browser tests (Playwright drives /usr/bin/chromium).
/usr/bin/chromium:
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium chromium-driver
