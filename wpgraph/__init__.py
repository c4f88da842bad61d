"""wpgraph: a knowledge graph of how English councils answered the Adult Social Care COVID-19 Winter Plan 2020-21.

The Python API, for notebooks as much as for the ``wpgraph`` command::

    import wpgraph
    requirements = wpgraph.catalogue()                 # the national requirements
    dataset = wpgraph.build_dataset()                  # every bundled plan, one named graph each
    plan = wpgraph.import_template("my-council.xlsx")  # a filled LGA template, aligned
    report = wpgraph.validate()                        # SHACL completeness checks
    rows = wpgraph.query("coverage", council="Rutland")
    graph = wpgraph.to_networkx(view="coverage")

Names are imported lazily, so ``import wpgraph`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_API = {
    "catalogue": ("wpgraph.catalogue", "catalogue"),
    "Requirement": ("wpgraph.catalogue", "Requirement"),
    "build_dataset": ("wpgraph.dataset", "build_dataset"),
    "write_dataset": ("wpgraph.dataset", "write_dataset"),
    "import_template": ("wpgraph.plans", "import_template"),
    "plan_graph": ("wpgraph.plans", "plan_graph"),
    "align_rows": ("wpgraph.align", "align_rows"),
    "InputError": ("wpgraph.errors", "InputError"),
    "validate": ("wpgraph.validate", "validate"),
    "query": ("wpgraph.query", "query"),
    "to_networkx": ("wpgraph.export", "to_networkx"),
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .cli import version

        return version()
    if name in _API:
        module, attribute = _API[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'wpgraph' has no attribute {name!r}")
