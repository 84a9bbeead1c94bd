# 连心 Lianxin: the two commands are `make run` and `make test`.
# Everything else here is what they stand on.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install translations messages migrate seed lint format check clean

run: setup seed ## set up, load the demo county and serve http://127.0.0.1:8000
	$(MANAGE) runserver $(HOST):$(PORT)

test: install translations ## set up and run the whole suite (pytest makes its own database)
	$(BIN)/pytest $(PYTEST_ARGS)

setup: install translations migrate

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# Compiled with Babel (a pip package), so a machine without GNU gettext works.
# Fuzzy entries are left out: makemessages' guesses are often wrong.
translations: install
	@$(BIN)/pybabel compile -d locale -D django --statistics 2>&1 | tail -n 1

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0

seed: migrate
	$(MANAGE) seed_demo

# Developer tools (need GNU gettext for makemessages).
messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=media --ignore=build

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

lock: ## regenerate requirements.lock from a clean environment
	rm -rf /tmp/lianxin-lock && $(PYTHON) -m venv /tmp/lianxin-lock
	/tmp/lianxin-lock/bin/pip install --quiet ".[dev]"
	/tmp/lianxin-lock/bin/pip freeze --exclude lianxin > requirements.lock

clean:
	rm -rf $(VENV) var
