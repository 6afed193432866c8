# GovQA: `make run` installs, prepares the bundled models, ingests the sample corpus and serves;
# `make test` runs the test suite. Both work from a fresh clone (Python >= 3.11, gcc, cmake).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export GOVQA_DATA_DIR ?= $(CURDIR)/.govqa/data
export GOVQA_MODEL_DIR ?= $(HOME)/.cache/govqa/models

.PHONY: run install install-test models sample serve lint test test-fast browser clean

run: install models sample serve

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo ">> installing GovQA; the first time llama-cpp-python compiles from source (about 5 minutes on 2 cores)"
	$(BIN)/pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --progress-bar on -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

models: install
	$(BIN)/govqa models

sample: install
	$(BIN)/govqa ingest --sample

serve: install
	$(BIN)/govqa serve

# Headless Chromium for the browser tests, and a CJK font so their screenshots show the Chinese, from
# the system's packages (skipped with a notice when impossible).
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo ">> installing chromium for the browser test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo ">> could not install chromium: the browser test will be skipped"; \
	else echo ">> chromium not installed and cannot be installed here: the browser test will be skipped"; fi
	@if fc-list 2>/dev/null | grep -qi cjk; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo ">> installing a CJK font for the browser screenshots"; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || (apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null)) \
			|| echo ">> could not install fonts-noto-cjk: screenshots will show boxes for Chinese"; \
	else echo ">> no CJK font: screenshots will show boxes for Chinese"; fi

SOURCES := govqa ingest knowledge_graph eval tests

# Style, types and layer rules (pyproject.toml: [tool.ruff], [tool.mypy], [tool.importlinter]).
lint: install-test
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/mypy
	$(BIN)/lint-imports

# Everything except the real-model and browser tests (about a minute).
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not slow and not browser"

test: install-test browser lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .govqa
