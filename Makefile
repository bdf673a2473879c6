# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make book   build the HTML book into _build/html
#   make test   run every test (lint, engine, notebooks, built book in headless Chromium)
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
AXE    := tests/browser/node_modules/axe-core/axe.min.js
MATHJAX := _ext/node_modules/mathjax/tex-chtml.js

.PHONY: book test lint lab bench chromium clean

# One list of pins (requirements.txt, as Binder installs it), then the engine
# itself (editable, so chapters see edits at once) and the test tools.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e ".[test]"
	touch $(STAMP)

book: $(STAMP) $(MATHJAX)
	$(BIN)/jupyter-book build . --all -W -n --keep-going

test: $(STAMP) $(MATHJAX) chromium $(AXE)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

chromium:
	@bash tests/ensure_chromium.sh

# MathJax 4 (pinned in _ext/package-lock.json), which the book serves from itself: the build
# needs it, so a missing npm stops here (axe-core, below, only skips its tests)
$(MATHJAX): _ext/package.json _ext/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: the book needs npm to install MathJax (_ext/package.json)"; exit 1; }
	npm ci --prefix _ext --no-audit --no-fund --silent
	@touch $(MATHJAX)

# axe-core (pinned in tests/browser/package-lock.json) checks accessibility in the browser tests
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 && npm ci --prefix tests/browser --no-audit --no-fund --silent \
	  || echo "warning: npm is missing or failed; the accessibility tests will skip"

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

bench: $(STAMP) $(MATHJAX)
	$(BIN)/python benchmarks/run_all.py
	$(BIN)/python benchmarks/slider_latency.py
	$(BIN)/python benchmarks/build_time.py
	$(BIN)/python benchmarks/engine_speed.py

clean:
	rm -rf $(VENV) _build .pytest_cache .hypothesis tests/browser/node_modules _ext/node_modules
