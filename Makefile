# Two commands on a fresh machine with Python 3.11:
#   make run   set up, build the dataset, validate it, write the release folder and the site to dist/
#   make test  set up, run the whole test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/govgraph release -o dist/release
	$(BIN)/govgraph validate dist/release/govgraph.ttl -o dist/validation-report.txt
	$(BIN)/govgraph validate dist/release/govgraph.ttl --format turtle -o dist/validation-report.ttl
	$(BIN)/govgraph validate dist/release/catalog.ttl -o dist/catalog-report.txt
	$(BIN)/govgraph site -o dist/site

# The Debian packages the tests run against (browser, web servers, benchmark anchors, Jena) come first.
test: $(STAMP)
	scripts/install-system-packages.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/govgraph lint

clean:
	rm -rf $(VENV) dist build .pytest_cache
