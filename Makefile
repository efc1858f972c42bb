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

# The whole suite (its behaviour tests at the default root seed, 2023), then the behaviour tests again at two
# more root seeds: they must hold for any seed (tests/test_behaviour.py; docs/testing.md has the times).
BEHAVIOUR_SEEDS ?= 11 12345
test: setup-test
	$(PY) -m ruff check sim tests run.py benchmarks
	$(PY) -m mypy sim
	$(PY) -m pytest -q
	@for s in $(BEHAVIOUR_SEEDS); do echo "LIPTAKO_TEST_SEED=$$s pytest -m behaviour"; \
	  LIPTAKO_TEST_SEED=$$s $(PY) -m pytest -q -m behaviour || exit 1; done

# The instructor's page: installs the viz extra (and its offline browser assets), then serves on localhost.
serve:
	@scripts/bootstrap.sh viz
	$(PY) run.py serve

# Only the behaviour tests at the two more root seeds (make test runs them too).
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
