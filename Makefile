# NeuroDaraja: `make run` starts the platform with demo data; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint typecheck check-migrations check-translations translations ci-checks clean

# Dependencies: a virtual environment installed from the lock files (hashes checked).
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		(echo "NeuroDaraja needs Python 3.11 (set PYTHON=/path/to/python3.11)"; exit 1)
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/base.txt
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@touch $@ $(VENV)/.installed-base

var/media:
	mkdir -p var/media

# 1. Set up and start everything with demonstration data on SQLite.
run: export DEBUG = true
run: export DEMO_MODE = true
run: export CACHE_DIR = var/cache
run: $(VENV)/.installed-base var/media
	$(MANAGE) compiletranslations
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddemo
	$(MANAGE) runplatform

# 2. Run the whole test suite (SQLite unless DATABASE_URL names PostgreSQL).
test: $(VENV)/.installed-dev
	$(MANAGE) compiletranslations
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy .

check-migrations: $(VENV)/.installed-dev var/media
	$(MANAGE) makemigrations --check --dry-run --skip-checks

# Fails on a missing, fuzzy or placeholder-mangled Kiswahili or Chinese string.
check-translations: $(VENV)/.installed-dev
	$(MANAGE) check_translations

# Re-extract strings from the code (needs GNU gettext) after changing user-facing text.
translations: $(VENV)/.installed-dev
	$(MANAGE) makemessages -l sw -l zh_Hans --no-location --no-obsolete \
		--ignore=.venv --ignore=var --ignore='*/tests/*' --ignore=bench
	$(MANAGE) compiletranslations

clean:
	rm -rf $(VENV) var
