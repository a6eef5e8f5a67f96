# Two commands for a fresh machine (only python3, pip and make needed):
#   make demo   set up, build the demo ward, open the dashboard
#   make test   set up and run the whole test suite
VENV ?= .venv
BIN = $(VENV)/bin
export DOTHIXANH_HOME ?= $(CURDIR)/data

.PHONY: setup browsers demo serve test lint bench fuzz clean

$(BIN)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV) || (python3 -m pip install --quiet --user virtualenv && python3 -m virtualenv $(VENV))
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/dothixanh demo
	$(BIN)/dothixanh serve

serve: setup
	$(BIN)/dothixanh serve

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright. Never `playwright
# install`: it downloads a browser of its own, which fails here. Installing takes root (as on CI).
browsers:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; \
	else \
		echo "make browsers: /usr/bin/chromium is missing; as root: apt-get install chromium chromium-driver (browser tests are skipped, or fail when CI=true)"; \
	fi

test: setup browsers
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python benchmarks/ingest_1m.py

# The full property-based run (issue 11): DOTHIXANH_FUZZ_EXAMPLES files (10.000 by default), failing
# examples and figures in test-artifacts/fuzz/. The light run is part of `make test`.
fuzz: setup
	$(BIN)/python -m pytest -q -m fuzz tests/pipelines/test_fuzz.py

clean:
	rm -rf $(VENV) data test-artifacts
