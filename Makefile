# Two commands for a fresh machine:  make demo   and   make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install install-test lint typecheck unit fuzz spark-tests serve clean catalogues

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	bash scripts/install-system-deps.sh
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(STAMP)
install-test: $(TEST_STAMP)

## make demo: set up, simulate a city with fraud gangs, import, trace, score, summarise, serve
demo: $(STAMP)
	$(BIN)/chaincut demo $(DEMO_ARGS)

## make test: set up (Debian packages included) and run lint, types and the whole suite
test: $(TEST_STAMP) lint typecheck unit

LINTED := $(wildcard src tests benchmarks training)

## make lint: ruff check (rule sets and exceptions in pyproject.toml) and ruff format --check
lint:
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

## make typecheck: mypy --strict on src/chaincut and tests ([tool.mypy] files in pyproject.toml)
typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest -q $(PYTEST_ARGS)

## make fuzz: the property tests with fresh random examples, 1,000 each (`make test` draws the
## same examples every run); a failure prints the @reproduce_failure line to replay it
fuzz: $(TEST_STAMP)
	CHAINCUT_HYPOTHESIS=fuzz $(BIN)/pytest -q $(PYTEST_ARGS) $(shell grep -rl '@given' tests)

## make catalogues: extract the console's messages (Babel), merge them into the .po files of
## src/chaincut/web/locale and compile the .mo files (commit both; translate what is empty)
catalogues: $(TEST_STAMP)
	$(BIN)/python -m chaincut.catalogues update

clean:
	rm -rf $(VENV) chaincut-home .pytest_cache .mypy_cache .ruff_cache
