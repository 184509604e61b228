# gipr-tui: everything runs in the project's own virtual environment (.venv),
# never in whatever python happens to be first on PATH (parsing/store/tui are
# also names of unrelated PyPI packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers: one per core (2 here); PYTEST_WORKERS=0 runs serially
PYTEST_WORKERS ?= auto

.PHONY: run test quick lint bench snapshot-update install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,ocr]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/gipr-tui $(ARGS)

# the layering contracts and the linter, then every test
test: lint
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# while working: the contracts, then the tests that are not marked slow, stopping at the first failure
quick: lint
	$(BIN)/python -m pytest -q -x -n $(PYTEST_WORKERS) -m "not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests/tui --snapshot-update

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
