"""Completeness checks: validate council plans against the SHACL shapes in ``shapes/``.

``validate()`` reads its inputs (filled templates, RDF plan graphs, or every
bundled plan), checks the bundled catalogue once with ``shapes/catalogue.ttl``,
then checks each plan on its own (its graph plus the ontology, vocabularies and
catalogue) with ``shapes/response.ttl`` and ``shapes/plan.ttl``. Validating one
plan at a time keeps memory flat and lets plans run in parallel; pySHACL on one
merged graph of 150 plans is several times slower. SHACL Core runs in pySHACL;
the SHACL-SPARQL constraints run on Oxigraph (``wpgraph.shacl_sparql``), which
gives the same results several times faster (``benchmarks/RESULTS.md``).

The result is a ``ValidationReport``: one ``PlanResult`` per council plan (with
its completeness score), a flat list of ``Finding``s, and the standard SHACL
validation report graph. The ``wpgraph validate`` command only renders it.

Completeness score of a plan (also in docs/model.md)::

    score = 100 × Σ credit(requirement) / required

over the ``required`` catalogue requirements addressed to councils, where a
requirement's credit is 1 when a response answers it (directly, or for a
section-0 recommendation through an overlapping detailed requirement) and at
least one such response has no violation; 0.5 when it is answered but every
answering response has a violation; 0 when it is not answered. Warnings and
information do not lower the score. Rounded to one decimal.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, SKOS

from .. import rdfio
from ..errors import InputError
from ..namespaces import WP
from ..reference.catalogue import catalogue, reference_key, requirement_iri
from ..resources import bundled
from .sparql_constraints import evaluate, load_store, split_shapes

SEVERITIES = ("violation", "warning", "info")
FAIL_LEVELS = (*SEVERITIES, "none")
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
CATALOGUE_SHAPES = "catalogue.ttl"
PLAN_INPUT_SUFFIXES = (".csv", ".xlsx")
PARALLEL_FROM = 8  # plans; below this, worker start-up costs more than it saves
COVERAGE_SHAPE = URIRef("https://w3id.org/wpgraph/shapes#PlanCoversRequirements")


@dataclass(frozen=True)
class Finding:
    """One SHACL result, with what an officer needs to find the row it is about."""

    severity: str  # violation | warning | info
    council: str | None  # None for findings about the catalogue itself
    requirement: str | None  # catalogue reference the finding is about ("3.21"); the missing one for coverage
    local_ref: str | None  # the council's own reference of the row
    message: str
    focus: str
    path: str | None
    shape: str
    source: str | None  # "file:row" (or "file:line") of the row
    plan: str | None = None  # the plan's IRI

    def as_dict(self) -> dict:
        return {"severity": self.severity, "council": self.council, "requirement": self.requirement,
                "localRef": self.local_ref, "message": self.message, "focus": self.focus, "path": self.path,
                "shape": self.shape, "source": self.source}


@dataclass
class PlanResult:
    """One council plan's verdict."""

    council: str
    gss: str | None
    plan: str
    input: str
    conforms: bool
    score: float
    counts: dict[str, int]
    addressed: int
    required: int

    @property
    def coverage(self) -> dict[str, int]:
        return {"addressed": self.addressed, "required": self.required}

    def as_dict(self) -> dict:
        return {"council": self.council, "gss": self.gss, "conforms": self.conforms, "score": self.score,
                "counts": dict(self.counts), "coverage": self.coverage}


@dataclass
class ValidationReport:
    """What ``validate()`` found. ``conforms`` follows SHACL with warnings allowed: no violations."""

    plans: list[PlanResult]
    results: list[Finding]
    graph: Graph
    fail_on: str = "violation"
    inputs: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.results)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.results)
        return {s: counted.get(s, 0) for s in SEVERITIES}

    def reaches(self, level: str | None = None) -> bool:
        """True when some finding is at ``level`` (default: ``fail_on``) or more severe."""
        level = level or self.fail_on
        if level == "none":
            return False
        worst = SEVERITIES[: SEVERITIES.index(level) + 1]
        return any(f.severity in worst for f in self.results)

    @property
    def failed(self) -> bool:
        return self.reaches()

    def findings_for(self, plan: PlanResult) -> list[Finding]:
        return [f for f in self.results if f.plan == plan.plan]

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "plans": [p.as_dict() for p in self.plans],
                "results": [f.as_dict() for f in self.results]}


