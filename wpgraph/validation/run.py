"""Validating a build: every plan against the shapes, by the fast engine or by pySHACL, into one report.

``engine="fast"`` (the default) runs the shapes compiled to SPARQL on the
build's store, every plan in one pass; ``engine="pyshacl"`` validates each plan
with pySHACL, the reference the fast engine is tested against. Both give the
same ``ShaclResult``s, which become ``Finding``s with their council, requirement,
row reference and source row, and a score per plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .cache import CATALOGUE, FindingsCache, cache_key
from .context import node_context
from .report import ENGINES, FAIL_LEVELS, SEVERITIES, Finding, PlanResult, ValidationReport
from .results import ShaclResult
from .score import coverage_counts, score

if TYPE_CHECKING:
    from ..dataset.build import Build
    from ..dataset.manifest import InputEntry

SH = "http://www.w3.org/ns/shacl#"
_SEVERITY = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}


def _text(node: object) -> str:
    if isinstance(node, (ox.NamedNode, ox.Literal)):
        return node.value
    return str(node)


@lru_cache(maxsize=4096)
def _message(messages: tuple[ox.Literal, ...]) -> str:
    """The message a finding shows: the English one (or the only one) of the result's messages."""
    english = [m for m in messages if m.language in (None, "en")]
    chosen = sorted(english or messages, key=str)
    return chosen[0].value if chosen else ""


def to_findings(build: Build, results: Sequence[ShaclResult]) -> list[Finding]:
    """Each result with what an officer needs to find the row it is about.

    A plan's nodes are looked up in the index the build made of it; anything else
    a result names (a catalogue requirement, or a plan's council, role, gap action,
    evidence or figure) is looked up on the store.
    """
    indexes = build.plan_indexes()
    known: dict[str, tuple[str, list[str | None]]] = {}  # node -> (plan, [requirement, local ref, source])
    for plan_iri, index in indexes.items():
        for node, facts in index.nodes.items():
            known[node] = (plan_iri, facts)
    elsewhere = {_text(n) for r in results for n in (r.focus, r.value)
                 if isinstance(n, ox.NamedNode) and n.value not in known and n.value not in indexes}
    context = node_context(build.store, elsewhere) if elsewhere else {}
    findings = []
    for result in results:
        focus, value = _text(result.focus), _text(result.value) if result.value is not None else None
        plan: str | None = None
        requirement = local_ref = source = None
        if focus in known:
            plan, (requirement, local_ref, source) = known[focus]
        elif focus in indexes:  # a plan is the focus node: the value says what it is about
            plan = focus
            if value in known:
                _, (requirement, local_ref, source) = known[value]
        elif focus in context:  # a requirement, or a node of a plan the index does not list (a council, a role, …)
            found = context[focus]
            requirement, source = found.requirement, found.source
            plan = found.plan if found.plan in indexes else None
        elif isinstance(result.focus, ox.Literal):  # the unique-reference shape targets the references themselves
            requirement = result.focus.value
        findings.append(Finding(
            severity=_SEVERITY.get(result.severity, "violation"),
            council=indexes[plan].council if plan in indexes else None, requirement=requirement,
            local_ref=local_ref, message=_message(result.messages), focus=focus,
            path=result.path.text() if result.path is not None else None, shape=_text(result.shape),
            source=source, plan=plan, component=result.component,
            value=str(result.value) if result.value is not None else None))
    return findings


@lru_cache(maxsize=1024)
def _requirement_key(ref: str | None) -> tuple:
    from ..reference.catalogue import reference_key  # here: the catalogue module brings rdflib

    try:
        return reference_key(ref) if ref else (True, 99, 0)
    except ValueError:
        return (True, 99, 0)


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def _sort_key(finding: Finding) -> tuple:
    # the last fields only break ties, so that the order never depends on the order the engine found them in
    return (finding.council or "", _SEVERITY_RANK[finding.severity], _requirement_key(finding.requirement),
            finding.source or "", finding.shape, finding.focus, finding.value or "", finding.component or "",
            finding.path or "", finding.message, finding.plan or "")


def merge_reports(first: ValidationReport, second: ValidationReport) -> ValidationReport:
    """Two reports on different plans as one, in the order one validation of them all gives."""
    return ValidationReport(plans=sorted(first.plans + second.plans, key=lambda p: (p.council, p.plan)),
                            results=sorted(first.results + second.results, key=_sort_key),
                            raw=None if first.raw is None or second.raw is None else first.raw + second.raw,
                            fail_on=first.fail_on, inputs=first.inputs + second.inputs,
                            notes=list(dict.fromkeys(first.notes + second.notes)))


