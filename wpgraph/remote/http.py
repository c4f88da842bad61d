"""Talking to a real triple store: credentials, error messages, and the Graph Store Protocol push.

``push()`` sends each named graph of the dataset with one HTTP ``PUT`` to
``GRAPH_STORE?graph=IRI`` (SPARQL 1.1 Graph Store HTTP Protocol), which replaces
that graph: pushing twice gives the same store, never duplicates. Credentials
come from ``WPGRAPH_ENDPOINT_USER`` / ``WPGRAPH_ENDPOINT_PASSWORD`` and are
never printed; every call has a timeout; any failure is one InputError line.
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..rdfio import canonical_triples

if TYPE_CHECKING:
    from ..dataset.build import Build

USER_ENV = "WPGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "WPGRAPH_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 30.0


def credentials() -> tuple[str | None, str | None]:
    return os.environ.get(USER_ENV) or None, os.environ.get(PASSWORD_ENV)


def _redact(text: str) -> str:
    _, password = credentials()
    return text.replace(password, "***") if password else text


def describe_error(err: BaseException) -> str:
    """One line for a failed HTTP call, without credentials."""
    if isinstance(err, urllib.error.HTTPError):
        detail = ""
        try:
            detail = err.read(300).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001
            pass
        message = f"HTTP {err.code} {err.reason}" + (f": {detail}" if detail else "")
    elif isinstance(err, urllib.error.URLError):
        reason = err.reason
        message = f"unreachable ({getattr(reason, 'strerror', None) or reason})"
    elif isinstance(err, (TimeoutError, socket.timeout)):
        message = "timed out"
    elif isinstance(err, ConnectionError):
        message = f"unreachable ({err.strerror or err})"
    else:
        message = f"{type(err).__name__}: {err}"
    return _redact(" ".join(message.split()))[:400]


def graph_store_url(endpoint: str, graph_store: str | None = None) -> str:
    """The Graph Store Protocol URL: given, or Oxigraph's ``/store`` next to its ``/query``."""
    if graph_store:
        return graph_store
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"not an http(s) URL: {endpoint!r}")
    path = parts.path.rstrip("/")
    for suffix in ("/query", "/sparql"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/store", "", ""))


def _request(method: str, url: str, data: bytes | None = None, content_type: str | None = None,
             timeout: float = DEFAULT_TIMEOUT) -> int:
    request = urllib.request.Request(url, data=data, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    user, password = credentials()
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's URL
            response.read()
            return response.status
    except Exception as err:  # noqa: BLE001 - every failure becomes one line
        raise InputError(f"{method} {url.split('?', 1)[0]}: {describe_error(err)}") from None


@dataclass
class PushedGraph:
    graph: str
    triples: int
    status: int


def push(build: Build, endpoint: str, graph_store: str | None = None, timeout: float = DEFAULT_TIMEOUT,
         progress: Callable[[PushedGraph], None] | None = None) -> list[PushedGraph]:
    """PUT every named graph of a build to the store's Graph Store endpoint."""
    target = graph_store_url(endpoint, graph_store)
    pushed = []
    for name, triples in build.manifest.graphs().items():
        body = ox.serialize(canonical_triples(build.triples(name)), format=ox.RdfFormat.N_TRIPLES)
        url = f"{target}?{urllib.parse.urlencode({'graph': name})}"
        status = _request("PUT", url, data=body, content_type="application/n-triples", timeout=timeout)
        result = PushedGraph(name, triples, status)
        pushed.append(result)
        if progress:
            progress(result)
    return pushed
