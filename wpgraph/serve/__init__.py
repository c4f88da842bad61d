"""``wpgraph serve``: a local web app over one build (or a SPARQL endpoint): a SPARQL endpoint, the canned queries
as a web API, a dashboard and a template check. ``create_app`` builds it; one module per job (backend, results,
sparql, api, pages, check)."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
