"""wpgraph: a knowledge graph of how English councils answered the Adult Social Care COVID-19 Winter Plan 2020-21.

The Python API, for notebooks as much as for the ``wpgraph`` command (run from
a checkout, where ``examples/`` holds a fictional council's template):

    >>> import wpgraph
    >>> len(wpgraph.catalogue())                                   # the national requirements
    102
    >>> result = wpgraph.build(["examples/borsetshire"], bundled=True)   # the knowledge graph, in ./build
    >>> plan = wpgraph.import_template("examples/borsetshire/template.csv")  # a filled template, aligned
    >>> report = wpgraph.validate()                                # SHACL completeness checks of ./build
    >>> rows = wpgraph.query("coverage", council="Borsetshire")   # a canned SPARQL query on ./build
    >>> graph = wpgraph.to_networkx(view="coverage")               # a view for Gephi, Cytoscape, …
    >>> len(report.plans), len(rows), graph.number_of_nodes() > 86
    (5, 5, True)

The functions live in :mod:`wpgraph.entrypoints`, which imports nothing heavy
until a function is called, so ``import wpgraph`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from .entrypoints import (
    build,
    catalogue,
    export,
    import_template,
    open_build,
    push,
    query,
    run_sparql,
    to_networkx,
    validate,
)
from .errors import InputError

__all__ = ["InputError", "__version__", "build", "catalogue", "export", "import_template", "open_build", "push",
           "query", "run_sparql", "to_networkx", "validate"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .about import version

        return version()
    raise AttributeError(f"module 'wpgraph' has no attribute {name!r}")