# --------------------------------------------------------------------------- shapes and reference graphs

def shape_files() -> list[Path]:
    return sorted(bundled("shapes").glob("*.ttl"))


@cache
def shapes_graph(kind: str) -> Graph:
    """``catalogue``: the catalogue-integrity shapes; ``plan``: every other shape file."""
    graph = Graph()
    for path in shape_files():
        if (path.name == CATALOGUE_SHAPES) == (kind == "catalogue"):
            graph += rdfio.read_graph(path)
    return graph


@cache
def reference_graph() -> Graph:
    """Ontology, vocabularies and catalogue: added to every plan, so a plan file alone is enough."""
    from ..dataset.build import reference_graphs

    return reference_graphs().merged()


@cache
def _council_requirements() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(reference, references that also answer it) for each requirement a council plan must answer."""
    out = []
    for req in catalogue():
        if req.is_council_requirement:
            twins = req.close_matches if req.theme == 0 else ()
            out.append((req.reference, twins))
    return tuple(out)


# --------------------------------------------------------------------------- running pySHACL

def _run_shacl(data: Graph, shapes: Graph, engine: str = "oxigraph", store: ox.Store | None = None) -> Graph:
    """The SHACL report of ``data`` against ``shapes``.

    SHACL Core goes to pySHACL. With ``engine="oxigraph"`` (the default) the
    SHACL-SPARQL constraints are split off and evaluated on Oxigraph
    (``wpgraph.shacl_sparql``), several times faster than rdflib's engine;
    ``engine="pyshacl"`` leaves everything to pySHACL (the tests compare the two).
    ``store``: an Oxigraph store that already holds ``data`` (saves loading it again).
    """
    import logging

    import pyshacl

    if engine not in ("oxigraph", "pyshacl"):
        raise ValueError(f"engine must be 'oxigraph' or 'pyshacl', not {engine!r}")
    core, constraints = split_shapes(shapes) if engine == "oxigraph" else (shapes, ())
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    _, report, _ = pyshacl.validate(data, shacl_graph=core, inference="none", allow_warnings=True,
                                    abort_on_first=False, meta_shacl=False, advanced=False, inplace=True,
                                    debug=False)
    if constraints:
        evaluate(constraints, store if store is not None else load_store(data), report)
    return report


_PLAN_GRAPH = URIRef("urn:wpgraph:validate:plan")


@cache
def _reference_store() -> ox.Store:
    """Ontology, vocabularies and catalogue in Oxigraph, loaded once per process."""
    return load_store(reference_graph(), URIRef("urn:wpgraph:validate:reference"))


def _first(graph: Graph, subject, predicate):
    values = sorted(graph.objects(subject, predicate), key=str)
    return values[0] if values else None


def _source(graph: Graph, node) -> str | None:
    """``file:row`` of a node, or ``file:line`` when it has only a seed line."""
    best = None
    for location in graph.objects(node, PROV.wasDerivedFrom):
        document = _first(graph, location, WP.inDocument)
        name = _first(graph, document, WP.fileName) if document is not None else None
        if name is None:
            continue
        row = _first(graph, location, WP.row)
        line = _first(graph, location, WP.line)
        if row is not None:
            candidate = (0, int(row), f"{name}:{row}")
        elif line is not None:
            candidate = (1, int(line), f"{name}:{line}")
        else:
            continue
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def _council_of_plan(graph: Graph, plan) -> tuple[str, str | None]:
    council = _first(graph, plan, WP.council)
    if council is None:
        return str(plan), None
    label = _first(graph, council, RDFS.label) or _first(graph, council, SKOS.prefLabel)
    gss = _first(graph, council, WP.gssCode)
    return (str(label) if label is not None else str(council)), (str(gss) if gss is not None else None)


def _reference(graph: Graph, requirement) -> str | None:
    if requirement is None:
        return None
    ref = _first(graph, requirement, WP.reference)
    return str(ref) if ref is not None else str(requirement).rsplit("/", 1)[-1]


def _path_iri(graph: Graph, path) -> str | None:
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):  # an alternative path: name its first member, the response's own cell
        first = _first(graph, path, SH.alternativePath)
        if first is not None:
            head = _first(graph, first, RDF.first)
            if isinstance(head, URIRef):
                return str(head)
    return None


def _findings(report: Graph, data: Graph) -> list[Finding]:
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        severity = _SEVERITY_OF.get(report.value(result, SH.resultSeverity), "violation")
        message = _first(report, result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        plan = council = requirement = local_ref = source = None
        row_node = None
        types = set(data.objects(focus, RDF.type))
        if WP.Response in types:
            row_node = focus
            requirement = _reference(data, _first(data, focus, WP.addresses))
            plan = _first(data, focus, WP.inPlan)
        elif WP.CouncilPlan in types:
            plan = focus
            if value is not None and WP.Response in set(data.objects(value, RDF.type)):
                row_node = value
                requirement = _reference(data, _first(data, value, WP.addresses))
            elif value is not None:
                requirement = _reference(data, value)
        elif WP.Requirement in types:
            requirement = _reference(data, focus)
        elif isinstance(focus, Literal):
            requirement = str(focus)
        if row_node is not None:
            ref = _first(data, row_node, WP.localReference)
            local_ref = str(ref) if ref is not None else None
            source = _source(data, row_node)
        if plan is not None:
            council, _ = _council_of_plan(data, plan)
        findings.append(Finding(
            severity=severity, council=council, requirement=requirement, local_ref=local_ref,
            message=str(message) if message is not None else "", focus=str(focus),
            path=_path_iri(report, report.value(result, SH.resultPath)),
            shape=str(shape), source=source, plan=str(plan) if plan is not None else None))
    return findings


def _score(data: Graph, plan, findings: list[Finding]) -> tuple[float, int, int]:
    """(score, addressed, required) of one plan; see the module docstring for the formula."""
    required = _council_requirements()
    missing = {f.requirement for f in findings if f.shape == str(COVERAGE_SHAPE)}
    violating = {f.focus for f in findings if f.severity == "violation"}
    answers: dict[str, list[str]] = {}
    for response in data.subjects(WP.inPlan, plan):
        for requirement in data.objects(response, WP.addresses):
            answers.setdefault(_reference(data, requirement), []).append(str(response))
    credit = 0.0
    addressed = 0
    for ref, twins in required:
        if ref in missing:
            continue
        addressed += 1
        responses = answers.get(ref) or [r for twin in twins for r in answers.get(twin, [])]
        credit += 1.0 if any(r not in violating for r in responses) else 0.5
    score = round(100.0 * credit / len(required), 1) if required else 100.0
    return score, addressed, len(required)


@dataclass
class _UnitResult:
    plans: list[PlanResult]
    findings: list[Finding]
    report: Graph


def _validate_graph(plan_graph: Graph, label: str) -> _UnitResult:
    """Validate one input's plan graph (usually one plan) against the response and plan shapes."""
    plans = sorted(plan_graph.subjects(RDF.type, WP.CouncilPlan))
    if not plans:
        raise InputError("holds no wp:CouncilPlan: nothing to validate", label)
    data = Graph()
    data += reference_graph()
    data += plan_graph
    store = load_store(plan_graph, _PLAN_GRAPH, _reference_store())
    try:
        report = _run_shacl(data, shapes_graph("plan"), store=store)
    finally:
        store.clear_graph(ox.NamedNode(str(_PLAN_GRAPH)))
    findings = _findings(report, data)
    results = []
    for plan in plans:
        own = [f for f in findings if f.plan == str(plan)]
        council, gss = _council_of_plan(data, plan)
        counted = Counter(f.severity for f in own)
        score, addressed, required = _score(data, plan, own)
        results.append(PlanResult(council=council, gss=gss, plan=str(plan), input=label,
                                  conforms=not counted.get("violation"), score=score,
                                  counts={s: counted.get(s, 0) for s in SEVERITIES},
                                  addressed=addressed, required=required))
    return _UnitResult(results, findings, report)


