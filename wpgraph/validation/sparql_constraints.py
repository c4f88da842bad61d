"""SHACL-SPARQL constraints evaluated on Oxigraph instead of inside pySHACL.

pySHACL hands each ``sh:sparql`` constraint to rdflib's SPARQL engine, which is
the slow part of validating a plan (about 0.2 s of 0.45 s per plan, see
``benchmarks/RESULTS.md``). The shapes stay declarative SHACL-SPARQL in
``shapes/``; this module splits them off the shapes graph, runs each one on an
in-memory Oxigraph store with ``$this`` pre-bound to each focus node, as the
SHACL specification says (section 5.3), and writes the standard
``sh:ValidationResult``s into the report pySHACL produced for the rest.

Supported: node shapes with ``sh:targetClass`` or ``sh:targetNode`` and
SELECT-based ``sh:sparql`` constraints whose SELECT projects ``$this``;
``sh:prefixes`` via ``sh:declare``; ``sh:message`` templates with ``{?var}`` and
``{$var}``; ``sh:deactivated``. Anything else is refused when the shapes are
read, so nothing is silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .. import rdfio
from ..errors import InputError


@dataclass(frozen=True)
class SparqlConstraint:
    shape: Any  # rdflib terms of the shapes graph
    constraint: Any
    targets: tuple[tuple[str, Any], ...]  # ("class" | "node", IRI)
    query: str  # the SELECT with its PREFIX declarations
    messages: tuple[Any, ...]
    severity: Any


def _prefix_block(shapes: Graph, constraint) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def split_shapes(shapes: Graph) -> tuple[Graph, tuple[SparqlConstraint, ...]]:
    """The shapes without their SPARQL constraints (for pySHACL), and those constraints."""
    constraints = []
    dropped: set = set()
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True) or \
                shapes.value(constraint, SH.deactivated) == Literal(True):
            dropped.add(constraint)
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            raise InputError(f"{shape}: only SELECT-based sh:sparql constraints are supported", "shapes")
        targets = tuple([("class", c) for c in sorted(shapes.objects(shape, SH.targetClass), key=str)]
                        + [("node", n) for n in sorted(shapes.objects(shape, SH.targetNode), key=str)])
        if not targets:
            raise InputError(f"{shape}: a SPARQL constraint needs sh:targetClass or sh:targetNode", "shapes")
        if not re.search(r"SELECT\s+(?:DISTINCT\s+)?[^{]*\$this\b", str(select), re.I):
            raise InputError(f"{shape}: the SELECT of a SPARQL constraint must project $this", "shapes")
        messages = tuple(shapes.objects(constraint, SH.message)) or tuple(shapes.objects(shape, SH.message))
        constraints.append(SparqlConstraint(
            shape=shape, constraint=constraint, targets=targets,
            query=_prefix_block(shapes, constraint) + "\n" + str(select), messages=messages,
            severity=shapes.value(shape, SH.severity) or SH.Violation))
        dropped.add(constraint)
    core = Graph()
    for triple in shapes:
        if triple[0] in dropped or (triple[1] == SH.sparql and triple[2] in dropped):
            continue
        core.add(triple)
    return core, tuple(constraints)


def _focus_nodes(store: ox.Store, targets: Iterable[tuple[str, URIRef]]) -> list[ox.NamedNode | ox.BlankNode]:
    nodes: dict[str, ox.NamedNode | ox.BlankNode] = {}
    for kind, iri in targets:
        if kind == "node":
            node = ox.NamedNode(str(iri))
            nodes[str(node)] = node
            continue
        # instances of the class or of its subclasses, as SHACL's sh:targetClass says
        rows = store.query(f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS.subClassOf}>* <{iri}> }}",
                           use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            nodes[str(row["x"])] = row["x"]
    return [nodes[key] for key in sorted(nodes)]


def _render(template: Literal, solution: ox.QuerySolution, variables: list[str]) -> Literal:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        term = solution[name] if name in variables else None
        return "" if term is None else term.value

    return Literal(re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", value, str(template)), lang=template.language)


def load_store(data: Graph, name: URIRef | None = None, store: ox.Store | None = None) -> ox.Store:
    """An in-memory Oxigraph store holding ``data`` (in graph ``name``, added to ``store`` if given).

    Constraints query the union of the store's graphs, so a validator can keep
    the reference graphs loaded once and add and clear one plan at a time.
    """
    store = store if store is not None else ox.Store()
    store.extend(rdfio.oxigraph_quads(data, name))
    return store


def evaluate(constraints: Iterable[SparqlConstraint], store: ox.Store, report: Graph) -> int:
    """Run the constraints and add their results to a SHACL report graph; returns how many were added."""
    report_node = next(report.subjects(RDF.type, SH.ValidationReport), None)
    added = 0
    for constraint in constraints:
        for focus in _focus_nodes(store, constraint.targets):
            solutions = store.query(constraint.query, substitutions={ox.Variable("this"): focus},
                                    use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)
            variables = [v.value for v in solutions.variables]
            seen: set[tuple] = set()
            for solution in solutions:
                # the union of graphs can yield a solution once per graph that holds a triple
                key = tuple(str(solution[v]) if solution[v] is not None else None for v in variables)
                if key in seen:
                    continue
                seen.add(key)
                result = BNode()
                report.add((result, RDF.type, SH.ValidationResult))
                report.add((result, SH.focusNode, rdfio.to_rdflib(focus)))
                value = solution["value"] if "value" in variables else None
                report.add((result, SH.value, rdfio.to_rdflib(value if value is not None else focus)))
                path = solution["path"] if "path" in variables else None
                if path is not None:
                    report.add((result, SH.resultPath, rdfio.to_rdflib(path)))
                report.add((result, SH.resultSeverity, constraint.severity))
                report.add((result, SH.sourceShape, constraint.shape))
                report.add((result, SH.sourceConstraint, constraint.constraint))
                report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                for message in constraint.messages:
                    report.add((result, SH.resultMessage, _render(message, solution, variables)))
                if report_node is not None:
                    report.add((report_node, SH.result, result))
                added += 1
    if added and report_node is not None:
        report.set((report_node, SH.conforms, Literal(False)))
    return added
