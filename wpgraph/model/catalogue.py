"""The national plan, its topics and requirements as RDF (the catalogue's named graph)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..ingest.dates import find_deadlines
from ..namespaces import WP, WPID
from ..reference import vocab
from ..reference.catalogue import (
    NATIONAL_PLAN,
    Requirement,
    actor_iri,
    catalogue,
    overlaps,
    requirement_iri,
    source_file_name,
    topic_iri,
)
from . import provenance


def catalogue_graph(requirements: Iterable[Requirement] | None = None) -> Graph:
    """The national plan, its topics and requirements as RDF."""
    requirements = list(requirements if requirements is not None else catalogue())
    graph = Graph()
    plan = NATIONAL_PLAN
    graph.add((plan, RDF.type, WP.NationalPlan))
    graph.add((plan, DCTERMS.title, Literal("Adult social care: our COVID-19 winter plan 2020 to 2021", lang="en")))
    graph.add((plan, DCTERMS.publisher, Literal("Department of Health and Social Care")))
    graph.add((plan, DCTERMS.issued, Literal("2020-09-18", datatype=XSD.date)))
    graph.add((plan, WP.edition, Literal("2020-21")))
    graph.add((plan, RDFS.comment, Literal("Requirements are numbered as in the LGA gap-analysis template "
                                           "(briefing for councils, 1 October 2020).", lang="en")))
    provenance.add_location(graph, plan, "001_668a3734a83c0d44.txt", line=9)

    notations = {n: c for c, n in vocab.partner_notations().items()}
    topics: dict[URIRef, str] = {}
    for req in requirements:
        subject = req.iri
        topic = topic_iri(req.topic)
        if topic not in topics:
            topics[topic] = req.topic
            graph.add((topic, RDF.type, WP.Topic))
            graph.add((topic, RDF.type, SKOS.Concept))
            graph.add((topic, SKOS.prefLabel, Literal(req.topic, lang="en")))
            graph.add((topic, SKOS.inScheme, WPID["scheme/topics"]))
            graph.add((topic, SKOS.broader, WPID[f"theme/{req.theme}"]))
        elif topics[topic] != req.topic:
            graph.add((topic, SKOS.altLabel, Literal(req.topic, lang="en")))
        graph.add((subject, RDF.type, WP.Requirement))
        graph.add((subject, WP.reference, Literal(req.reference)))
        graph.add((subject, RDFS.label, Literal(f"{req.reference} {_short(req.text)}", lang="en")))
        graph.add((subject, WP.text, Literal(req.text)))
        graph.add((subject, WP.inPlan, plan))
        graph.add((subject, WP.theme, WPID[f"theme/{req.theme}"]))
        graph.add((subject, WP.topic, topic))
        graph.add((subject, WP.addressedTo, actor_iri(req.actor)))
        for partner in req.partners:
            graph.add((subject, WP.namesPartner, notations[partner]))
        for deadline in find_deadlines(req.text):
            graph.add((subject, WP.deadline, Literal(deadline.date.isoformat(), datatype=XSD.date)))
            graph.add((subject, WP.deadlineText, Literal(deadline.text)))
        for other in req.overlaps_with:
            graph.add((subject, WP.overlapsWith, requirement_iri(other)))
        if req.note:
            graph.add((subject, SKOS.editorialNote, Literal(req.note)))
        for line in (req.source_line, *req.continued_at):
            provenance.add_location(graph, subject, source_file_name(req.text_source), line=line)
    for overlap in overlaps():  # each with its extent and reason, citing its row of the curated file
        node = WPID[f"overlap/{overlap.reference}/{overlap.close_match}"]
        graph.add((node, RDF.type, WP.RequirementOverlap))
        graph.add((node, WP.overlapOf, requirement_iri(overlap.reference)))
        graph.add((node, WP.overlapOf, requirement_iri(overlap.close_match)))
        graph.add((node, WP.overlapExtent, Literal("full" if overlap.full else "partial")))
        graph.add((node, WP.overlapReason, Literal(overlap.reason)))
        provenance.add_location(graph, node, "catalogue/overlaps.csv", row=overlap.row)
    scheme = WPID["scheme/topics"]
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal("Winter plan topics", lang="en")))
    graph.add((scheme, RDFS.comment, Literal("The LGA template's sub-headings, each under its theme.", lang="en")))
    graph.add((WPID["scheme/topics"], PROV.wasDerivedFrom, URIRef(provenance.document_iri("requirements.csv"))))
    return graph


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
