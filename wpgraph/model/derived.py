"""What the build derives from a plan: its coverage of each requirement, the rows that repeat another, and
its texts as plain text.

Coverage is defined once (docs/model.md, "Completeness: how coverage counts")
and computed here, for every plan whatever its source, into a named graph of
its own that only the build writes; validation, every query and every page read
it from there. For each requirement a council must answer:

``direct``
    a response of the plan addresses it;
``credited``
    an overarching requirement (section 0) the plan does not answer itself,
    whose every detailed requirement (themes 1-4, asked of councils) the plan
    answers, each overlap covering it in full;
``partly``
    an overarching requirement of which the plan answers only some detailed
    requirements, or which they cover only in part;
``none``
    otherwise.

A response answers the requirements it ``wp:addresses``: its primary one and any
further ones (secondary ``wp:RequirementLink``s, ``wp:primaryLink false``); both
count for coverage. A row repeats another when both have the same primary
requirement; the first row (by its row in the source file, then by IRI) stands,
each later one ``wp:repeats`` it. Linear in the number of rows, whatever the
plan's size.

Every verbatim text (``wp:text``, ``wp:dueText``) gets a plain-text copy
(``wp:plainText``, ``wp:plainDueText``: HTML remnants and bullets removed,
white space tidied, by ``wpgraph.text.clean_text``), whatever the plan's
source, so that queries and pages show clean text while the verbatim stays in
the plan's own graph. Every node read from a file gets its citation
(``wp:citation``): "file:line" of its first line in a council's document, or
"file:row" of its first template row when it has no line (a finding cites the
row first: that is what its reader mends); a query then reads one statement
where it would look up the location, its line or row, its document and the
document's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox

from ..namespaces import WP_NS, WPID_NS
from ..text import clean_text

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KINDS = ("direct", "credited", "partly", "none")
# The vocabulary a plan source may not use: only the build states these (dataset.trust refuses them).
DERIVED_CLASSES = frozenset({WP_NS + "RequirementCoverage"})
DERIVED_PREDICATES = frozenset(WP_NS + p for p in ("coveragePlan", "coveredRequirement", "coverage",
                                                  "creditedThrough", "answeredBy", "repeats", "plainText",
                                                  "plainDueText", "citation"))
# each verbatim text and its plain copy, which the build derives
PLAIN = {WP_NS + "text": WP_NS + "plainText", WP_NS + "dueText": WP_NS + "plainDueText"}


def _wp(name: str) -> ox.NamedNode:
    return ox.NamedNode(WP_NS + name)


@dataclass(frozen=True)
class Overlap:
    """A detailed requirement that covers an overarching one, and whether in full."""

    detailed: str
    full: bool


@cache
def council_requirements() -> tuple[str, ...]:
    """The references of every requirement a council plan must answer, in catalogue order."""
    from ..reference.catalogue import catalogue

    return tuple(r.reference for r in catalogue() if r.is_council_requirement)


@cache
def covering() -> dict[str, tuple[Overlap, ...]]:
    """For each overarching requirement, the detailed council requirements that cover it."""
    from ..reference.catalogue import catalogue

    required = set(council_requirements())
    out: dict[str, tuple[Overlap, ...]] = {}
    for requirement in catalogue():
        if requirement.theme != 0 or requirement.reference not in required:
            continue
        out[requirement.reference] = tuple(
            Overlap(other, full) for other, full in requirement.covered_by if other in required)
    return out


def coverage_kind(reference: str, answered: set[str]) -> tuple[str, tuple[str, ...]]:
    """(the coverage kind of a requirement, the detailed requirements it is credited through)."""
    if reference in answered:
        return "direct", ()
    overlaps = covering().get(reference, ())
    through = tuple(o.detailed for o in overlaps if o.detailed in answered)
    if not through:
        return "none", ()
    if len(through) == len(overlaps) and all(o.full for o in overlaps):
        return "credited", through
    return "partly", through


@dataclass
class PlanIndex:
    """What a finding about a plan needs to say, worked out once at build time from the plan's triples.

    ``nodes``: for each response and coverage node, [requirement reference, the council's own row reference,
    "file:row" (or "file:line")], any of them possibly None. Kept with the build (JSON), so validating an
    existing build reads it instead of asking the store about every finding.
    """

    plan: str
    council: str
    gss: str | None
    nodes: dict[str, list[str | None]] = field(default_factory=dict)
    coverage: dict[str, str] = field(default_factory=dict)  # requirement reference -> coverage kind
    answers: dict[str, list[str]] = field(default_factory=dict)  # requirement reference -> responses

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanIndex:
        return cls(**data)


@dataclass
class Derived:
    triples: list[ox.Triple]
    index: PlanIndex


def _number(literal: ox.Literal) -> int | None:
    """A row or line number; a value that is not one (which the shapes report) is left out."""
    try:
        return int(literal.value)
    except ValueError:
        return None


class PlanFacts:
    """What derivation and the index need of one plan, gathered in one pass over its triples
    (``from_triples``) or from a store's answers (``wpgraph.dataset.staging``)."""

    def __init__(self, plan: str) -> None:
        self.plan = plan
        self.council = ""
        self.responses: set[str] = set()
        self.addresses: dict[str, set[str]] = defaultdict(set)  # response -> requirement IRIs
        self.links: dict[str, set[str]] = defaultdict(set)  # response -> its requirement links
        self.linked: dict[str, str] = {}  # requirement link -> requirement IRI
        self.secondary_links: set[str] = set()  # requirement links that are not their row's primary one
        self.locations: dict[str, list[str]] = defaultdict(list)
        self.rows: dict[str, int] = {}
        self.lines: dict[str, int] = {}
        self.documents: dict[str, str] = {}  # location -> document
        self.file_names: dict[str, str] = {}  # document -> file name
        self.local: dict[str, str] = {}
        self.names: dict[str, dict[str, str]] = defaultdict(dict)  # council -> {label predicate: value}
        self.texts: list[tuple[str, str, str]] = []  # (subject, verbatim predicate, text) of wp:text, wp:dueText

    @classmethod
    def from_triples(cls, triples: Iterable[ox.Triple | ox.Quad], plan: str) -> PlanFacts:
        facts = cls(plan)
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                facts.add(t.subject.value, t.predicate.value, t.object)
        return facts

    def add(self, subject: str, predicate: str, obj: Any) -> None:
        """Take in one statement (the others are not needed for derivation)."""
        if predicate == WP_NS + "inPlan":
            if isinstance(obj, ox.NamedNode) and obj.value == self.plan:
                self.responses.add(subject)
        elif isinstance(obj, ox.NamedNode):
            if predicate == WP_NS + "addresses":
                self.addresses[subject].add(obj.value)
            elif predicate == WP_NS + "hasLink":
                self.links[subject].add(obj.value)
            elif predicate == WP_NS + "linkedRequirement":
                self.linked[subject] = obj.value
            elif predicate == PROV_DERIVED:
                if obj.value not in self.locations[subject]:
                    self.locations[subject].append(obj.value)
            elif predicate == WP_NS + "inDocument":
                self.documents[subject] = min(obj.value, self.documents.get(subject, obj.value))
            elif predicate == WP_NS + "council" and subject == self.plan:
                self.council = obj.value
        elif isinstance(obj, ox.Literal):
            if predicate in (WP_NS + "row", WP_NS + "line"):
                number = _number(obj)
                if number is not None:
                    (self.rows if predicate == WP_NS + "row" else self.lines)[subject] = number
            elif predicate == WP_NS + "primaryLink" and obj.value in ("false", "0"):
                self.secondary_links.add(subject)
            elif predicate == WP_NS + "fileName":
                self.file_names[subject] = obj.value
            elif predicate == WP_NS + "localReference":
                self.local[subject] = obj.value
            elif predicate in (RDFS_LABEL, WP_NS + "gssCode"):  # the least, whatever order the statements come in
                known = self.names[subject]
                known[predicate] = min(obj.value, known.get(predicate, obj.value))
            elif predicate in PLAIN:
                self.texts.append((subject, predicate, obj.value))

    def primary(self, response: str) -> set[str]:
        """The requirements a response answers as its primary ones: all it addresses but its secondary links'."""
        secondary = {self.linked.get(link) for link in self.links.get(response, ()) if link in self.secondary_links}
        return self.addresses.get(response, set()) - secondary

    def first_row(self, node: str) -> int | None:
        found = [self.rows[loc] for loc in self.locations.get(node, []) if loc in self.rows]
        return min(found) if found else None

    def source(self, node: str, lines_first: bool = False) -> str | None:
        """``file:row`` of a node, or ``file:line`` when it has only a seed line (``lines_first``: the other way
        round)."""
        best = None
        for location in self.locations.get(node, []):
            name = self.file_names.get(self.documents.get(location, ""))
            if name is None:
                continue
            if location in self.rows:
                candidate: tuple = (int(lines_first), self.rows[location], f"{name}:{self.rows[location]}")
            elif location in self.lines:
                candidate = (int(not lines_first), self.lines[location], f"{name}:{self.lines[location]}")
            else:
                continue
            best = candidate if best is None or candidate < best else best
        return best[2] if best else None


