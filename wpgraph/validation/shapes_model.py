"""A shapes graph read into shapes and their constraints, as the SHACL Recommendation defines them.

The compiler (``wpgraph.validation.compiler``) turns this model into SPARQL; a
shape it cannot compile says why (``Shape.unsupported``) and is handed to
pySHACL whole, never skipped. Terms are pyoxigraph terms, read from the same
parse as the data they are checked against, so blank nodes keep their labels.

The module stays whole because reading a shape means knowing every constraint
parameter the Recommendation defines; split by component, the list of what a
shape may say would lose its one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .paths import Path, PathError, Term, read_list, read_path

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
VIOLATION = SH + "Violation"
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
SHAPE_LISTS = ("and", "or", "xone")
SHAPE_VALUES = ("node", "not", "qualifiedValueShape", "property")

# parameter (sh:local name) -> constraint component (sh:local name), for the components with one parameter
SINGLE_PARAMETER = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxExclusive": "MaxExclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "languageIn": "LanguageInConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent", "equals": "EqualsConstraintComponent",
    "disjoint": "DisjointConstraintComponent", "lessThan": "LessThanConstraintComponent",
    "lessThanOrEquals": "LessThanOrEqualsConstraintComponent", "not": "NotConstraintComponent",
    "and": "AndConstraintComponent", "or": "OrConstraintComponent", "xone": "XoneConstraintComponent",
    "node": "NodeConstraintComponent", "hasValue": "HasValueConstraintComponent", "in": "InConstraintComponent",
}
PROPERTY_ONLY = {"minCount", "maxCount", "uniqueLang", "lessThan", "lessThanOrEquals", "qualifiedValueShape"}
CONSTRAINT_PARAMETERS = {*SINGLE_PARAMETER, "pattern", "qualifiedValueShape", "closed", "sparql", "property"}


@dataclass
class Constraint:
    """One constraint of a shape: a component and its parameter values."""

    component: str  # the constraint component's IRI
    params: dict[str, Any]
    node: Term | None = None  # the sh:sparql node, reported as sh:sourceConstraint


@dataclass
class Shape:
    node: Term
    path: Path | None = None
    path_node: Term | None = None
    targets: list[tuple[str, Term]] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Term] = field(default_factory=list)
    severity: str = VIOLATION
    messages: list[ox.Literal] = field(default_factory=list)
    deactivated: bool = False
    unsupported: list[str] = field(default_factory=list)

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None

    @property
    def key(self) -> str:
        return str(self.node)


class ShapesGraph:
    """Lookups on a shapes graph held in a pyoxigraph Dataset."""

    def __init__(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        self.dataset = ox.Dataset()
        for t in triples:
            self.dataset.add(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))

    def values(self, subject: Term, predicate: str) -> list[Term]:
        if isinstance(subject, ox.Literal):
            return []
        p = ox.NamedNode(predicate)
        return [q.object for q in self.dataset.quads_for_subject(subject) if q.predicate == p]  # type: ignore

    def subjects(self, predicate: str, obj: Term | None = None) -> list[Term]:
        p = ox.NamedNode(predicate)
        return [q.subject for q in self.dataset.quads_for_predicate(p)  # type: ignore[misc]
                if obj is None or q.object == obj]

    def objects(self, predicate: str) -> list[Term]:
        return [q.object for q in self.dataset.quads_for_predicate(ox.NamedNode(predicate))]  # type: ignore[misc]


@dataclass
class ShapesModel:
    shapes: dict[str, Shape]
    graph: ShapesGraph

    def shape(self, node: Term) -> Shape:
        return self.shapes[str(node)]

    def validated(self) -> list[Shape]:
        """The shapes validation starts from: those with targets, not deactivated."""
        return [s for s in self.shapes.values() if s.targets and not s.deactivated]


def _one(graph: ShapesGraph, node: Term, name: str, shape: Shape) -> Term | None:
    found = graph.values(node, SH + name)
    if len(found) > 1:
        shape.unsupported.append(f"sh:{name} has more than one value")
    return found[0] if found else None


def _integer(term: Term, name: str, shape: Shape) -> int | None:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        shape.unsupported.append(f"sh:{name} {term} is not an integer")
        return None


def _shape_nodes(graph: ShapesGraph) -> list[Term]:
    """Every node the SHACL Recommendation (2.1) counts as a shape."""
    found: dict[str, Term] = {}

    def add(term: Term) -> None:
        if not isinstance(term, ox.Literal):
            found.setdefault(str(term), term)

    for kind in ("NodeShape", "PropertyShape"):
        for term in graph.subjects(RDF_TYPE, ox.NamedNode(SH + kind)):
            add(term)
    for name in (*TARGETS, *CONSTRAINT_PARAMETERS, "path"):
        for term in graph.subjects(SH + name):
            add(term)
    for name in SHAPE_VALUES:
        for term in graph.objects(SH + name):
            add(term)
    for name in SHAPE_LISTS:
        for head in graph.objects(SH + name):
            try:
                for member in read_list(head, graph.values):
                    add(member)
            except PathError:
                pass
    return list(found.values())


def _custom_parameters(graph: ShapesGraph) -> dict[str, str]:
    """Parameters of constraint components the shapes graph defines itself (SHACL-SPARQL components)."""
    found = {}
    # a component is whatever declares parameters: its class may be a subclass of sh:ConstraintComponent
    for component in dict.fromkeys(graph.subjects(SH + "parameter")):
        for parameter in graph.values(component, SH + "parameter"):
            for path in graph.values(parameter, SH + "path"):
                if isinstance(path, ox.NamedNode):
                    found[path.value] = str(component)
    return found


def read_shapes(triples: Iterable[ox.Triple | ox.Quad]) -> ShapesModel:
    """The shapes of a shapes graph, each with its targets and constraints."""
    graph = ShapesGraph(triples)
    custom = _custom_parameters(graph)
    nodes = _shape_nodes(graph)
    nodes += [s for p in custom for s in graph.subjects(p) if str(s) not in {str(n) for n in nodes}]
    shapes = {}
    for node in nodes:
        shape = _read_shape(graph, node)
        used = sorted({component for parameter, component in custom.items() if graph.values(node, parameter)})
        if used:
            shape.unsupported.append(f"the SHACL-SPARQL constraint component {used[0]}")
        shapes[str(node)] = shape
    model = ShapesModel(shapes, graph)
    _mark_recursion(model)
    return model


def _read_shape(graph: ShapesGraph, node: Term) -> Shape:
    shape = Shape(node)
    path_node = _one(graph, node, "path", shape)
    if path_node is not None:
        shape.path_node = path_node
        try:
            shape.path = read_path(path_node, graph.values)
        except PathError as err:
            shape.unsupported.append(f"its path: {err}")
    for name in TARGETS:
        shape.targets += [(name, term) for term in graph.values(node, SH + name)]
    if ox.NamedNode(RDFS_CLASS) in graph.values(node, RDF_TYPE) and isinstance(node, ox.NamedNode):
        shape.targets.append(("targetClass", node))  # an implicit class target
    if graph.values(node, SH + "target"):
        shape.unsupported.append("SHACL-AF targets (sh:target)")
    severity = _one(graph, node, "severity", shape)
    if isinstance(severity, ox.NamedNode):
        shape.severity = severity.value
    shape.messages = [m for m in graph.values(node, SH + "message") if isinstance(m, ox.Literal)]
    deactivated = _one(graph, node, "deactivated", shape)
    shape.deactivated = isinstance(deactivated, ox.Literal) and deactivated.value == "true"
    shape.properties = graph.values(node, SH + "property")
    _read_constraints(graph, node, shape)
    return shape


def _read_constraints(graph: ShapesGraph, node: Term, shape: Shape) -> None:
    for name, component in SINGLE_PARAMETER.items():
        for value in graph.values(node, SH + name):
            if name in PROPERTY_ONLY and not shape.is_property_shape:
                continue  # the component does not apply to node shapes
            params: dict[str, Any] = {name: value}
            if name in ("minCount", "maxCount", "minLength", "maxLength"):
                params[name] = _integer(value, name, shape)
            elif name in ("in", "languageIn", *SHAPE_LISTS):
                try:
                    params[name] = read_list(value, graph.values)
                except PathError as err:
                    shape.unsupported.append(f"sh:{name}: {err}")
                    continue
            elif name == "uniqueLang":
                if not (isinstance(value, ox.Literal) and value.value == "true"):
                    continue
            shape.constraints.append(Constraint(SH + component, params))
    for pattern in graph.values(node, SH + "pattern"):
        flags = graph.values(node, SH + "flags")
        shape.constraints.append(Constraint(SH + "PatternConstraintComponent",
                                            {"pattern": pattern, "flags": flags[0] if flags else None}))
    for closed in graph.values(node, SH + "closed"):
        if isinstance(closed, ox.Literal) and closed.value == "true":
            ignored: list[Term] = []
            for head in graph.values(node, SH + "ignoredProperties"):
                try:
                    ignored += read_list(head, graph.values)
                except PathError as err:
                    shape.unsupported.append(f"sh:ignoredProperties: {err}")
            shape.constraints.append(Constraint(SH + "ClosedConstraintComponent", {"ignored": ignored}))
    if shape.is_property_shape:
        for qualified in graph.values(node, SH + "qualifiedValueShape"):
            disjoint = graph.values(node, SH + "qualifiedValueShapesDisjoint")
            params = {"shape": qualified, "disjoint": bool(disjoint) and disjoint[0].value == "true"}
            for bound, component in (("qualifiedMinCount", "QualifiedMinCountConstraintComponent"),
                                     ("qualifiedMaxCount", "QualifiedMaxCountConstraintComponent")):
                for value in graph.values(node, SH + bound):
                    count = _integer(value, bound, shape)
                    if count is not None:
                        shape.constraints.append(Constraint(SH + component, {**params, bound: count}))
    for sparql in graph.values(node, SH + "sparql"):
        _read_sparql(graph, shape, sparql)


def _read_sparql(graph: ShapesGraph, shape: Shape, constraint: Term) -> None:
    deactivated = graph.values(constraint, SH + "deactivated")
    if deactivated and deactivated[0].value == "true":
        return
    select = graph.values(constraint, SH + "select")
    if len(select) != 1 or not isinstance(select[0], ox.Literal):
        shape.unsupported.append("a SPARQL constraint without exactly one sh:select")
        return
    prefixes: dict[str, str] = {}
    holders = list(graph.values(constraint, SH + "prefixes"))
    seen: set[str] = set()
    while holders:  # a prefix holder may import others (owl:imports), as SHACL 5.2.1 allows
        holder = holders.pop()
        if str(holder) in seen:
            continue
        seen.add(str(holder))
        holders += graph.values(holder, OWL_IMPORTS)
        for declaration in graph.values(holder, SH + "declare"):
            prefix, namespace = graph.values(declaration, SH + "prefix"), graph.values(declaration, SH + "namespace")
            if prefix and namespace:
                prefixes[prefix[0].value] = namespace[0].value
    messages = [m for m in graph.values(constraint, SH + "message") if isinstance(m, ox.Literal)]
    shape.constraints.append(Constraint(SH + "SPARQLConstraintComponent",
                                        {"select": select[0].value, "prefixes": prefixes, "messages": messages},
                                        node=constraint))


def referenced_shapes(shape: Shape) -> list[Term]:
    """The shapes a shape's constraints (and property shapes) refer to."""
    found: list[Term] = list(shape.properties)
    for constraint in shape.constraints:
        for name in ("node", "not", "shape"):
            value = constraint.params.get(name)
            if value is not None and not isinstance(value, (bool, int)):
                found.append(value)
        for name in SHAPE_LISTS:
            found += constraint.params.get(name, [])
    return found


def _mark_recursion(model: ShapesModel) -> None:
    """Recursive shapes have no defined meaning in SHACL Core: leave them to pySHACL, never loop.

    A shape is marked when it lies on a cycle of references or refers to one that does.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    recursive: set[str] = set()

    def visit(key: str) -> bool:
        if state.get(key) == 1:
            return True
        if state.get(key) == 2:
            return key in recursive
        state[key] = 1
        shape = model.shapes.get(key)
        found = False
        for ref in referenced_shapes(shape) if shape is not None else []:
            found = visit(str(ref)) or found
        state[key] = 2
        if found:
            recursive.add(key)
        return found

    for key in model.shapes:
        visit(key)
    for key in recursive:
        model.shapes[key].unsupported.append("a recursive shape")
