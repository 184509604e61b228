# gipr-tui: everything runs in the project's own virtual environment (.venv),
# never in whatever python happens to be first on PATH (parsing/store/tui are
# also names of unrelated PyPI packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench snapshot-update install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,ocr]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/gipr-tui $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests/tui --snapshot-update

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
