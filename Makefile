# customer_health — the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export CUSTOMER_HEALTH_DB ?= $(CURDIR)/customer_health.duckdb
ACCOUNTS ?= 2000

# the steps of demo and test run in the order listed, also under make -j
.NOTPARALLEL:

.PHONY: setup demo world build report summary test pytest lint metadata docs bench clean constraints

## setup: create the virtual environment and install the pinned dependencies
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt
	@echo "==> creating $(VENV) and installing pinned dependencies"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

## demo: generate the demo world into $(CUSTOMER_HEALTH_DB), build everything, write the report
demo: setup world build report summary

world: setup
	@echo "==> generating the demo world ($(ACCOUNTS) accounts) into $(CUSTOMER_HEALTH_DB)"
	$(PY) scripts/generate_demo_world.py --db "$(CUSTOMER_HEALTH_DB)" --accounts $(ACCOUNTS)

build: setup
	@echo "==> dbt build (staging, signals, scores, history, backtest gate, alerts, CRM sync)"
	@# on failure, say which gate or node failed and what decides it (scripts/gate_report.py)
	$(DBT) build || { $(PY) scripts/gate_report.py --db "$(CUSTOMER_HEALTH_DB)"; exit 1; }

## report: write the self-contained HTML report to target/health_report.html
report: setup
	@echo "==> writing the report"
	$(PY) scripts/report.py --db "$(CUSTOMER_HEALTH_DB)" --out target/health_report.html

summary: setup
	@$(PY) scripts/summary.py --db "$(CUSTOMER_HEALTH_DB)" --report target/health_report.html

## test: set up and run every test: lint, the metadata gate, then pytest (dbt on
## temporary DuckDB files and a throwaway PostgreSQL server, GX, the report in Chromium)
test: setup lint pytest

pytest: setup
	$(PY) -m pytest

## lint: SQL lint with sqlfluff (dbt templater)
lint: setup
	@mkdir -p target
	CUSTOMER_HEALTH_DB=$(CURDIR)/target/lint.duckdb $(VENV)/bin/sqlfluff lint models macros tests analyses

## metadata: on the built warehouse, fail when a model or column lacks a description or a
## model lacks a primary-key test (make test runs the same gate in tests/python/test_metadata.py)
metadata: setup
	$(DBT) docs generate --quiet
	$(PY) scripts/check_metadata.py --target-path target

## docs: build the dbt docs site into target/ (open target/index.html, or `dbt docs serve`)
docs: setup
	$(DBT) docs generate

## bench: benchmark against the floor (BENCH_ACCOUNTS="2000 20000" to change sizes)
BENCH_ACCOUNTS ?= 20000
bench: setup
	$(PY) scripts/bench.py --accounts $(BENCH_ACCOUNTS)

## constraints: re-pin every transitive dependency after changing requirements.txt
constraints:
	rm -rf /tmp/customer_health_pin && $(PYTHON) -m venv /tmp/customer_health_pin
	/tmp/customer_health_pin/bin/pip install --quiet -r requirements.txt
	( echo "# Full pinned dependency set (pip freeze of a clean install of requirements.txt)."; \
	  echo "# Regenerate: make constraints"; /tmp/customer_health_pin/bin/pip freeze ) > constraints.txt

clean:
	rm -rf target logs dbt_packages
