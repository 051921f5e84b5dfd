# Imaging support portfolio. `make run` serves the demo; `make test` runs the whole suite.
# Needs: Python 3.11+ and Node.js 20+ with npm (for the NHS.UK design system's assets). The Debian
# packages of debian-packages.txt are installed by `make run`, `make check` and `make test` when
# run as root, and named with the exact command otherwise.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portfolio
PORT ?= 5000
PYTEST_WORKERS ?= 2
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
ASSETS := portfolio/static/nhsuk-frontend.min.css
# Python dependencies come only from the hash-checked lock files (`make lock` refreshes them).
PIP_INSTALL := $(BIN)/pip install --quiet --require-hashes --no-deps
PIP_COMPILE_TOOL := pip-tools==7.6.2
PIP_COMPILE := .venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--build-deps-for editable --no-emit-index-url --no-emit-find-links

.PHONY: run install install-test assets system system-pdf preflight test test-sqlite \
	test-postgresql check lint format shape bench mutate lock docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/app.lock | $(BIN)/python
	$(PIP_INSTALL) -r requirements/app.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: requirements/test.lock | $(BIN)/python
	$(PIP_INSTALL) -r requirements/test.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed

# Refresh both lock files from pyproject.toml (the test lock first; the app lock is held to the
# same versions), with a throwaway pip-tools of its own. Unpinned sub-dependencies keep their
# locked versions; `make lock UPGRADE=--upgrade` moves them all to the newest allowed.
lock:
	test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && \
		.venv-lock/bin/pip install --quiet $(PIP_COMPILE_TOOL))
	$(PIP_COMPILE) $(UPGRADE) --extra test -o requirements/test.lock pyproject.toml
	$(PIP_COMPILE) $(UPGRADE) -c requirements/test.lock -o requirements/app.lock pyproject.toml

# Debian packages (debian-packages.txt) and, for the whole suite, PostgreSQL and Redis started.
system:
	PYTHON=$(PYTHON) scripts/system-setup pdf browser services

system-pdf:
	PYTHON=$(PYTHON) scripts/system-setup pdf

# Every Python package that loads a system library imports cleanly with warnings as errors.
preflight:
	$(BIN)/python -W error scripts/preflight.py

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The design system's CSS, JavaScript and images, from the npm package pinned in
# package-lock.json (integrity-checked by npm ci), copied where the app serves /assets.
$(ASSETS): package.json package-lock.json scripts/font_faces.py
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css \
	   node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js portfolio/static/
	# The web font's rules (from https://assets.nhs.uk) into a stylesheet of their own, linked
	# only when PORTFOLIO_NHS_FONTS_FROM_NHS_HOST is on: by default no page asks another host.
	$(PYTHON) scripts/font_faces.py portfolio/static/nhsuk-frontend.min.css portfolio/static/nhsuk-fonts.css
	rm -rf portfolio/static/images
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets/images portfolio/static/images
	cp node_modules/nhsuk-frontend/dist/nhsuk/assets/manifest.json portfolio/static/
	touch $@

assets: $(ASSETS)

run: system-pdf install preflight assets
	$(FLASK) db upgrade
	$(FLASK) demo load --no-sign-ins
	PORT=$(PORT) BIN=$(BIN) scripts/serve

# The README's test command and CI's are this one: it installs and starts what it needs.
test: system install-test preflight assets lint test-sqlite test-postgresql

# The browser journeys share one live demo server per worker and still depend on the order
# they run in, so they run in file order; everything else runs in a random order.
test-sqlite: install-test preflight assets
	TEST_DATABASE=sqlite $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"
	TEST_DATABASE=sqlite $(BIN)/pytest -n $(PYTEST_WORKERS) -m browser -p no:randomly

# Also run by `make test`; skips with a reason when no server answers, fails under CI=true.
test-postgresql: install-test preflight assets
	TEST_DATABASE=postgresql TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"

# Fast: lint, format, types, import contracts, and the tests that need neither a browser nor
# PostgreSQL.
check: system-pdf install-test preflight assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	HYPOTHESIS_PROFILE=check TEST_DATABASE=sqlite $(BIN)/pytest -n $(PYTEST_WORKERS) \
		-m "not browser and not commits and not served" -q

# The shape counts of issue 17 (import cycles, long routes, files and functions, commits outside
# the unit of work), each offender as file:line; fails while any is above its allowed value at
# the top of scripts/shape.py. `make shape SHAPE_ARGS=--report-only` only prints.
SHAPE_ARGS ?=
shape: install-test
	$(BIN)/python scripts/shape.py $(SHAPE_ARGS)

# Not part of `make test`: seeds a synthetic trust of 1,000 support workers on each engine and
# times the pages that must stay fast; writes bench-results.json.
bench: install-test
	TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python scripts/bench.py --engine both

# Not part of `make test` or `make check` (slow: an hour or more on 2 shared cores): mutmut mutates the
# standing engine, the status module and the policy, each group against only its own tests,
# prints each kill rate and fails when one is under 95% (docs/mutation.md).
# `make mutate MUTATE_ARGS=policy` runs one group.
MUTATE_ARGS ?=
mutate: install-test
	$(BIN)/python scripts/mutation.py --max-children 2 $(MUTATE_ARGS)

# docs/configuration.md is written from the settings class (portfolio/core/settings.py); a test
# fails when the two disagree.
docs: install
	$(BIN)/python scripts/configuration_doc.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .venv-lock node_modules portfolio/static/images portfolio/static/nhsuk-frontend.min.* portfolio/static/nhsuk-fonts.css portfolio/static/manifest.json
