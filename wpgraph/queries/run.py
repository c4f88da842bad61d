"""Running a canned or ad-hoc query with its parameters bound, on a store or an endpoint."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from .binding import prepare
from .registry import CannedQuery
from .runners import LocalRunner, RemoteRunner, Row, Runner


def runner_for(store: ox.Store | None = None, endpoint: str | None = None, timeout: float = 30.0) -> Runner:
    """A runner for an Oxigraph store or a SPARQL endpoint URL (exactly one of them)."""
    if (store is None) == (endpoint is None):
        raise ValueError("give a store or an endpoint")
    return RemoteRunner(endpoint, timeout=timeout) if endpoint is not None else LocalRunner(store)  # type: ignore


def run_query(query: CannedQuery, params: Mapping[str, Any] | None, runner: Runner) -> list[Row]:
    """Rows keyed by the query's variable names."""
    rows = runner.select(prepare(query, dict(params or {}), runner))
    return normalise_lists(rows, query.lists, query.list_separator)


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
