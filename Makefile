# stagelint developer commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck bench clean install

$(BIN)/stagelint: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/stagelint

# Lint the bundled examples: for each supported format a clean file and a failing one
# (examples/<format>/clean* and examples/<format>/failing*).
demo: install
	@echo "== clean examples: no findings expected =="
	@$(BIN)/stagelint check $$(find examples -path '*clean*' -type f | sort); echo "exit code: $$?"
	@echo
	@echo "== failing examples: findings expected (exit code 1) =="
	@$(BIN)/stagelint check $$(find examples -path '*failing*' -type f | sort); echo "exit code: $$?"

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	PYTHON=$(BIN)/python bash scripts/typecheck.sh

typecheck: install
	PYTHON=$(BIN)/python bash scripts/typecheck.sh

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
