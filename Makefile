# Two commands on a fresh machine with Python 3.11:
#   make run   set up, build the dataset, validate it, write the release folder and the site to dist/
#   make test  set up, run the whole test suite (what CI runs)
# Set-up installs exactly what uv.lock pins (with hashes); `make lock` refreshes the lock after a change to
# pyproject.toml's dependencies, and `make test-lowest` runs the tests on the lowest versions the ranges allow.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# uv lives in its own small venv: `uv sync` makes .venv hold exactly the lock, and would remove itself.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# Never download a Python: the machine's 3.11 is the one the lock was made for.
export UV_PYTHON_DOWNLOADS := never

# The JavaScript the project installs, exactly as package-lock.json pins it: Oxigraph's WebAssembly build, which
# `govgraph site` packs into the site for the query catalogue's Run buttons, and axe-core, which the browser
# tests inject into the site's pages. npm writes this file last.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test setup lock test-lowest lint clean

setup: $(STAMP) $(NODE_STAMP)

$(UV): scripts/uv-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r scripts/uv-requirements.txt
	touch $(UV)

# --locked: stop, instead of installing something else, when pyproject.toml and uv.lock disagree.
$(STAMP): pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --extra test --python $(PYTHON) --quiet
	touch $(STAMP)

# Without npm the site is still written, and its query catalogue says the Run buttons are unavailable.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
		echo "make: npm not found; the site's Run buttons need it (scripts/install-system-packages.sh installs it)" >&2; \
	fi

run: $(STAMP) $(NODE_STAMP)
	$(BIN)/govgraph release -o dist/release
	$(BIN)/govgraph validate dist/release/govgraph.ttl -o dist/validation-report.txt
	$(BIN)/govgraph validate dist/release/govgraph.ttl --format turtle -o dist/validation-report.ttl
	$(BIN)/govgraph validate dist/release/catalog.ttl -o dist/catalog-report.txt
	$(BIN)/govgraph site -o dist/site

# The Debian packages the tests run against (browser, web servers, benchmark anchors, Jena) come first.
test: $(STAMP)
	scripts/install-system-packages.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

# After editing dependencies in pyproject.toml: re-resolve, keeping every other pin where it is.
# `make lock UPGRADE=1` moves every package to the newest version its range allows.
lock: $(UV)
	$(UV) lock --python $(PYTHON) $(if $(UPGRADE),--upgrade)
	$(UV) sync --locked --extra test --python $(PYTHON) --quiet
	touch $(STAMP)

# The ranges in pyproject.toml are promises to the people who install govgraph as a library: this checks the
# lowest version of each direct dependency that the ranges allow, in a venv of its own (.venv-lowest).
test-lowest: $(UV)
	$(UV) venv --python $(PYTHON) --quiet --allow-existing .venv-lowest
	VIRTUAL_ENV=.venv-lowest $(UV) pip install --quiet --resolution lowest-direct -e ".[test]"
	scripts/install-system-packages.sh
	$(MAKE) --no-print-directory $(NODE_STAMP)
	.venv-lowest/bin/pytest -p no:cacheprovider \
		--deselect tests/test_lock.py::test_installed_packages_are_exactly_the_locked_ones

lint: $(STAMP)
	$(BIN)/govgraph lint

clean:
	rm -rf $(VENV) $(TOOLS) .venv-lowest dist build .pytest_cache node_modules
