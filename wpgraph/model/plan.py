"""A council's plan as RDF: one function per kind of node, so the graph has one shape whatever the council wrote.

``plan_triples(record)`` maps an aligned ``PlanRecord`` (``wpgraph.ingest``,
``wpgraph.align``) to the plan's graph: its council, the plan, each response
with its status, owners, due date, gap actions and evidence, and where every
one of them was read from. Every IRI it mints lies under the plan's own IRI or
its council's, which is what the trust boundary (``wpgraph.dataset.trust``)
asks of any plan source.

The module stays whole because every node kind's function writes into one
``TripleSet`` with the same minting rules; split, the rules would be repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from ..ingest.dates import parse_due
from ..ingest.owners import role_types, split_owners
from ..ingest.records import EvidenceRecord, GapActionRecord, PlanRecord, ResponseRecord
from ..namespaces import WP
from ..rdfio import to_oxigraph
from ..reference import roles, vocab
from ..reference.catalogue import NATIONAL_PLAN, requirement_iri
from ..text import clean_text, slug
from . import provenance

# The ONS linked-data IRI of a statistical geography, by its GSS code: a council's area.
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"


class TripleSet:
    """The plan's triples as they are written, once each, already in Oxigraph's terms.

    No rdflib graph in between: a 20,000-row plan has some 700,000 triples, and a
    graph's three indexes would hold them all again (and grow slower than linearly).
    """

    def __init__(self) -> None:
        self._triples: dict[ox.Triple, None] = {}  # an ordered set
        self._nodes: dict[str, ox.NamedNode] = {}

    def _node(self, term: URIRef) -> ox.NamedNode:
        found = self._nodes.get(term)
        if found is None:
            found = self._nodes[term] = ox.NamedNode(str(term))
        return found

    def _triple(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> ox.Triple:
        subject, predicate, obj = triple
        value = self._node(obj) if isinstance(obj, URIRef) else to_oxigraph(obj)
        assert isinstance(value, (ox.NamedNode, ox.Literal)), obj  # a plan names every node with an IRI
        return ox.Triple(self._node(subject), self._node(predicate), value)

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        self._triples[self._triple(triple)] = None

    def __contains__(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> bool:
        return self._triple(triple) in self._triples

    def triples(self) -> list[ox.Triple]:
        return list(self._triples)


@dataclass
class PlanGraph:
    """The graph being written for one plan, and what its nodes share."""

    record: PlanRecord
    graph: TripleSet = field(default_factory=lambda: TripleSet())
    roles: dict[str, URIRef] = field(default_factory=dict)

    @property
    def plan(self) -> URIRef:
        return URIRef(self.record.iri)

    @property
    def council(self) -> URIRef:
        return URIRef(self.record.council_iri)

    def add(self, subject: URIRef, predicate: URIRef, obj: URIRef | Literal) -> None:
        self.graph.add((subject, predicate, obj))

    def cite(self, subject: URIRef, file: str | None, line: int | None = None, row: int | None = None) -> None:
        """Record where ``subject`` was read from: a row of the plan's own data file (under the plan's IRI),
        or a line of a seed document (shared, so global)."""
        if file is not None:
            owner = None if line is not None or file in self.seed_files else str(self.plan)
            provenance.add_location(self.graph, subject, file, line=line, row=row, owner=owner)

    @property
    def seed_files(self) -> set[str | None]:
        return {self.record.seed_file, self.record.evidence_seed_file} - {None}


def plan_graph(record: PlanRecord) -> Graph:
    """The plan as an rdflib graph (``plan_triples`` is the same, as the build takes it)."""
    from ..rdfio import rdflib_graph

    return rdflib_graph(plan_triples(record))


def plan_triples(record: PlanRecord) -> list[ox.Triple]:
    """The plan as RDF: council, plan, responses, roles, gap actions, evidence, provenance."""
    out = PlanGraph(record)
    add_council(out)
    add_plan(out)
    addressed: dict[str, list[URIRef]] = {}
    for response in record.responses:
        node = add_response(out, response)
        if response.alignment is not None and response.alignment.requirement is not None:
            addressed.setdefault(response.alignment.requirement, []).append(node)
    for number, evidence in enumerate(record.plan_evidence, start=1):
        node = add_evidence(out, URIRef(f"{out.plan}/evidence/{number}"), evidence, record.evidence_seed_file)
        out.add(out.plan, WP.planEvidence, node)
        for ref in evidence.supports:  # plan-level evidence backs the responses to what it supports
            for response_node in addressed.get(ref, []):
                out.add(response_node, WP.hasEvidence, node)
    return out.graph.triples()


def add_council(out: PlanGraph) -> None:
    record, council = out.record, out.council
    out.add(council, RDF.type, WP.Council)
    out.add(council, RDFS.label, Literal(record.council, lang="en"))
    out.add(council, SKOS.prefLabel, Literal(record.council, lang="en"))
    if record.gss:
        out.add(council, WP.gssCode, Literal(record.gss))
        out.add(council, DCTERMS.spatial, URIRef(ONS_GEOGRAPHY + record.gss))
    if record.short_name:
        out.add(council, WP.shortName, Literal(record.short_name))


def add_plan(out: PlanGraph) -> None:
    record, plan = out.record, out.plan
    out.add(plan, RDF.type, WP.CouncilPlan)
    out.add(plan, WP.council, out.council)
    out.add(plan, WP.answers, NATIONAL_PLAN)
    out.add(plan, RDFS.label, Literal(f"{record.short_name or record.council} winter plan", lang="en"))
    if record.title:
        out.add(plan, DCTERMS.title, Literal(record.title))
    if record.date:
        out.add(plan, DCTERMS.date, Literal(record.date, datatype=XSD.date))
    out.cite(plan, record.data_file)
    if record.seed_file:  # transcribed from a seed document: its rows cite that document's lines
        out.add(plan, DCTERMS.source, provenance.add_location(out.graph, plan, record.seed_file))
        for line in record.title_seed_lines:
            out.cite(plan, record.seed_file, line=line)
    for row, heading, lines in record.headings:
        out.cite(plan, record.data_file, row=row)
        out.add(plan, WP.heading, Literal(heading))
        for line in lines if record.seed_file else ():
            out.cite(plan, record.seed_file, line=line)


def role(out: PlanGraph, title: str) -> URIRef:
    """One node per post: titles that differ only in case or punctuation are the same post, and so are the
    spellings the curated table (``data/reference/roles.csv``) says are one post; the other spellings are its
    hidden labels."""
    curated = roles.curated_title(out.record.gss, title)
    key = curated.post if curated is not None else slug(title, fallback="role")
    label = curated.label if curated is not None else title
    node = out.roles.get(key)
    if node is None:
        node = URIRef(f"{out.council}/role/{key}")
        out.roles[key] = node
        out.add(node, RDF.type, WP.Role)
        out.add(node, RDF.type, ORG.Post)
        out.add(node, RDFS.label, Literal(label))
        out.add(node, ORG.postIn, out.council)
        out.add(node, WP.council, out.council)
        for kind in role_types(label):
            out.add(node, WP.roleType, kind)
    if (node, RDFS.label, Literal(title)) not in out.graph:
        out.add(node, SKOS.hiddenLabel, Literal(title))  # another spelling the council used
    return node


def owners(out: PlanGraph, node: URIRef, owner_text: str | None) -> list[URIRef]:
    """The posts a "By Who?" cell names, as ``wp:owner`` of ``node``; a body it names instead of a post (the
    curated table says which) is its ``wp:ownerBody``."""
    posts = []
    for title in split_owners(owner_text or ""):
        curated = roles.curated_title(out.record.gss, title)
        if curated is not None and curated.kind == "organisation":
            out.add(node, WP.ownerBody, vocab.notation_index("partners", WP.PartnerBody)[curated.partner])
            continue
        posts.append(role(out, title))
    for post in posts:
        out.add(node, WP.owner, post)
    return posts


def add_due(out: PlanGraph, subject: URIRef, due_text: str | None) -> None:
    """The due cell verbatim, and the date it states when it states one that exists."""
    due = parse_due(due_text)
    if due is None:
        return
    out.add(subject, WP.dueText, Literal(due.text))
    if due.date is not None:
        out.add(subject, WP.dueDate, Literal(due.date.isoformat(), datatype=XSD.date))
        out.add(subject, WP.duePrecision, Literal(due.precision))
    if due.problem:
        out.add(subject, WP.dueDateProblem, Literal(due.problem))


def add_response(out: PlanGraph, response: ResponseRecord) -> URIRef:
    record = out.record
    node = URIRef(f"{out.plan}/response/{response.key}")
    out.add(node, RDF.type, WP.Response)
    out.add(node, WP.inPlan, out.plan)
    out.add(node, WP.council, out.council)
    out.add(node, WP.text, Literal(response.action_text))
    alignment = response.alignment
    label = response.local_ref or (alignment.requirement if alignment else None) or response.key
    out.add(node, RDFS.label, Literal(f"{record.short_name or record.council} {label}"))
    if response.local_ref:
        out.add(node, WP.localReference, Literal(response.local_ref))
    if response.theme_heading:
        out.add(node, WP.localTheme, Literal(response.theme_heading))
    if response.topic_heading:
        out.add(node, WP.localTopic, Literal(response.topic_heading))
    links = alignment.links if alignment is not None else ()
    for link in links:  # each requirement the row answers, qualified by how, how well and whether primary
        out.add(node, WP.addresses, requirement_iri(link.requirement))
        link_node = URIRef(f"{node}/link/{link.requirement}")
        out.add(node, WP.hasLink, link_node)
        out.add(link_node, RDF.type, WP.RequirementLink)
        out.add(link_node, WP.linkedRequirement, requirement_iri(link.requirement))
        out.add(link_node, WP.alignmentMethod, Literal(link.method))
        out.add(link_node, WP.alignmentScore, Literal(Decimal(str(link.score)), datatype=XSD.decimal))
        out.add(link_node, WP.primaryLink, Literal(link.primary))
    if alignment is not None and not links:  # unmatched: how near the best requirement came
        out.add(node, WP.alignmentScore, Literal(Decimal(str(alignment.score)), datatype=XSD.decimal))
    add_answer_cells(out, node, response)
    posts = owners(out, node, response.owner_text)
    add_due(out, node, response.due_text)
    for gap in response.gap_actions:
        add_gap_action(out, node, gap, posts)
    for number, evidence in enumerate(response.evidence, start=1):
        evidence_node = add_evidence(out, URIRef(f"{node}/evidence/{number}"), evidence, record.seed_file)
        out.add(node, WP.hasEvidence, evidence_node)
        for link in links:
            out.add(evidence_node, WP.supports, requirement_iri(link.requirement))
    if response.source_row is not None:
        out.cite(node, record.data_file, row=response.source_row)
    for line in response.seed_lines if record.seed_file else ():
        out.cite(node, record.seed_file, line=line)
    return node


def add_answer_cells(out: PlanGraph, node: URIRef, response: ResponseRecord) -> None:
    """The status narrative, the compliance status and the gaps and owner cells, verbatim."""
    if response.status_text:
        out.add(node, WP.currentStatus, Literal(response.status_text))
        cleaned = clean_text(response.status_text)
        if cleaned != response.status_text:
            out.add(node, WP.displayText, Literal(cleaned))
    status = vocab.compliance_status(response.met_text) or vocab.compliance_status(None)
    if status is not None:
        out.add(node, WP.complianceStatus, status)
    if response.met_text:
        out.add(node, WP.complianceText, Literal(response.met_text))
        if vocab.compliance_status(response.met_text) is None:
            out.add(node, WP.complianceProblem, Literal(f'"{response.met_text.strip()}" is not Yes, Partly or No'))
    if response.gaps_text:
        out.add(node, WP.gapsText, Literal(response.gaps_text))
    if response.owner_text:
        out.add(node, WP.ownerText, Literal(response.owner_text))


def add_gap_action(out: PlanGraph, response: URIRef, gap: GapActionRecord, owners: list[URIRef]) -> URIRef:
    node = URIRef(f"{out.plan}/gap/{gap.key}") if gap.key != "gap" else URIRef(f"{response}/gap")
    out.add(response, WP.hasGapAction, node)
    out.add(node, RDF.type, WP.GapAction)
    out.add(node, WP.text, Literal(gap.text))
    out.add(node, WP.council, out.council)
    for owner in owners:
        out.add(node, WP.owner, owner)
    add_due(out, node, gap.due_text)
    if out.record.seed_file and gap.seed_line:
        out.cite(node, out.record.seed_file, line=gap.seed_line)
    if gap.source_row is not None:
        out.cite(node, gap.data_file or out.record.data_file, row=gap.source_row)
    return node


def add_evidence(out: PlanGraph, node: URIRef, evidence: EvidenceRecord, seed_file: str | None) -> URIRef:
    out.add(node, RDF.type, WP.Evidence)
    out.add(node, WP.text, Literal(evidence.text))
    out.add(node, WP.council, out.council)
    for partner in vocab.partner_tagger().tag(evidence.text):
        out.add(node, WP.namesPartner, partner)
    if evidence.paragraph:
        out.add(node, WP.paragraph, Literal(evidence.paragraph))
    for ref in evidence.supports:
        out.add(node, WP.supports, requirement_iri(ref))
    for number, figure in enumerate(evidence.figures, start=1):
        figure_node = URIRef(f"{node}/figure/{number}")
        out.add(node, WP.hasFigure, figure_node)
        out.add(figure_node, RDF.type, WP.Figure)
        out.add(figure_node, WP.figureText, Literal(figure.text))
        out.add(figure_node, WP.unit, Literal(figure.unit))
        if figure.value is not None:
            out.add(figure_node, WP.value, Literal(figure.value, datatype=XSD.decimal))
    if seed_file and evidence.seed_line:
        out.cite(node, seed_file, line=evidence.seed_line)
    if evidence.source_row is not None:
        out.cite(node, evidence.data_file or out.record.data_file, row=evidence.source_row)
    return node
