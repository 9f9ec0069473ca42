# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck layers pytest bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

## run: migrate the embedded SQLite database, seed the demo once, serve on http://127.0.0.1:5000
run: $(RUN_STAMP)
	$(BIN)/tessera certs dev --if-missing
	$(BIN)/tessera db upgrade
	$(BIN)/tessera demo --if-empty
	$(BIN)/tessera serve --host 127.0.0.1 --port 5000

## test: lint, type-check, check the layers and run the whole suite
test: lint typecheck layers pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

layers: $(DEV_STAMP)
	$(BIN)/lint-imports

pytest: $(DEV_STAMP)
	$(BIN)/pytest

bench: $(DEV_STAMP)
	$(BIN)/python -m bench.orders

clean:
	rm -rf $(VENV) instance .mypy_cache .ruff_cache .pytest_cache