def validate_build(build: Build, fail_on: str = "violation", jobs: int | None = None,
                   engine: str = "fast", use_cache: bool = True, catalogue: bool = True) -> ValidationReport:
    """Check every plan of a build against the shapes (and, with ``catalogue``, the catalogue once).

    With ``use_cache`` (a build folder only), plans whose findings the build has
    kept under a current key are not validated again; the others are, on their
    own graphs beside the reference graphs. The report's SHACL graph
    (``report_triples``) needs every result: ask for it with ``use_cache=False``.
    """
    from .shapes import shapes_digest

    if fail_on not in FAIL_LEVELS:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    cache = FindingsCache(build.folder, engine) if use_cache and build.folder is not None else None
    reference = ",".join(f"{g.graph}={g.sha256}" for g in build.manifest.reference)
    keys = {e.graph: cache_key(engine, shapes_digest(), reference, build.manifest.code, e.sha256)
            for e in build.plans}
    catalogue_key = cache_key(engine, shapes_digest(), reference, build.manifest.code, CATALOGUE)
    kept: dict[str, list[Finding]] = {}
    if cache is not None:
        for name, key in [*keys.items(), (CATALOGUE, catalogue_key)]:
            found = cache.get(name, key)
            if found is not None:
                kept[name] = found
    stale = [e for e in build.plans if e.graph not in kept]
    results: list[ShaclResult] = []
    notes: list[str] = []
    check_catalogue = catalogue and CATALOGUE not in kept
    if stale or check_catalogue:
        graphs = None if len(stale) == len(build.plans) else _graphs_of(build, stale)
        results, notes = _run_engine(build, engine, jobs, graphs, [e.graph for e in stale], check_catalogue)
    fresh = to_findings(build, results)
    if cache is not None:
        by_graph = {e.plan: e.graph for e in build.plans}
        split: dict[str, list[Finding]] = {e.graph: [] for e in stale}
        split.setdefault(CATALOGUE, [])
        for finding in fresh:
            split.setdefault(by_graph.get(finding.plan or "", CATALOGUE), []).append(finding)
        for name, findings in split.items():
            if name != CATALOGUE or check_catalogue:
                cache.put(name, catalogue_key if name == CATALOGUE else keys[name], findings)
    findings = fresh + [f for found in kept.values() for f in found]
    plans = _plan_results(build, findings)
    findings = sorted(findings, key=_sort_key)
    if kept and stale:
        notes.append(f"{len(kept) - (CATALOGUE in kept)} plan(s) unchanged since the build last validated them: "
                     "their findings were kept")
    return ValidationReport(plans=plans, results=findings, raw=list(results) if not kept else None,
                            fail_on=fail_on, inputs=[e.path for e in build.plans], notes=notes)


def _graphs_of(build: Build, entries: Sequence[InputEntry]) -> list[ox.NamedNode]:
    """The reference graphs and the given plans' own and derived graphs: what validating those plans reads."""
    names = [g.graph for g in build.manifest.reference]
    names += [name for e in entries for name in (e.graph, e.derived_graph) if name]
    return [ox.NamedNode(name) for name in names]


def _run_engine(build: Build, engine: str, jobs: int | None, graphs: Sequence[ox.NamedNode] | None,
                plans: Sequence[str], catalogue: bool) -> tuple[list[ShaclResult], list[str]]:
    """The engine's results for the given plans (their graphs, or all) and, if asked, for the catalogue.

    As the reference engine does, the catalogue shapes see the reference graphs only: the catalogue is the
    package's, and a plan may state nothing about it (the trust boundary).
    """
    from .shapes import shape_triples

    if engine == "fast":
        from .fast_engine import run_shapes

        results: list[ShaclResult] = []
        notes: list[str] = []
        if plans:
            outcome = run_shapes(build.store, shape_triples("plan"), graphs, threads=jobs)
            results, notes = outcome.results, outcome.notes
        if catalogue:
            outcome = run_shapes(build.store, shape_triples("catalogue"),
                                 [ox.NamedNode(g.graph) for g in build.manifest.reference], threads=jobs)
            results, notes = results + outcome.results, notes + outcome.notes
        return results, notes
    from .pyshacl_engine import validate_plans

    results = validate_plans(build, shape_triples("plan"), shape_triples("catalogue"), graphs=plans, jobs=jobs)
    return results, ["validated by pySHACL (the reference engine), one plan at a time"]


def _plan_results(build: Build, findings: Sequence[Finding]) -> list[PlanResult]:
    inputs = {e.plan: e.path for e in build.plans}
    by_plan: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.plan is not None:
            by_plan.setdefault(finding.plan, []).append(finding)
    results = []
    for plan, index in build.plan_indexes().items():
        own = by_plan.get(plan, [])
        counted = Counter(f.severity for f in own)
        value, answered, required = score(index.coverage, index.answers, own)
        kinds = coverage_counts(index.coverage)
        results.append(PlanResult(council=index.council, gss=index.gss, plan=plan, input=inputs.get(plan, plan),
                                  conforms=not counted.get("violation"), score=value,
                                  counts={s: counted.get(s, 0) for s in SEVERITIES}, addressed=answered,
                                  required=required, direct=kinds["direct"], credited=kinds["credited"],
                                  partly=kinds["partly"]))
    return sorted(results, key=lambda p: (p.council, p.plan))
