# Every target creates .venv and installs the project first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check schema format soak bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "atrisk needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/atrisk serve

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

soak: install
	ATRISK_SOAK_SECONDS=$${ATRISK_SOAK_SECONDS:-300} $(BIN)/python -m pytest tests/test_soak.py $(PYTEST_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: install
	$(BIN)/atrisk export-schema --output schema.graphql

BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# Seeds SQLite (and PostgreSQL when ATRISK_BENCH_POSTGRES_URL is set), serves, loads with
# wrk and writes bench/results.md, one section per part. Needs wrk (Debian: apt-get install
# wrk). BENCH_PARTS picks parts: "lists cases live" (the default: all of them).
BENCH_PARTS ?= lists cases live

bench: $(BENCH_STAMP)
	@for part in $(BENCH_PARTS); do \
	  case $$part in \
	    lists) $(BIN)/python -m bench.run || exit 1 ;; \
	    cases) $(BIN)/python -m bench.cases || exit 1 ;; \
	    live) $(BIN)/python -m bench.live || exit 1 ;; \
	    *) echo "unknown bench part: $$part (lists, cases, live)"; exit 2 ;; \
	  esac; \
	done
