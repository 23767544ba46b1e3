# siliconomics: `make demo` and `make test` work on a fresh machine (they create .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
PDFTOPPM := /usr/bin/pdftoppm
SITE     ?= site

.PHONY: demo test validate bench install clean docs

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

# The browser tests drive Debian's Chromium (no browser download at test time).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		echo "installing Chromium for the browser tests (Debian package chromium)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "the browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

# The PDF test reads the printed report back with poppler (pdftotext, pdftoppm).
$(PDFTOPPM):
	@if [ "$$(id -u)" = 0 ]; then \
		echo "installing poppler-utils for the PDF test (Debian package poppler-utils)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	else \
		echo "the PDF test needs poppler-utils: sudo apt-get install poppler-utils" >&2; exit 1; \
	fi

## test: install test extras (and Chromium, poppler-utils) and run the whole suite
test: $(STAMP) $(CHROMIUM) $(PDFTOPPM)
	$(BIN)/python -m pytest -q

## validate: published figures vs computed, with errors
validate: $(STAMP)
	$(BIN)/siliconomics validate

## bench: speed figures (not tests)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/run.py

## docs: build the user guide into site/ (needs the docs extra: pip install '.[docs]')
docs:
	@PY=$$( [ -x $(BIN)/python ] && echo $(BIN)/python || echo $(PYTHON) ); \
	if ! $$PY -c "import mkdocs, material" 2>/dev/null; then \
		echo "error: make docs needs the docs extra: pip install '.[docs]' (mkdocs and mkdocs-material)" >&2; exit 2; \
	fi; \
	NO_MKDOCS_2_WARNING=1 PYTHONPATH=src $$PY -m mkdocs build --quiet --strict --site-dir $(SITE)

clean:
	rm -rf $(VENV) report build dist site .pytest_cache .hypothesis
