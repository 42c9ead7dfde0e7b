# 深圳产业地图 — everything a new machine needs goes through these targets.
# `make serve` builds the bundled content and serves it; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve build check test test-fast browser screenshots bench mutation coverage clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,geo-source]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/atlas serve

build: $(STAMP)
	$(BIN)/atlas build

check: $(STAMP)
	$(BIN)/atlas check

# Browser tests drive Debian's Chromium (never a downloaded browser build); the search engine's
# own tests run under Node.
browser:
	@( [ -x /usr/bin/chromium ] && command -v node >/dev/null ) || ( $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk nodejs )

test: $(STAMP) browser
	$(BIN)/pytest -n 2 --dist loadfile

test-fast: $(STAMP)
	$(BIN)/pytest -m "not browser"

screenshots: $(STAMP) browser
	ATLAS_SCREENSHOTS=1 $(BIN)/pytest -q tests/test_browser.py -k screenshot

bench: $(STAMP) browser
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,geo-source,bench]'
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench.run search maps weight build incremental scale

# Mutation testing of the modules that carry the atlas's promises (docs/testing.md); slow, not in `make test`.
mutation: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,geo-source,mutation]'
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results
	$(BIN)/python tests/template_mutation.py

# Line and branch coverage of builder/ by the non-browser suite, child processes included
# (ATLAS_SERIAL: the build's forked workers run in-process, where coverage sees them).
coverage: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,geo-source,mutation]'
	rm -f .coverage .coverage.*
	ATLAS_SERIAL=1 $(BIN)/coverage run -m pytest -q -m "not browser" -p no:randomly --deselect tests/test_planted_bugs.py
	$(BIN)/coverage combine -q
	$(BIN)/coverage report --sort=cover

clean:
	rm -rf site .atlas-build-* .pytest_cache mutants .coverage .coverage.*
