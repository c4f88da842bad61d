"""The RDF mapping: records to triples, one function per kind of node, every IRI minted in one place."""
