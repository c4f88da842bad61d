"""Refusing ``SERVICE``: a user's query may not make wpgraph (or the store) call other hosts unless allowed.

The query is parsed with rdflib's SPARQL parser and its syntax tree searched
for a ``SERVICE`` pattern, so the word in a comment, a string or an IRI is no
call. A query rdflib cannot parse (an extension Oxigraph accepts) is read
token by token instead, comments, strings and IRIs skipped, and refused if the
keyword is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError

_SKIPPED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
_KEYWORD = re.compile(r"(?i)(?<![\w?$:])SERVICE(?![\w:])")


def _names(node: Any) -> Iterator[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _names(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _names(value)


def calls_service(text: str) -> bool:
    """Whether a SPARQL query has a SERVICE pattern (comments, strings and IRIs are not one)."""
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - rdflib cannot read it: fall back to the token scan
        return bool(_KEYWORD.search(_SKIPPED.sub(" ", text)))
    return "ServiceGraphPattern" in set(_names(tree))


def refuse_service(text: str, source: str | Path | None = None) -> None:
    """An InputError if the query calls another service."""
    if calls_service(text):
        raise InputError("the query calls another service (SERVICE), which wpgraph refuses: it would send "
                         "requests to that address; give --allow-service if you mean it", source)
