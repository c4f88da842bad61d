"""The controlled vocabularies (SKOS schemes in ``data/vocab/``) and the taggers built on them.

Tagging is driven by the labels in the vocabulary files only: a partner body is
named by a text when one of its labels stands in the text as whole words
(acronyms case-sensitively, names case-insensitively).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from .. import rdfio
from ..namespaces import WP
from ..resources import bundled


def vocab_path(name: str) -> Path:
    return bundled("data", "vocab", f"{name}.ttl")


@cache
def load_vocab(name: str) -> Graph:
    """One vocabulary graph, parsed strictly; cached, so treat it as read-only."""
    return rdfio.read_graph(vocab_path(name))


def concepts(graph: Graph, concept_class: URIRef) -> list[URIRef]:
    """The IRIs typed ``concept_class`` in a vocabulary, sorted."""
    return sorted(URIRef(str(c)) for c in graph.subjects(RDF.type, concept_class) if isinstance(c, URIRef))


def _is_acronym(label: str) -> bool:
    return label.isupper() or (any(c.isupper() for c in label[1:]) and " " not in label)


@dataclass(frozen=True)
class LabelTagger:
    """Finds the concepts of a scheme whose labels a text names."""

    patterns: tuple[tuple[URIRef, re.Pattern[str]], ...]

    @classmethod
    def from_graph(cls, graph: Graph, concept_class: URIRef) -> LabelTagger:
        patterns = []
        for concept in concepts(graph, concept_class):
            labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                      for o in graph.objects(concept, p)}
            # longest first, so that "director of adult social care and public health"
            # is matched whole rather than as "director of adult social care"
            acronyms = sorted((label for label in labels if _is_acronym(label)), key=lambda x: (-len(x), x))
            names = sorted((label for label in labels if not _is_acronym(label)), key=lambda x: (-len(x), x))
            alternatives = []
            if acronyms:
                alternatives.append(r"(?-i:" + "|".join(re.escape(a) for a in acronyms) + ")")
            alternatives += [re.escape(n).replace(r"\ ", r"\s+") for n in names]
            pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)
            patterns.append((concept, pattern))
        return cls(tuple(patterns))

    def tag(self, text: str) -> list[URIRef]:
        """The concepts the text names, in the vocabulary's order."""
        return [concept for concept, pattern in self.patterns if pattern.search(text)]


@cache
def partner_tagger() -> LabelTagger:
    return LabelTagger.from_graph(load_vocab("partners"), WP.PartnerBody)


def notation_index(name: str, concept_class: URIRef) -> dict[str, URIRef]:
    """Concepts of a scheme by their skos:notation."""
    graph = load_vocab(name)
    return {str(graph.value(c, SKOS.notation)): c for c in concepts(graph, concept_class)}


def pref_label(name: str, concept: URIRef) -> str:
    return str(load_vocab(name).value(concept, SKOS.prefLabel))


@cache
def partner_notations() -> dict[URIRef, str]:
    return {c: n for n, c in notation_index("partners", WP.PartnerBody).items()}


@cache
def _status_labels() -> dict[str, URIRef]:
    graph = load_vocab("statuses")
    return {str(label): concept for concept in concepts(graph, WP.ComplianceStatus)
            for label in graph.objects(concept, SKOS.hiddenLabel)}


def compliance_status(met_text: str | None) -> URIRef | None:
    """The compliance status a "Requirement fully met (Y/N)?" cell states (by the scheme's hidden labels):
    not stated for an empty cell, None for a value the scheme does not know."""
    key = re.sub(r"[^a-z ]", "", (met_text or "").lower()).strip()
    if not key:
        return notation_index("statuses", WP.ComplianceStatus)["not-stated"]
    return _status_labels().get(key)


@dataclass(frozen=True)
class StatusDisplay:
    notation: str
    label: str
    colour: str
    rank: int


@cache
def coverage_display() -> list[tuple[str, str, str]]:
    """Each coverage kind's (notation, label, colour), from ``data/vocab/coverage.ttl``, least complete first."""
    graph = load_vocab("coverage")
    kinds = sorted(concepts(graph, WP.CoverageKind), key=lambda c: int(str(graph.value(c, WP.rank))))
    return [(str(graph.value(c, SKOS.notation)), str(graph.value(c, SKOS.prefLabel)),
             str(graph.value(c, WP.displayColour))) for c in kinds]


def status_display() -> dict[str, StatusDisplay]:
    """Each compliance status's notation, label, colour and rank, from ``data/vocab/statuses.ttl``, least complete
    first."""
    graph = load_vocab("statuses")
    found = []
    for concept in concepts(graph, WP.ComplianceStatus):
        found.append(StatusDisplay(
            notation=str(graph.value(concept, SKOS.notation)), label=str(graph.value(concept, SKOS.prefLabel)),
            colour=str(graph.value(concept, WP.displayColour)), rank=int(str(graph.value(concept, WP.rank)))))
    return {s.notation: s for s in sorted(found, key=lambda s: s.rank)}
