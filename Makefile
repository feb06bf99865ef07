# The two set-up commands of the README: `make run` and `make test`.
# Both install exactly the versions in requirements.lock (every package, with hashes) into
# .venv; `make lock` refreshes that lock, `make test-latest` runs the suite on the newest
# versions pyproject.toml allows, in .venv-latest (see README, "Dependencies").
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
DEFAULT_SCENARIO := scenarios/twente.yaml
UV_VERSION := 0.13.9

.PHONY: install run test lint typecheck pytest lock test-latest bench bench-quick fuzz load clean

# The lock holds setuptools too: the package is built without build isolation, so no
# unlocked build tool is fetched either.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python tools/check_lock.py $(LOCK)
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/scheduler solve $(DEFAULT_SCENARIO) --out out/twente --force --time-limit 30

test: $(STAMP)
	$(MAKE) --no-print-directory lint typecheck pytest BIN=$(BIN)

lint:
	$(BIN)/ruff check scheduler cli.py tests tools $(wildcard benchmarks)

typecheck:
	$(BIN)/mypy scheduler cli.py tools

pytest:
	$(BIN)/pytest

# Re-resolve every pin (newest versions pyproject.toml allows, one set for Python >= 3.11
# on every platform) with uv, kept in its own environment .venv-tools.
lock:
	test -x .venv-tools/bin/uv || ($(PYTHON) -m venv .venv-tools && \
		.venv-tools/bin/python -m pip install --quiet uv==$(UV_VERSION))
	printf 'setuptools>=77\n' | .venv-tools/bin/uv pip compile pyproject.toml - --extra dev \
		--universal --fork-strategy fewest --python-version 3.11 --generate-hashes --quiet \
		--custom-compile-command 'make lock' -o $(LOCK)

# The same checks on the newest releases, in a separate environment: an upstream release
# that breaks us shows here, on purpose, before it reaches the lock. Not part of .ci/run.
test-latest:
	test -d .venv-latest || $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	.venv-latest/bin/python -m pip list --format=freeze --exclude-editable > .venv-latest/versions.txt
	SCHEDULER_UNLOCKED=1 $(MAKE) --no-print-directory lint typecheck pytest BIN=.venv-latest/bin

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

# Many more fuzz examples than make test runs (about 30x, over 10,000 generated inputs,
# web uploads among them; it prints the counts, time and peak memory); FUZZ_EXAMPLES scales
# it. Then the long tests (marked long: the workbench stopped while solving) and the load
# test (LOAD_CLIENTS clients for LOAD_SECONDS against a local `scheduler serve`).
FUZZ_EXAMPLES ?= 1600
LOAD_CLIENTS ?= 20
LOAD_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz_long.py --examples $(FUZZ_EXAMPLES)
	SCHEDULER_LONG=1 $(BIN)/pytest -m long
	$(MAKE) --no-print-directory load

load: $(STAMP)
	$(BIN)/python tests/load_web.py --clients $(LOAD_CLIENTS) --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) .venv-latest out .pytest_cache .mypy_cache .ruff_cache
