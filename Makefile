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
.PHONY: help install run setup test test-postgres lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the project

# The IMS Open Badges validator, for tests/test_badge_validator.py; its old
# pins would clash with ours, so it lives in a venv of its own.
OBVENV := .venv-obvalidator
$(OBVENV)/bin/openbadges: tests/openbadges-validator-requirements.txt
	test -x $(OBVENV)/bin/python || $(PYTHON) -m venv $(OBVENV)
	$(OBVENV)/bin/python -m pip install --quiet --no-deps -r $<
	touch $@

setup: install ## Migrate the database, set up roles and load the demo content
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_portal
	$(BIN)/python manage.py load_demo_data

run: setup ## Serve the site with demo content at http://127.0.0.1:8000/
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

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

clean: ## Remove the virtual environment and the SQLite database
	rm -rf $(VENV) db.sqlite3 tmp
