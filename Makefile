# The front door of the project: `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Where `make run` serves the site: the demo Site and links in mails follow it.
export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
STAMP := $(VENV)/.installed
# Tests run on every core (pytest-xdist); override with PYTEST_ARGS="-n 0 …".
PYTEST_ARGS ?= -n auto

.DEFAULT_GOAL := help
.PHONY: help install run setup test test-postgres lint format bench clean backup restore bench-load bench-bakery

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# uv (Astral's installer, taken from PyPI by pip into .venv) installs the
# same packages as pip, from the same ranges, in about 5 s instead of 20;
# where it cannot be had, pip does it.
UV := $(BIN)/uv
uv_or_pip = { test -x $(UV) && $(UV) pip install --quiet --python $(1) $(2); } || \
	$(1) -m pip install --quiet $(2)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	-$(BIN)/python -m pip install --quiet "uv>=0.9,<1"
	$(call uv_or_pip,$(BIN)/python,-e ".[dev]")
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the project

# The IMS Open Badges validator, for tests/test_badge_validator.py; its old
# pins would clash with ours, so it lives in a venv of its own.
OBVENV := .venv-obvalidator
$(OBVENV)/bin/openbadges: tests/openbadges-validator-requirements.txt | $(STAMP)
	test -x $(OBVENV)/bin/python || $(PYTHON) -m venv $(OBVENV)
	$(call uv_or_pip,$(OBVENV)/bin/python,--no-deps -r $<)
	touch $@

setup: install ## Migrate the database, set up roles and load the demo content
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_portal
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py badge_keys sign-missing

# One task worker (mail, Wagtail's background work) runs beside the server
# and stops with it.
run: setup ## Serve the site with demo content at http://127.0.0.1:8000/, and one task worker
	$(BIN)/python manage.py db_worker --no-reload --interval 2 --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

backup: ## Archive the database and the media under backups/ (prints the path)
	$(BIN)/python manage.py backup

restore: ## Put an archive back: make restore FILE=backups/portail-….tar.gz [YES=1]
	@test -n "$(FILE)" || { echo "Indiquez l'archive : make restore FILE=backups/portail-….tar.gz"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" $(if $(YES),--yes)

test: install $(OBVENV)/bin/openbadges ## Run the whole test suite (SQLite, or DATABASE_URL if set)
	OPENBADGES_VALIDATOR_PYTHON=$(CURDIR)/$(OBVENV)/bin/python $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: ## Run the suite on the local PostgreSQL server
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal} $(MAKE) test

lint: install ## ruff check, ruff format --check, djhtml --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: install ## Reformat Python and templates
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

bench: install ## Run the benchmarks in bench/ (not part of the test suite)
	$(BIN)/python bench/run.py

# The load test's own database (dropped and created again) and Redis database.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/3
bench-load: install ## Load test: gunicorn, PostgreSQL, Redis, 50 clients for 60 s on 127.0.0.1:8113
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(LOAD_REDIS_URL) BENCH_RESET_DATABASE=1 \
		$(BIN)/python bench/run.py bench_load

# Every public page cold against Wagtail's bakerydemo, set up in BAKERYDEMO_PATH.
BAKERYDEMO_PATH ?= /tmp/bakerydemo
bench-bakery: install ## Cold pages against bakerydemo (cloned and set up in BAKERYDEMO_PATH), gunicorn, wrk
	BAKERYDEMO_PATH=$(BAKERYDEMO_PATH) $(BIN)/python bench/run.py bench_vs_bakerydemo

clean: ## Remove the virtual environment and the SQLite database
	rm -rf $(VENV) db.sqlite3 tmp
