# Liptako: `make` sets up .venv and runs the baseline ensemble; `make test` runs every check.
# scripts/bootstrap.sh finds a Python >= 3.12 (PATH, pyenv) and installs the pinned versions.
.DEFAULT_GOAL := run
PY := .venv/bin/python

.PHONY: run test setup setup-test lint golden clean serve behaviour-seeds mutation
setup:
	@scripts/bootstrap.sh

# The tests also need Debian's Chromium and npm: scripts/system_deps.sh installs them (as root) or says how.
setup-test:
	@scripts/system_deps.sh
	@scripts/bootstrap.sh test,dask,viz

run: setup
	$(PY) run.py

test: setup-test
	$(PY) -m ruff check sim tests run.py benchmarks
	$(PY) -m mypy sim
	$(PY) -m pytest -q

# The instructor's page: installs the viz extra (and its offline browser assets), then serves on localhost.
serve:
	@scripts/bootstrap.sh viz
	$(PY) run.py serve

# The behaviour tests at two more root seeds than the default (they must hold for any seed).
BEHAVIOUR_SEEDS ?= 11 12345
behaviour-seeds: setup-test
	@for s in $(BEHAVIOUR_SEEDS); do echo "LIPTAKO_TEST_SEED=$$s"; \
	  LIPTAKO_TEST_SEED=$$s $(PY) -m pytest -q -m behaviour || exit 1; done

# Mutation testing (slow, not part of `make test`): score per module and surviving mutants.
mutation:
	@scripts/bootstrap.sh test,mutation
	$(PY) scripts/mutation.py

golden: setup-test
	$(PY) -m tests.update_golden

clean:
	rm -rf results .pytest_cache .mypy_cache .ruff_cache
