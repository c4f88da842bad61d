"""The reference engine: pySHACL over rdflib, one plan at a time, beside the reference graphs.

Each plan is validated on its own graph plus the ontology, vocabularies and
catalogue, which keeps memory flat and lets plans run in parallel processes.
SHACL Core goes to pySHACL; the shapes' SHACL-SPARQL constraints run on
Oxigraph (``sparql_constraints``), which gives the same results several times
faster than rdflib's SPARQL engine (``engine="pyshacl"`` leaves everything to
pySHACL; the tests compare the two).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..namespaces import RDF, WP
from .findings import council_of_plan, findings_from_report, reference_of
from .report import SEVERITIES, Finding, PlanResult
from .score import score
from .shapes import shapes_graph
from .sparql_constraints import evaluate, load_store, split_shapes

if TYPE_CHECKING:
    from rdflib import Graph

_PLAN_GRAPH = "urn:wpgraph:validate:plan"


@cache
def reference_graph() -> Graph:
    """Ontology, vocabularies and catalogue as one rdflib graph, added to every plan's data."""
    from ..dataset.reference import reference_graphs
    from ..rdfio import rdflib_graph

    return rdflib_graph(t for g in reference_graphs() for t in g.triples)


def run_shacl(data: Graph, shapes: Graph, engine: str = "oxigraph", store: ox.Store | None = None) -> Graph:
    """The SHACL report graph of ``data`` against ``shapes``."""
    import pyshacl

    if engine not in ("oxigraph", "pyshacl"):
        raise ValueError(f"engine must be 'oxigraph' or 'pyshacl', not {engine!r}")
    core, constraints = split_shapes(shapes) if engine == "oxigraph" else (shapes, ())
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # it logs a traceback per malformed literal
    _, report, _ = pyshacl.validate(data, shacl_graph=core, inference="none", allow_warnings=True,
                                    abort_on_first=False, meta_shacl=False, advanced=False, inplace=True,
                                    debug=False)
    if constraints:
        evaluate(constraints, store if store is not None else load_store(data), report)
    return report


@cache
def _reference_store() -> ox.Store:
    """The reference graphs in Oxigraph, loaded once per process, for the SPARQL constraints."""
    from rdflib import URIRef

    return load_store(reference_graph(), URIRef("urn:wpgraph:validate:reference"))


@cache
def catalogue_findings() -> tuple[tuple[Finding, ...], Graph]:
    """The bundled catalogue checked with ``shapes/catalogue.ttl``: once per process, it cannot change."""
    from rdflib import Graph

    data = Graph()
    data += reference_graph()
    report = run_shacl(data, shapes_graph("catalogue"))
    return tuple(findings_from_report(report, data)), report


@dataclass
class PlanOutcome:
    plans: list[PlanResult]
    findings: list[Finding]
    report: Graph


def validate_plan(plan_ntriples: bytes, label: str) -> PlanOutcome:
    """One plan (its graph as N-Triples, so that it crosses to a worker process cheaply) against the plan shapes."""
    from rdflib import URIRef

    from ..rdfio import rdflib_graph

    plan_graph = rdflib_graph(ox.parse(plan_ntriples, format=ox.RdfFormat.N_TRIPLES))
    data = reference_graph() + plan_graph
    store = load_store(plan_graph, URIRef(_PLAN_GRAPH), _reference_store())
    try:
        report = run_shacl(data, shapes_graph("plan"), store=store)
    finally:
        store.clear_graph(ox.NamedNode(_PLAN_GRAPH))
    findings = findings_from_report(report, data)
    results = []
    for plan in sorted(plan_graph.subjects(RDF.type, WP.CouncilPlan), key=str):
        own = [f for f in findings if f.plan == str(plan)]
        council, gss = council_of_plan(data, plan)
        counted = Counter(f.severity for f in own)
        answers: dict[str, list[str]] = defaultdict(list)
        for response in data.subjects(WP.inPlan, plan):
            for requirement in data.objects(response, WP.addresses):
                answers[reference_of(data, requirement) or ""].append(str(response))
        value, addressed, required = score(answers, own)
        results.append(PlanResult(council=council, gss=gss, plan=str(plan), input=label,
                                  conforms=not counted.get("violation"), score=value,
                                  counts={s: counted.get(s, 0) for s in SEVERITIES},
                                  addressed=addressed, required=required))
    return PlanOutcome(results, findings, report)