def _load(source: Path) -> Graph:
    from ..ingest.plans import load_plan

    return load_plan(source).graph


def _validate_source(source: Path) -> _UnitResult:
    return _validate_graph(_load(source), str(source))


# --------------------------------------------------------------------------- inputs

def resolve_inputs(inputs: Iterable[str | Path] | None) -> list[Path]:
    """The plan sources to validate: files as given, folders expanded, nothing = every bundled plan."""
    from ..dataset.build import plan_sources

    if inputs is None:
        return plan_sources(bundled("data", "plans"))
    sources: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = plan_sources(path)
            if not found:
                raise InputError("folder holds no plans (*/plan.toml, .ttl, .trig, .nq, .jsonld, …)", path)
            sources += found
            continue
        suffix = path.suffix.lower()
        if path.name != "plan.toml" and suffix not in PLAN_INPUT_SUFFIXES and suffix not in rdfio.RDF_SUFFIXES:
            raise InputError("not a plan wpgraph reads (a .csv or .xlsx template, plan.toml, or an RDF file: "
                             f"{', '.join(sorted(rdfio.RDF_SUFFIXES))})", path)
        if not path.is_file():
            raise InputError("no such file", path)
        sources.append(path)
    return sources


def _merge_reports(reports: Sequence[Graph], conforms: bool) -> Graph:
    merged = Graph()
    for prefix, namespace in rdfio.PREFIXES.items():
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


