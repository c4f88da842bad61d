# wpgraph: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: help demo test lint typecheck bench docs clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# An editable install: the package, its ontology, shapes, data and queries are read
# from this checkout, so an edited plan, shape or module is what the next run sees.
# The environment is made again when the dependencies (pyproject.toml) change, and
# re-installed when its wpgraph is not this checkout's (a `pip install .` copy, or a
# virtualenv made for another checkout), checked before every run.
$(BIN)/wpgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,plot,serve]"
	@touch $@

.PHONY: env
env: $(BIN)/wpgraph
	@$(BIN)/python -I -c 'import pathlib, sys, wpgraph.resources as r; here = pathlib.Path(sys.argv[1]).resolve(); \
	  sys.exit(pathlib.Path(r.__file__).resolve().parents[1] != here or r.bundle_root().resolve() != here)' \
	  "$(CURDIR)" || { echo "$(VENV) runs another wpgraph than this checkout's: installing this one"; \
	  $(BIN)/pip install --quiet -e ".[test,plot]"; }

demo: env  ## install, build the graph, check the plans and answer a question (embedded store, no server)
	$(BIN)/wpgraph build
	$(BIN)/wpgraph validate --summary --fail-on none
	$(BIN)/wpgraph query coverage

test: env  ## install, then lint, type-check and run the whole test suite
	$(BIN)/ruff check wpgraph tests benchmarks
	$(BIN)/mypy wpgraph
	$(BIN)/python -m pytest -q

lint: env  ## ruff over the code
	$(BIN)/ruff check wpgraph tests benchmarks

typecheck: env  ## mypy over the package
	$(BIN)/mypy wpgraph

bench: env  ## run the benchmarks (figures go to benchmarks/*.md)
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/query_bench.py

docs: $(BIN)/wpgraph  ## the ontology's documentation, docs/ontology.html (pyLODE, the docs extra)
	$(BIN)/pip install --quiet -e ".[docs]"
	PYLODE=$(BIN)/pylode scripts/ontology-docs.sh

clean:  ## remove the virtual environment and build output
	rm -rf $(VENV) build dist .pytest_cache
