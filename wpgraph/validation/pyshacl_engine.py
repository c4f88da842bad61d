"""The reference engine: pySHACL over rdflib, kept beside the compiled one to check it and to stand in for it.

``validate_plans`` checks each plan on its own graph plus the ontology,
vocabularies and catalogue (memory stays flat, plans run in parallel
processes), and the catalogue once; ``run_pyshacl`` validates any data against
any shapes, which the fast engine uses for the shapes it does not compile.
Both give ``ShaclResult``s, so reports and differential tests compare like with
like.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .results import ShaclResult, path_of

if TYPE_CHECKING:
    from rdflib import Graph

    from ..dataset.build import Build

SH = "http://www.w3.org/ns/shacl#"
PARALLEL_FROM = 8  # plans; below this, worker start-up costs more than it saves


def run_pyshacl(data: Iterable[ox.Quad | ox.Triple], shapes: Iterable[ox.Triple]) -> Graph:
    """pySHACL's report graph for ``data`` against ``shapes`` (SHACL Core and SHACL-SPARQL alike)."""
    import pyshacl

    from ..rdfio import rdflib_graph

    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # it logs a traceback per malformed literal
    _, report, _ = pyshacl.validate(rdflib_graph(data), shacl_graph=rdflib_graph(shapes), inference="none",
                                    allow_warnings=True, abort_on_first=False, meta_shacl=False, advanced=False,
                                    inplace=True, debug=False)
    return report


def results_from_report(report: Graph) -> list[ShaclResult]:
    """The results of a SHACL report graph (rdflib) as engine-independent ``ShaclResult``s."""
    from ..rdfio import graph_triples
    from .shapes_model import ShapesGraph

    graph = ShapesGraph(graph_triples(report))
    out = []
    for result in graph.subjects("http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                                 ox.NamedNode(SH + "ValidationResult")):
        def one(name: str, result: Any = result) -> Any:
            found = graph.values(result, SH + name)
            return found[0] if found else None

        value = one("value")
        out.append(ShaclResult(
            focus=one("focusNode"), path=path_of(one("resultPath"), graph.values), value=value,
            shape=one("sourceShape"), component=one("sourceConstraintComponent").value,
            severity=one("resultSeverity").value,
            messages=tuple(sorted((m for m in graph.values(result, SH + "resultMessage")
                                   if isinstance(m, ox.Literal)), key=str)),
            constraint=one("sourceConstraint")))
    return out


# The build's reference graphs while a validation runs: set before worker processes fork, so each inherits them.
_REFERENCE: list[tuple[ox.Triple, ...]] = [()]


def _reference_triples(build: Build) -> tuple[ox.Triple, ...]:
    """The reference graphs as the build holds them (not as the package has them now)."""
    return tuple(ox.Triple(q.subject, q.predicate, q.object)
                 for entry in build.manifest.reference for q in build.triples(entry.graph))


def _plan_results(plan_ntriples: bytes, shapes: tuple[ox.Triple, ...]) -> list[ShaclResult]:
    """One plan (as N-Triples, cheap to hand to a worker process) beside the reference graphs."""
    plan = list(ox.parse(plan_ntriples, format=ox.RdfFormat.N_TRIPLES))
    return results_from_report(run_pyshacl([*_REFERENCE[0], *plan], shapes))


def validate_plans(build: Build, plan_shapes: Sequence[ox.Triple], catalogue_shapes: Sequence[ox.Triple],
                   graphs: Sequence[str] | None = None, jobs: int | None = None) -> list[ShaclResult]:
    """Each plan of the build (or of ``graphs``) on its own, in parallel where it pays; the catalogue once."""
    derived = {e.graph: e.derived_graph for e in build.plans}
    names = list(graphs) if graphs is not None else [e.graph for e in build.plans]
    work = [ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for graph in (name, derived.get(name))
                          if graph for q in build.triples(graph)), format=ox.RdfFormat.N_TRIPLES) or b""
            for name in names]
    _REFERENCE[0] = _reference_triples(build)
    results = results_from_report(run_pyshacl(_REFERENCE[0], catalogue_shapes))
    shapes = tuple(plan_shapes)
    workers = jobs if jobs is not None else (min(4, os.cpu_count() or 1) if len(work) >= PARALLEL_FROM else 1)
    if workers > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for found in pool.map(_plan_results, work, [shapes] * len(work),
                                  chunksize=max(1, len(work) // (workers * 4))):
                results += found
    else:
        for data in work:
            results += _plan_results(data, shapes)
    return results
