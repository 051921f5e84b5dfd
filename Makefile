# Imaging support portfolio. `make run` serves the demo; `make test` runs the whole suite.
# Needs: Python 3.11+, Node.js 20+ with npm (for the NHS.UK design system's assets), and for
# the browser tests Debian's chromium (installed by .ci/run in CI).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portfolio
PORT ?= 5000
PYTEST_WORKERS ?= 2
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
ASSETS := portfolio/static/nhsuk-frontend.min.css

.PHONY: run install install-test assets test test-sqlite test-postgresql check lint format bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The design system's CSS, JavaScript and images, from the npm package pinned in
# package-lock.json (integrity-checked by npm ci), copied where the app serves /assets.
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css \
	   node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js portfolio/static/
	rm -rf portfolio/static/images
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets/images portfolio/static/images
	cp node_modules/nhsuk-frontend/dist/nhsuk/assets/manifest.json portfolio/static/
	touch $@

assets: $(ASSETS)

run: install assets
	$(FLASK) db upgrade
	$(FLASK) demo load
	PORT=$(PORT) BIN=$(BIN) scripts/serve

test: install-test assets lint test-sqlite test-postgresql

test-sqlite: install-test assets
	TEST_DATABASE=sqlite $(BIN)/pytest -n $(PYTEST_WORKERS)

# Also run by `make test`; skips with a reason when no server answers, fails under CI=true.
test-postgresql: install-test assets
	TEST_DATABASE=postgresql TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser"

# Fast: lint, format, types, and the tests that need neither a browser nor PostgreSQL.
check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	TEST_DATABASE=sqlite $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not commits" -q

# Not part of `make test`: seeds a synthetic trust of 1,000 support workers on each engine and
# times the pages that must stay fast; writes bench-results.json.
bench: install-test
	TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python scripts/bench.py --engine both

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
	rm -rf $(VENV) node_modules portfolio/static/images portfolio/static/nhsuk-frontend.min.* portfolio/static/manifest.json
