# Aftercare: `make demo` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test install install-dev serve migrate lint browser-deps messages clean prod-local prod-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/aftercare migrate --noinput

## Serve the demo network on http://$(HOST):$(PORT) (SQLite, in-process tasks, no services needed).
demo: migrate
	$(BIN)/aftercare demo-data
	$(BIN)/aftercare runserver $(HOST):$(PORT) --insecure

## Install the dev extras and run the whole suite (browser tests skip, saying why, without Chromium).
test: install-dev
	@if command -v npm >/dev/null 2>&1 && [ ! -d node_modules/axe-core ]; then npm install --no-audit --no-fund --silent || true; fi
	$(BIN)/pytest

## Production mode on this machine: gunicorn on 127.0.0.1:8100, a Celery worker and beat (local PostgreSQL, Redis).
prod-local: install
	bash deploy/prod_local.sh start

prod-stop:
	bash deploy/prod_local.sh stop

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## Regenerate and compile the translations of every language but English (needs GNU gettext).
## The compiled .mo files are committed, so running the app or the tests needs no gettext.
LOCALES := hi bn sw zu
messages: install
	cd aftercare && ../$(BIN)/aftercare makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --no-wrap --add-location file
	cd aftercare && ../$(BIN)/aftercare compilemessages $(addprefix -l ,$(LOCALES))
	$(BIN)/aftercare cldr-dates

clean:
	rm -rf $(VENV) var node_modules
