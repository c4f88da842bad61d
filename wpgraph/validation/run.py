"""Validating every plan of a build: the catalogue once, then each plan, in parallel where it pays."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..reference.catalogue import reference_key
from .report import FAIL_LEVELS, SEVERITIES, Finding, PlanResult, ValidationReport

if TYPE_CHECKING:
    from rdflib import Graph

    from ..dataset.build import Build

PARALLEL_FROM = 8  # plans; below this, worker start-up costs more than it saves


def _sort_key(finding: Finding) -> tuple:
    ref = finding.requirement
    try:
        ref_key = reference_key(ref) if ref else (True, 99, 0)
    except ValueError:
        ref_key = (True, 99, 0)
    return (finding.council or "", SEVERITIES.index(finding.severity), ref_key, finding.source or "",
            finding.shape, finding.focus)


def _merge_reports(reports: Sequence[Graph], conforms: bool) -> Graph:
    from rdflib import BNode, Graph, Literal

    from ..namespaces import PREFIXES, RDF, SH

    merged = Graph()
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace)
    node = BNode("report")
    merged.add((node, RDF.type, SH.ValidationReport))
    merged.add((node, SH.conforms, Literal(conforms)))
    for report in reports:
        for result in report.subjects(RDF.type, SH.ValidationResult):
            merged.add((node, SH.result, result))
        report_nodes = set(report.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in report:
            if s not in report_nodes:
                merged.add((s, p, o))
    return merged


def _plan_ntriples(build: Build, graph: str) -> bytes:
    return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in build.triples(graph)),
                        format=ox.RdfFormat.N_TRIPLES) or b""


def validate_build(build: Build, fail_on: str = "violation", jobs: int | None = None) -> ValidationReport:
    """Check every plan of a build against the shapes; the catalogue once."""
    from .pyshacl_engine import catalogue_findings, reference_graph, validate_plan
    from .shapes import shapes_graph

    if fail_on not in FAIL_LEVELS:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
    entries = build.plans
    work = [(_plan_ntriples(build, e.graph), e.path) for e in entries]
    workers = jobs if jobs is not None else (min(4, os.cpu_count() or 1) if len(work) >= PARALLEL_FROM else 1)
    catalogue, catalogue_report = catalogue_findings()
    if workers > 1 and len(work) > 1:
        reference_graph()
        shapes_graph("plan")  # built before the fork, inherited by every worker
        with ProcessPoolExecutor(max_workers=workers) as pool:
            data, labels = [w[0] for w in work], [w[1] for w in work]
            outcomes = list(pool.map(validate_plan, data, labels, chunksize=max(1, len(work) // (workers * 4))))
    else:
        outcomes = [validate_plan(data, label) for data, label in work]
    findings = list(catalogue)
    plans: list[PlanResult] = []
    for outcome in outcomes:
        findings += outcome.findings
        plans += outcome.plans
    findings.sort(key=_sort_key)
    plans.sort(key=lambda p: (p.council, p.plan))
    conforms = not any(f.severity == "violation" for f in findings)
    graph = _merge_reports([catalogue_report] + [o.report for o in outcomes], conforms)
    return ValidationReport(plans=plans, results=findings, graph=graph, fail_on=fail_on,
                            inputs=[e.path for e in entries])
