# Backprop, executed. `make help` lists the targets.
# Works on a fresh machine with python3 and make: the first run creates .venv and installs the project.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SITE_DIR := site
export NO_MKDOCS_2_WARNING := 1  # silence the MkDocs 2 banner; the pin to mkdocs<2 is deliberate

.DEFAULT_GOAL := help
.PHONY: help install serve build test test-slow check test-fast audit bench lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Every package comes from requirements.lock and must match one of its sha256 hashes (wheels only, so no
# unhashed build backend is fetched); the project itself is then added editable, built by the locked hatchling.
# pip installs uv alone, from uv's entry in the lock (hashes checked); uv installs the rest in ~8 s (pip: ~48 s).
UV_PIN := $(VENV)/uv-requirement.txt
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	awk '/^uv==/ {found = 1} found {print} found && !/\\$$/ {exit}' requirements.lock > $(UV_PIN)
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: --no-deps -r $(UV_PIN)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes --only-binary :all: \
	  -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json  # MathJax (math rendered at build), the audit tools
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)  ## create .venv (requirements.lock, every hash checked; the project editable) and node_modules

PORT ?= 8000

# --dirty: an edit rebuilds the pages it affects (docs/hooks/exec_cache.py says which), not the whole site.
serve: $(STAMP) $(NODE_STAMP)  ## serve the site on 127.0.0.1:8000 (or PORT=8010), rebuilding only the pages an edit affects
	SITE_URL=http://127.0.0.1:$(PORT)/ $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP) $(NODE_STAMP)  ## build the site into site/ (strict: any warning fails)
	@start=$$(date +%s); $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR) && \
	echo "built in $$(( $$(date +%s) - start )) s"

# Tests run on every core (pytest-xdist); a test file stays on one worker, so its fixtures (a reader's venv, a
# browser) are made once. `make test` is the quick tier; `make test-slow` checks what a reader receives end to end.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile

test: build  ## the strict build, then the package, example, published-number and docs tests (quick: ~1 min)
	SITE_DIR=$(SITE_DIR) $(PYTEST) -m "not slow and not browser"

test-slow: build  ## the reader's side: copied code in clean venvs, notebooks, browser and axe, rebuilds, mutations
	SITE_DIR=$(SITE_DIR) $(PYTEST) -m "slow or browser"

check: test test-slow  ## everything CI runs: `make test` and `make test-slow`

test-fast: $(STAMP)  ## package and docs tests only (no build, no browser)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not browser and not slow"

audit: build  ## Lighthouse (mobile) and the Nu HTML checker on every page of the built site (slow: minutes)
	CHROME_PATH=/usr/bin/chromium $(BIN)/python tests/audit/audit.py $(SITE_DIR)

bench: $(STAMP)  ## time forward_backward against plain numpy, the GEMMs alone and PyTorch if installed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python benchmarks/bench_network.py

# Resolves pyproject.toml alone (dependencies, every extra, build backend; existing pins ignored) for this
# Python on linux x86_64, with the hashes of every file of each pinned version. After a merge conflict in
# requirements.lock, keep either side (git checkout --ours requirements.lock), then run it.
lock: $(STAMP)  ## regenerate requirements.lock, hashed, from pyproject.toml (latest versions it allows)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --upgrade --generate-hashes --all-extras \
	  --all-build-deps --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --newline lf \
	  --output-file requirements.lock pyproject.toml

clean:  ## remove the site, caches and .venv
	rm -rf $(SITE_DIR) $(VENV) node_modules .pytest_cache .cache
