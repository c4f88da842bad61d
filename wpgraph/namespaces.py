"""The namespaces wpgraph uses, in one place.

``WP`` is the ontology (classes and properties); ``WPID`` holds the instance
data (requirements, councils, plans, responses) and the named graphs. The
``*_NS`` strings serve code that never touches rdflib (the store, the trust
boundary, the queries), so that commands which do not need rdflib do not pay
for importing it; ``WP``, ``WPID`` and the rdflib namespaces are made on
first use.
"""

from __future__ import annotations

from typing import Any

WP_NS = "https://w3id.org/wpgraph/ns#"
WPID_NS = "https://w3id.org/wpgraph/id/"
ONTOLOGY_IRI = "https://w3id.org/wpgraph/ns"

PREFIXES: dict[str, str] = {
    "wp": WP_NS,
    "wpid": WPID_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
}

_RDFLIB_NAMES = ("DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD")


def __getattr__(name: str) -> Any:
    """``WP``, ``WPID`` and rdflib's namespaces, imported only when asked for."""
    if name in ("WP", "WPID"):
        from rdflib import Namespace

        value = Namespace(WP_NS if name == "WP" else WPID_NS)
    elif name in _RDFLIB_NAMES:
        from rdflib import namespace

        value = getattr(namespace, name)
    else:
        raise AttributeError(f"module 'wpgraph.namespaces' has no attribute {name!r}")
    globals()[name] = value
    return value


# WP, WPID and the rdflib namespaces (RDF, SKOS, …) are module attributes made on first use (see __getattr__)
__all__ = ["WP_NS", "WPID_NS", "ONTOLOGY_IRI", "PREFIXES", *_RDFLIB_NAMES]
