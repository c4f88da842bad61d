"""Turning a SHACL validation report graph into ``Finding``s people can act on.

A SHACL result names a focus node; an officer needs the council, the
requirement, their own row reference and the file and row the finding is
about. They are looked up in the data the report was made from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..namespaces import PROV, RDF, RDFS, SH, SKOS, WP
from .report import Finding

if TYPE_CHECKING:
    from rdflib import Graph

_SEVERITY_OF = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}


def severity_name(iri: Any) -> str:
    return _SEVERITY_OF.get(str(iri), "violation")


def first(graph: Graph, subject: Any, predicate: Any) -> Any:
    values = sorted(graph.objects(subject, predicate), key=str)
    return values[0] if values else None


def source_of(graph: Graph, node: Any) -> str | None:
    """``file:row`` of a node, or ``file:line`` when it has only a seed line."""
    best = None
    for location in graph.objects(node, PROV.wasDerivedFrom):
        document = first(graph, location, WP.inDocument)
        name = first(graph, document, WP.fileName) if document is not None else None
        if name is None:
            continue
        row = first(graph, location, WP.row)
        line = first(graph, location, WP.line)
        if row is not None:
            candidate = (0, int(row), f"{name}:{row}")
        elif line is not None:
            candidate = (1, int(line), f"{name}:{line}")
        else:
            continue
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def council_of_plan(graph: Graph, plan: Any) -> tuple[str, str | None]:
    """(the council's name, its GSS code)."""
    council = first(graph, plan, WP.council)
    if council is None:
        return str(plan), None
    label = first(graph, council, RDFS.label) or first(graph, council, SKOS.prefLabel)
    gss = first(graph, council, WP.gssCode)
    return (str(label) if label is not None else str(council)), (str(gss) if gss is not None else None)


def reference_of(graph: Graph, requirement: Any) -> str | None:
    if requirement is None:
        return None
    ref = first(graph, requirement, WP.reference)
    return str(ref) if ref is not None else str(requirement).rsplit("/", 1)[-1]


def path_text(graph: Graph, path: Any) -> str | None:
    """A SHACL property path as SPARQL property-path text (``<p>``, ``^<p>``, ``<a>/<b>``, ``<a>|<b>``, …)."""
    from rdflib import BNode, URIRef

    if path is None:
        return None
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        return str(path)
    members = _list(graph, path)
    if members is not None:
        return "(" + "/".join(path_text(graph, m) or "" for m in members) + ")"
    for predicate, template in ((SH.alternativePath, "({})"), (SH.inversePath, "^{}"),
                                (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = first(graph, path, predicate)
        if inner is None:
            continue
        if predicate == SH.alternativePath:
            return template.format("|".join(path_text(graph, m) or "" for m in _list(graph, inner) or []))
        return template.format(path_text(graph, inner))
    return None


def simple_path(text: str | None) -> str | None:
    """A one-predicate path as its IRI; any other path as SPARQL property-path text."""
    if text and text.startswith("<") and text.endswith(">") and text.count("<") == 1:
        return text[1:-1]
    return text


def _list(graph: Graph, node: Any) -> list[Any] | None:
    """The members of an RDF list, or None when the node is not one."""
    if first(graph, node, RDF.first) is None:
        return None
    members = []
    while node is not None and node != RDF.nil:
        members.append(first(graph, node, RDF.first))
        node = first(graph, node, RDF.rest)
    return members


def findings_from_report(report: Graph, data: Graph) -> list[Finding]:
    """One Finding per ``sh:ValidationResult`` of the report, located in ``data``."""
    from rdflib import Literal

    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        message = first(report, result, SH.resultMessage)
        plan = council = requirement = local_ref = source = None
        row_node = None
        types = set(data.objects(focus, RDF.type))
        if WP.Response in types:
            row_node = focus
            requirement = reference_of(data, first(data, focus, WP.addresses))
            plan = first(data, focus, WP.inPlan)
        elif WP.CouncilPlan in types:
            plan = focus
            if value is not None and WP.Response in set(data.objects(value, RDF.type)):
                row_node = value
                requirement = reference_of(data, first(data, value, WP.addresses))
            elif value is not None:
                requirement = reference_of(data, value)
        elif WP.Requirement in types:
            requirement = reference_of(data, focus)
        elif isinstance(focus, Literal):  # a reference value (the unique-reference shape targets them)
            requirement = str(focus)
        if row_node is not None:
            ref = first(data, row_node, WP.localReference)
            local_ref = str(ref) if ref is not None else None
            source = source_of(data, row_node)
        if plan is not None:
            council, _ = council_of_plan(data, plan)
        findings.append(Finding(
            severity=severity_name(report.value(result, SH.resultSeverity)), council=council,
            requirement=requirement, local_ref=local_ref, message=str(message) if message is not None else "",
            focus=str(focus), path=simple_path(path_text(report, report.value(result, SH.resultPath))),
            shape=str(report.value(result, SH.sourceShape)), source=source,
            plan=str(plan) if plan is not None else None,
            component=str(report.value(result, SH.sourceConstraintComponent)),
            value=value.n3() if value is not None else None))
    return findings
