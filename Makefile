# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEFAULT_SCENARIO := scenarios/twente.yaml

.PHONY: install run test lint typecheck pytest bench bench-quick fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/scheduler solve $(DEFAULT_SCENARIO) --out out/twente --force --time-limit 30

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check scheduler cli.py tests $(wildcard benchmarks)

typecheck: $(STAMP)
	$(BIN)/mypy scheduler cli.py

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

# Many more fuzz examples than make test runs (about 50x); FUZZ_EXAMPLES scales it.
FUZZ_EXAMPLES ?= 2500
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz_long.py --examples $(FUZZ_EXAMPLES)

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
