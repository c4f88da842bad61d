"""The Python API: one function per thing wpgraph does, as a notebook or a script calls it.

Each entry point can be called any number of times, in any order, in one
process; the ``wpgraph`` command line is a thin layer over these. Heavy
libraries (rdflib, pySHACL, networkx) are imported inside the functions, so
``import wpgraph`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .dataset.build import WpDataset
    from .ingest.plans import PlanRecord
    from .reference.catalogue import Requirement
    from .validation.validate import ValidationReport


def catalogue() -> tuple[Requirement, ...]:
    """The national requirements: the LGA template's 86 council actions (0.1-4.11) and the NHS actions."""
    from .reference.catalogue import catalogue as bundled_catalogue

    return bundled_catalogue()


def build_dataset(plans: Iterable[str | Path] | None = None, plans_dir: str | Path | None = None) -> WpDataset:
    """The whole graph in memory: reference graphs and the given plans (default: every bundled plan)."""
    from .dataset.build import build_dataset as assemble

    return assemble([Path(p) for p in plans] if plans is not None else None,
                    Path(plans_dir) if plans_dir is not None else None)


def import_template(path: str | Path, council: str | None = None, gss: str | None = None,
                    sheet: str | None = None) -> PlanRecord:
    """A filled LGA template (.csv or .xlsx), each row aligned to the catalogue."""
    from .ingest.plans import import_template as read

    return read(path, council=council, gss=gss, sheet=sheet)


def validate(inputs: Iterable[str | Path] | None = None, fail_on: str = "violation",
             jobs: int | None = None) -> ValidationReport:
    """SHACL completeness checks of council plans (default: every bundled plan)."""
    from .validation.validate import validate as check

    return check(inputs, fail_on=fail_on, jobs=jobs)


def query(name: str, endpoint: str | None = None, *, build: str | Path | None = None, timeout: float = 30.0,
          **params: Any) -> list[dict[str, Any]]:
    """A canned query by name, e.g. ``query("coverage", council="Rutland")``: rows as dicts."""
    from .queries.canned import query as run

    return run(name, endpoint, build=build, timeout=timeout, **params)


def to_networkx(view: str = "full", council: str | Sequence[str] | None = None, dataset: Any = None) -> nx.Graph:
    """The knowledge graph seen through one view (full, themes, accountability, partners, coverage)."""
    from .views.graphs import to_networkx as view_of

    return view_of(view=view, council=council, dataset=dataset)


__all__ = ["catalogue", "build_dataset", "import_template", "validate", "query", "to_networkx"]
