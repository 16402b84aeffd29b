# The set-up commands from the README: `make demo`, `make test` and `make docs`.
# Each builds its own virtual environment in .venv from this project's files alone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The example plugins in plugins/, each its own distribution, installed beside the core.
PLUGINS := $(wildcard plugins/*/pyproject.toml)

.PHONY: demo test docs bench bench-check clean

$(STAMP): pyproject.toml $(PLUGINS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' $(foreach p,$(PLUGINS),-e $(dir $(p)))
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/attendance-core demo

# Two workers: the suite is CPU-bound and the machines have two cores.
test: $(STAMP)
	.ci/system-packages
	$(BIN)/python -m pytest -n 2
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/lint-imports

# Rewrites every generated page of docs/ (hooks, code tables, policy keys, rules); the test
# suite fails while any of them is stale.
docs: $(STAMP)
	$(BIN)/python -m attendance_core._docgen docs

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_summary.py

bench-check: $(STAMP)
	$(BIN)/python benchmarks/bench_check.py --reps 5

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
