# Two entry points on a fresh machine: `make run` (the app) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
# The app listens on this machine only; serve it to others behind a reverse proxy (README).
ADDRESS ?= 127.0.0.1
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "wbk needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/wbk init
	$(BIN)/wbk demo --if-empty
	$(BIN)/streamlit run app.py --server.address $(ADDRESS)

# Two pytest runs side by side, as the machines have two cores and the integration tests
# mostly wait (PostgreSQL, fsync, other processes): tests/integration, and everything else.
# The integration run's output follows the other's; the status fails if either fails.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@rm -f .pytest-integration.log .pytest-integration.rc; \
	( $(BIN)/pytest -n 2 --dist loadfile tests/integration > .pytest-integration.log 2>&1; \
	  echo $$? > .pytest-integration.rc ) & \
	$(BIN)/pytest --ignore=tests/integration; rest=$$?; \
	wait; echo "--- tests/integration ---"; cat .pytest-integration.log; \
	integration=$$(cat .pytest-integration.rc); rm -f .pytest-integration.rc; \
	[ "$$rest" -eq 0 ] && [ "$$integration" -eq 0 ]

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_app.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_surveys.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
