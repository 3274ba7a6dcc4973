# Lingxi: the two commands of the quick start are `make start` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PGURL  ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: start test install install-test web lint bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

web:
	@if [ -f web/package.json ]; then npm --prefix web ci && npm --prefix web run build; fi

## Install, load the demo tenant and serve on http://127.0.0.1:8000
start: install web
	$(VENV)/bin/lingxi migrate
	$(VENV)/bin/lingxi demo
	$(VENV)/bin/lingxi serve --host 127.0.0.1 --port 8000

## Install and run the whole test suite on SQLite, then on PostgreSQL when it answers
test: install web
	bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check lingxi tests bench
