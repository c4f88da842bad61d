"""Running a canned or ad-hoc query with its parameters bound, on a store or an endpoint."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import WP_NS
from .binding import prepare
from .registry import CannedQuery, is_canned
from .runners import LocalRunner, RemoteRunner, Row, Runner
from .service import refuse_service

DEFAULT_TIMEOUT = 60.0


def runner_for(store: ox.Store | None = None, endpoint: str | None = None,
               timeout: float | None = DEFAULT_TIMEOUT) -> Runner:
    """A runner for an Oxigraph store or a SPARQL endpoint URL (exactly one of them); ``timeout`` in seconds."""
    if (store is None) == (endpoint is None):
        raise ValueError("give a store or an endpoint")
    if endpoint is not None:
        return RemoteRunner(endpoint, timeout=timeout or DEFAULT_TIMEOUT)
    return LocalRunner(store, timeout=timeout)  # type: ignore[arg-type]


def run_query(query: CannedQuery, params: Mapping[str, Any] | None, runner: Runner,
              allow_service: bool = False) -> list[Row]:
    """Rows keyed by the query's variable names, the same from every store.

    A query that is not one of the canned ones may not call another service
    (``SERVICE``) unless ``allow_service``.
    """
    check_service(query, allow_service)
    rows = runner.select(prepare(query, dict(params or {}), runner))
    return normalise_rows(rows, query)


def check_service(query: CannedQuery, allow_service: bool = False) -> None:
    """An InputError if a query of the user's calls another service (SERVICE) and that is not allowed."""
    if not allow_service and not is_canned(query):
        refuse_service(query.text, query.path)


def normalise_rows(rows: list[Row], query: CannedQuery) -> list[Row]:
    """What stores say differently, said one way: empty lists unbound, 1/0 booleans as True/False, lists sorted."""
    for row in rows:
        for column in query.lists:
            if row.get(column) == "":  # Virtuoso: "" for a GROUP_CONCAT of nothing; Oxigraph: unbound
                row[column] = None
        for column in query.booleans:
            value = row.get(column)
            if type(value) is int and value in (0, 1):  # Virtuoso: a comparison's value as 1/0
                row[column] = bool(value)
    return normalise_lists(rows, query.lists, query.list_separator)


def check_store(runner: Runner) -> None:
    """An InputError unless the store's default graph holds wpgraph data (the union of its named graphs)."""
    where = getattr(runner, "endpoint", "the endpoint")
    probe = f"SELECT ?council WHERE {{ ?council a <{WP_NS}Council> }} LIMIT 1"
    if runner.select(probe):
        return
    if runner.select(f"SELECT ?council WHERE {{ GRAPH ?g {{ ?council a <{WP_NS}Council> }} }} LIMIT 1"):
        raise InputError(f"the store at {where} keeps the wpgraph data in named graphs, but its default "
                         "graph, which queries read, holds none of it: serve the union of the named graphs as the "
                         "default graph (Oxigraph: oxigraph serve --union-default-graph; Fuseki: "
                         "tdb2:unionDefaultGraph true; Virtuoso does so already)")
    raise InputError(f"the store at {where} holds no wpgraph data: load it with "
                     f"wpgraph push --endpoint {where}")


def _natural(text: str) -> list[Any]:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def normalise_lists(rows: list[Row], columns: tuple[str, ...], separator: str) -> list[Row]:
    """Sort the items of GROUP_CONCAT columns (naturally: 1.9 before 1.10), so every engine gives the same rows."""
    for row in rows:
        for column in columns:
            value = row.get(column)
            if isinstance(value, str) and separator in value:
                row[column] = separator.join(sorted(value.split(separator), key=_natural))
    return rows
