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
.PHONY: help install serve build test test-fast audit lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[docs,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json  # MathJax (math rendered at build), the audit tools
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)  ## create .venv (the project, editable, with its docs and test extras) and node_modules

serve: $(STAMP) $(NODE_STAMP)  ## serve the site at http://127.0.0.1:8000, rebuilding when docs/ or snippets/ change
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP) $(NODE_STAMP)  ## build the site into site/ (strict: any warning fails)
	@start=$$(date +%s); $(BIN)/mkdocs build --strict --site-dir $(SITE_DIR); \
	echo "built in $$(( $$(date +%s) - start )) s"

test: build  ## the strict build, then every test: package, published numbers, docs, browser
	SITE_DIR=$(SITE_DIR) $(BIN)/python -m pytest

test-fast: $(STAMP)  ## package and docs tests only (no build, no browser)
	$(BIN)/python -m pytest -m "not browser and not slow"

audit: build  ## Lighthouse (mobile) and the Nu HTML checker on every page of the built site (slow: minutes)
	CHROME_PATH=/usr/bin/chromium $(BIN)/python tests/audit/audit.py $(SITE_DIR)

lock: $(STAMP)  ## refresh requirements.lock from the installed versions
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^snippets' > requirements.lock

clean:  ## remove the site, caches and .venv
	rm -rf $(SITE_DIR) $(VENV) node_modules .pytest_cache .cache
