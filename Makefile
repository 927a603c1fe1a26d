# The two commands a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint bench browser nginx screenshots clean

install: $(STAMP)

# Reinstall only when the lock or the package metadata changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Where `make run` listens: the settings YOUTHVOICE_HOST and YOUTHVOICE_PORT (environment or
# .env, as the app reads them; `youthvoice prepare` warns when phones could not join).
LISTEN = $(BIN)/python -c 'from survey.core.settings import get_settings as g; \
  print("--server.address", g().host, "--server.port", g().port)'

run: install
	$(BIN)/youthvoice prepare
	@echo
	@echo "Staff pages need an account. Create the first admin with:"
	@echo "    $(BIN)/youthvoice create-user --role admin --username YOURNAME"
	@echo
	$(BIN)/streamlit run server.py $$($(LISTEN)) --server.headless true

# Real-browser tests need Debian's chromium; install it when we may, else they skip loudly.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) \
	     || echo "Could not install chromium: browser tests will be skipped."; \
	  else \
	    echo "chromium is missing and this is not root: browser tests will be skipped (sudo apt-get install chromium to enable them)."; \
	  fi; \
	fi

# The two-replica tests put Debian's nginx in front of the app (deploy/nginx); installed
# like chromium, else they skip loudly.
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's nginx-light for the two-replica tests..."; \
	    (apt-get install -y -qq nginx-light >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq nginx-light >/dev/null 2>&1)) \
	     || echo "Could not install nginx: the two-replica tests will be skipped."; \
	  else \
	    echo "nginx is missing and this is not root: the two-replica tests will be skipped (sudo apt-get install nginx-light to enable them)."; \
	  fi; \
	fi

# axe-core (npm), which the accessibility tests inject into pages; skipped loudly without npm.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --silent && touch $@; \
	else \
	  echo "npm is missing: the accessibility tests will be skipped (install Node.js and npm)."; \
	fi

# Everything, as CI runs it, then the 15 slowest tests.
test: install browser nginx node_modules/.installed
	$(BIN)/python -m pytest -n 2 --durations=15

# While working: no training, benchmarks or browser (CI and `make test` run them).
test-fast: install
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser" --durations=15

# The README's pictures: the real-browser tests, saving into docs/screenshots.
screenshots: install browser node_modules/.installed
	YOUTHVOICE_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/browser -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy survey nlp incidents insights cli

bench: install
	$(BIN)/youthvoice bench-tagging
	$(BIN)/youthvoice bench-import
	$(BIN)/youthvoice bench-dashboard

clean:
	rm -rf $(VENV) var/*.db var/*.db-*
