"""The namespaces wpgraph uses, in one place.

``WP`` is the ontology (classes and properties); ``WPID`` holds the instance
data (requirements, councils, plans, responses) and the named graphs.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

WP = Namespace("https://w3id.org/wpgraph/ns#")
WPID = Namespace("https://w3id.org/wpgraph/id/")
ONTOLOGY_IRI = "https://w3id.org/wpgraph/ns"

PREFIXES: dict[str, str] = {
    "wp": str(WP),
    "wpid": str(WPID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "org": str(ORG),
    "prov": str(PROV),
    "sh": str(SH),
}

__all__ = ["WP", "WPID", "ONTOLOGY_IRI", "PREFIXES", "DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS",
           "XSD"]