def _sort_key(finding: Finding) -> tuple:
    ref = finding.requirement
    try:
        ref_key = reference_key(ref) if ref else (True, 99, 0)
    except ValueError:
        ref_key = (True, 99, 0)
    return (finding.council or "", SEVERITIES.index(finding.severity), ref_key, finding.source or "",
            finding.shape, finding.focus)


def validate(inputs: Iterable[str | Path] | None = None, fail_on: str = "violation", jobs: int | None = None,
             graphs: Iterable[Graph] | None = None) -> ValidationReport:
    """Validate council plans; an InputError names the file (and row or line) that cannot be read.

    ``inputs``: templates (.csv, .xlsx), plan.toml folders' files, RDF plan graphs (.ttl, .trig, .nq,
    .jsonld, …) or folders of them; ``None`` = every bundled plan. ``graphs``: plan graphs already in
    memory (validated after ``inputs``; pass ``inputs=[]`` to validate only these).
    ``fail_on``: the severity at which ``report.failed`` is true (``none``: never).
    ``jobs``: worker processes (default: one per CPU, up to 4, once there are 8 plans or more).
    """
    if fail_on not in FAIL_LEVELS:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_LEVELS)}, not {fail_on!r}")
    sources = resolve_inputs(None if inputs is None and graphs is None else (inputs or []))
    catalogue_report = _run_shacl(reference_graph() + Graph(), shapes_graph("catalogue"))
    units: list[_UnitResult] = []
    workers = jobs if jobs is not None else (min(4, os.cpu_count() or 1) if len(sources) >= PARALLEL_FROM else 1)
    if workers > 1 and len(sources) > 1:
        reference_graph()
        shapes_graph("plan")  # built before the fork, inherited by every worker
        with ProcessPoolExecutor(max_workers=workers) as pool:
            units += list(pool.map(_validate_source, sources, chunksize=max(1, len(sources) // (workers * 4))))
    else:
        units += [_validate_source(source) for source in sources]
    for i, graph in enumerate(graphs or [], start=1):
        units.append(_validate_graph(graph, f"<graph {i}>"))
    findings = _findings(catalogue_report, reference_graph())
    plans: list[PlanResult] = []
    for unit in units:
        findings += unit.findings
        plans += unit.plans
    findings.sort(key=_sort_key)
    plans.sort(key=lambda p: (p.council, p.plan))
    conforms = not any(f.severity == "violation" for f in findings)
    graph = _merge_reports([catalogue_report] + [u.report for u in units], conforms)
    return ValidationReport(plans=plans, results=findings, graph=graph, fail_on=fail_on,
                            inputs=[str(s) for s in sources])


__all__ = ["Finding", "PlanResult", "ValidationReport", "validate", "resolve_inputs", "requirement_iri"]
