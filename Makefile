# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make book   build the HTML book into _build/html
#   make test   run every test (engine, notebooks, built book in headless Chromium)
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test lab bench chromium clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e ".[test]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going

test: $(STAMP) chromium
	$(BIN)/python -m pytest

chromium:
	@bash tests/ensure_chromium.sh

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	$(BIN)/jupyter lab chapters/

bench: $(STAMP)
	$(BIN)/python benchmarks/slider_latency.py
	$(BIN)/python benchmarks/build_time.py

clean:
	rm -rf $(VENV) _build .pytest_cache .hypothesis