def derive(facts: PlanFacts, citations: bool = True) -> Derived:
    """The derived graph of one plan (coverage, repeated rows, plain texts and, with ``citations``, where each
    node was read from) and its index, from the facts of its triples."""
    plan = facts.plan
    prefix = WPID_NS + "requirement/"
    by_requirement: dict[str, list[str]] = defaultdict(list)  # every answer, secondary links too: coverage
    by_primary: dict[str, list[str]] = defaultdict(list)  # primary answers only: repeated rows
    for response in facts.responses:
        primary = facts.primary(response)
        for requirement in facts.addresses.get(response, ()):
            if requirement.startswith(prefix):
                by_requirement[requirement.removeprefix(prefix)].append(response)
                if requirement in primary:
                    by_primary[requirement.removeprefix(prefix)].append(response)

    def order(response: str) -> tuple[int, str]:
        row = facts.first_row(response)
        return (row if row is not None else 2**31, response)

    council = facts.names.get(facts.council, {})
    index = PlanIndex(plan=plan, council=council.get(RDFS_LABEL, facts.council or plan),
                      gss=council.get(WP_NS + "gssCode"))
    for response in sorted(facts.responses):
        references = sorted(r.removeprefix(prefix) for r in facts.primary(response) if r.startswith(prefix))
        index.nodes[response] = [references[0] if references else None, facts.local.get(response),
                                 facts.source(response)]
        for link in sorted(facts.links.get(response, ())):  # a finding on a link names its requirement and row
            linked = facts.linked.get(link, "")
            index.nodes[link] = [linked.removeprefix(prefix) if linked.startswith(prefix) else None,
                                 facts.local.get(response), facts.source(response)]
    out: list[ox.Triple] = []
    for answering in by_primary.values():
        first, *later = sorted(set(answering), key=order)
        out += [ox.Triple(ox.NamedNode(r), _wp("repeats"), ox.NamedNode(first)) for r in later]
    answered = set(by_requirement)
    plan_node = ox.NamedNode(plan)
    for reference in council_requirements():
        kind, through = coverage_kind(reference, answered)
        node = f"{plan}/coverage/{reference}"
        responses = sorted(set(by_requirement.get(reference, ())))
        index.nodes[node] = [reference, None, None]
        index.coverage[reference] = kind
        if responses:
            index.answers[reference] = responses
        subject = ox.NamedNode(node)
        out += [ox.Triple(subject, RDF_TYPE, _wp("RequirementCoverage")),
                ox.Triple(subject, _wp("coveragePlan"), plan_node),
                ox.Triple(subject, _wp("coveredRequirement"), ox.NamedNode(prefix + reference)),
                ox.Triple(subject, _wp("coverage"), ox.NamedNode(WPID_NS + "coverage/" + kind))]
        out += [ox.Triple(subject, _wp("creditedThrough"), ox.NamedNode(prefix + r)) for r in through]
        out += [ox.Triple(subject, _wp("answeredBy"), ox.NamedNode(r)) for r in responses]
    out += [ox.Triple(ox.NamedNode(subject), ox.NamedNode(PLAIN[predicate]), ox.Literal(clean_text(text)))
            for subject, predicate, text in facts.texts]
    if citations:
        cited = ((node, facts.source(node, lines_first=True)) for node in sorted(facts.locations))
        out += [ox.Triple(ox.NamedNode(node), _wp("citation"), ox.Literal(source)) for node, source in cited if source]
    return Derived(out, index)
