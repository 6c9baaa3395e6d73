# Lotsbok – `make run` starts the app with demo data; `make test` runs the whole suite.
# Everything installs into .venv; nothing is fetched at run time.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# One test process per core (at least two: the suite often waits on databases and the browser;
# at most eight: each process starts its own gunicorn server and browser).
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -lt 2 ] && n=2; [ $$n -gt 8 ] && n=8; echo $$n)

.DEFAULT_GOAL := help
.PHONY: help install install-dev run web scheduler test test-sqlite test-postgres lint fmt db-upgrade db-migrate demo-data translations browser-deps eark-validator bench mutation clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations ## Create .venv and install the runtime dependencies

install-dev: $(VENV)/.installed-dev translations ## Also install the test and lint tools

# A file target: compiled only when the catalogue changed, so two `make test` at once (.ci/run)
# do not write the same .mo file together.
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGUES:.po=.mo) ## Compile the message catalogues (English)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations -l $*

db-upgrade: install ## Upgrade the database to the newest migration
	$(FLASK) db upgrade

db-migrate: install ## Generate a migration from model changes (review it!): make db-migrate m="what"
	$(FLASK) db migrate -m "$(m)"

demo-data: db-upgrade ## Load the fictitious demo data (safe to repeat)
	$(FLASK) demo-data --quiet

run: demo-data ## Set up everything and start the app on SQLite with demo data (and the scheduler)
	@echo
	@$(FLASK) demo-logins
	@echo
	@echo "Lotsbok startar på http://$(HOST):$(PORT)  (avsluta med Ctrl+C)"
	@if $(FLASK) scheduler --help >/dev/null 2>&1; then \
		$(FLASK) scheduler run & sched=$$!; \
		trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host $(HOST) --port $(PORT) --no-reload; \
	else \
		$(FLASK) run --host $(HOST) --port $(PORT) --no-reload; \
	fi

web: install ## Start only the web server (no scheduler)
	$(FLASK) run --host $(HOST) --port $(PORT) --no-reload

scheduler: install ## Start only the scheduler process
	$(FLASK) scheduler run

browser-deps: ## Get what the browser tests need: Debian chromium (apt, as root), axe-core and oidc-provider (npm)
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installerar chromium med apt-get …"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "OBS: chromium saknas och kan inte installeras härifrån (kräver root)."; \
			echo "     Kör: sudo apt-get install -y chromium   – annars misslyckas webbläsartesterna."; \
		fi; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/oidc-provider/package.json ]; then \
		if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
		else echo "OBS: npm saknas; installera Node.js/npm för axe-core och oidc-provider (testerna)."; fi; \
	fi

# eark-validator (E-ARK CSIP validation of the e-arkiv export) pins lxml==5.1.0; the app uses
# lxml 6. It gets its own small venv and the tests call it in a subprocess (docs/ARCHITECTURE.md).
EARK_VENV := .venv-eark
$(EARK_VENV)/.installed: | $(BIN)/python
	$(PYTHON) -m venv $(EARK_VENV)
	$(EARK_VENV)/bin/pip install --quiet eark-validator==1.1.3
	touch $@

eark-validator: $(EARK_VENV)/.installed ## Install the E-ARK validator in its own venv (.venv-eark)

# The tests' temporary files (a copy of the SQLite database per test, the servers' logs, the
# browser profiles) go to /dev/shm when it is a writable tmpfs with 2 GB free: the copies are
# written, checkpointed and fsynced thousands of times, and on disk that waiting was about half
# of the SQLite run's wall-clock time. Elsewhere the system's TMPDIR. TEST_TMPDIR= overrides.
TEST_TMPDIR ?= $(shell d=/dev/shm; [ -d $$d ] && [ -w $$d ] && \
	[ "$$(df -Pk $$d 2>/dev/null | awk 'NR==2 {print $$4}')" -gt 2000000 ] 2>/dev/null && echo $$d)

# lint-imports first: an import that reaches up a layer (pyproject.toml) fails before the suite runs.
test: install-dev browser-deps eark-validator ## Run the import contracts, then the whole test suite (set DATABASE_URL for PostgreSQL)
	$(BIN)/lint-imports
	$(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR) )$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install-dev ## ruff check, ruff format --check, and the layer contracts (lint-imports)
	$(BIN)/ruff check app tests config.py run.py
	$(BIN)/ruff format --check app tests config.py run.py
	$(BIN)/lint-imports

fmt: install-dev ## ruff format + autofix
	$(BIN)/ruff check --fix app tests config.py run.py
	$(BIN)/ruff format app tests config.py run.py

# MUTANTS="app.cases.workflow*" runs only those (mutmut keeps earlier results in mutants/).
mutation: install-dev ## Mutation testing of the rule modules (slow, not in CI): score and surviving mutants
	LOTSBOK_TEST_TEMPLATE_CACHE=$(CURDIR)/mutants/.template-cache $(BIN)/mutmut run --max-children $(PYTEST_WORKERS) $(MUTANTS) || true
	$(BIN)/python scripts/mutation_report.py

clean: ## Remove the venv, caches and the local SQLite database
	rm -rf $(VENV) $(EARK_VENV) node_modules instance/*.sqlite3* test-artifacts mutants

translations-update: install-dev ## Re-extract texts and refresh the English catalogue
	$(BIN)/pybabel extract -F babel.cfg -k _l -o /tmp/lotsbok-messages.pot --ignore-dirs=".venv node_modules tests migrations" .
	$(BIN)/pybabel update -i /tmp/lotsbok-messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/translate_en.py

bench: install-dev ## Benchmark at 10 000 and 100 000 companies, in process and through gunicorn (PostgreSQL if DATABASE_URL is set)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
