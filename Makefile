# siliconomics: `make demo` and `make test` work on a fresh machine (they create .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test validate bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## demo: install and run the main job on built-in defaults (writes report/index.html)
demo: $(STAMP)
	$(BIN)/siliconomics report --out report

## test: install test extras and run the whole suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

## validate: published figures vs computed, with errors
validate: $(STAMP)
	$(BIN)/siliconomics validate

## bench: speed figures (not tests)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) report build dist .pytest_cache .hypothesis
