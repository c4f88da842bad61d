# wpgraph: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: help demo test lint typecheck bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# An editable install: the package, its ontology, shapes, data and queries are read
# from this checkout, so an edited plan or shape is what the next run sees. The
# environment is refreshed only when the dependencies (pyproject.toml) change.
$(BIN)/wpgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,plot]"
	@touch $@

demo: $(BIN)/wpgraph  ## install, build the graph, check the plans and answer a question (embedded store, no server)
	$(BIN)/wpgraph build
	$(BIN)/wpgraph validate --summary --fail-on none
	$(BIN)/wpgraph query coverage

test: $(BIN)/wpgraph  ## install, then lint, type-check and run the whole test suite
	$(BIN)/ruff check wpgraph tests benchmarks
	$(BIN)/mypy wpgraph
	$(BIN)/python -m pytest -q

lint: $(BIN)/wpgraph  ## ruff over the code
	$(BIN)/ruff check wpgraph tests benchmarks

typecheck: $(BIN)/wpgraph  ## mypy over the package
	$(BIN)/mypy wpgraph

bench: $(BIN)/wpgraph  ## run the benchmarks (figures go to benchmarks/*.md)
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/query_bench.py

clean:  ## remove the virtual environment and build output
	rm -rf $(VENV) build dist .pytest_cache
