# customer_health — the two commands a new user needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export CUSTOMER_HEALTH_DB ?= $(CURDIR)/customer_health.duckdb
ACCOUNTS ?= 2000

.PHONY: setup demo world build test lint docs clean constraints

## setup: create the virtual environment and install the pinned dependencies
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt
	@echo "==> creating $(VENV) and installing pinned dependencies"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

## demo: generate the demo world into $(CUSTOMER_HEALTH_DB) and build everything
demo: setup world build

world: setup
	$(PY) scripts/generate_demo_world.py --db "$(CUSTOMER_HEALTH_DB)" --accounts $(ACCOUNTS)

build: setup
	$(DBT) build

## test: set up and run every test (pytest drives dbt against temporary warehouses)
test: setup
	$(PY) -m pytest

## lint: SQL lint with sqlfluff (dbt templater)
lint: setup
	$(VENV)/bin/sqlfluff lint models macros tests analyses

## docs: build the dbt docs site into target/
docs: setup
	$(DBT) docs generate

## constraints: re-pin every transitive dependency after changing requirements.txt
constraints:
	rm -rf /tmp/customer_health_pin && $(PYTHON) -m venv /tmp/customer_health_pin
	/tmp/customer_health_pin/bin/pip install --quiet -r requirements.txt
	( echo "# Full pinned dependency set (pip freeze of a clean install of requirements.txt)."; \
	  echo "# Regenerate: make constraints"; /tmp/customer_health_pin/bin/pip freeze ) > constraints.txt

clean:
	rm -rf target logs dbt_packages
