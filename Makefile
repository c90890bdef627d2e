# The two commands of the quick start: `make demo` and `make test`.
# Each sets itself up on a fresh machine: virtual environment, install, Debian tools.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck debian-packages clean

demo: $(STAMP)
	$(BIN)/bluealert demo

test: $(STAMP) debian-packages lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider --hypothesis-profile=repeatable

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

debian-packages:
	scripts/ensure-debian-packages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
