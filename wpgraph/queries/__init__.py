"""Canned SPARQL queries: their headers, safe parameter binding, and runners for the store or an endpoint."""
