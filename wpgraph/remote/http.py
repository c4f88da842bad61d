"""Loading a build into a real triple store with the SPARQL 1.1 Graph Store Protocol.

``push()`` sends each named graph of the dataset with one HTTP ``PUT`` to
``GRAPH_STORE?graph=IRI``, which replaces that graph: pushing twice gives the
same store, never duplicates. Every call goes through the careful client
(``remote.client``: time-outs, size limit, Digest or Basic credentials that are
never printed). A graph the store refuses is named; the other graphs are still
sent, and a push that did not put every graph in raises ``PushError`` with what
went in and what did not, so the user can repeat it.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..rdfio import canonical_triples
from .client import DEFAULT_TIMEOUT, HttpClient, HttpError, mask_url, split_url

if TYPE_CHECKING:
    from ..dataset.build import Build

# N-Triples is a subset of Turtle: every store reads it as text/turtle (Virtuoso 7 does not know
# application/n-triples by that name).
CONTENT_TYPE = "text/turtle; charset=utf-8"


def graph_store_url(endpoint: str, graph_store: str | None = None) -> str:
    """The Graph Store Protocol URL: given, or Oxigraph's ``/store`` next to its ``/query``."""
    if graph_store:
        split_url(graph_store)  # an http(s) URL, or an InputError
        return graph_store
    clean, _ = split_url(endpoint)
    parts = urllib.parse.urlsplit(endpoint)
    path = urllib.parse.urlsplit(clean).path.rstrip("/")
    for suffix in ("/query", "/sparql"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/store", "", ""))


@dataclass
class PushedGraph:
    graph: str
    triples: int
    status: int


@dataclass
class FailedGraph:
    graph: str
    reason: str


class PushError(InputError):
    """A push that did not put every graph in: which went in, which failed (and why), which were not sent."""

    def __init__(self, target: str, pushed: list[PushedGraph], failed: list[FailedGraph],
                 unsent: list[str]) -> None:
        self.target, self.pushed, self.failed, self.unsent = target, pushed, failed, unsent
        total = len(pushed) + len(failed) + len(unsent)
        first = failed[0]
        parts = [f"{len(pushed)} of {total} graphs went in to {target}",
                 f"{first.graph} failed: {first.reason}"]
        if len(failed) > 1:
            parts.append(f"{len(failed) - 1} more failed ({', '.join(f.graph for f in failed[1:])})")
        if unsent:
            parts.append(f"{len(unsent)} not sent")
        if pushed:
            parts.append("the store now holds new and old graphs side by side")
        parts.append("repeat the same wpgraph push once the store is fixed (each PUT replaces its graph)")
        super().__init__("; ".join(parts))


def push(build: Build, endpoint: str, graph_store: str | None = None, timeout: float = DEFAULT_TIMEOUT,
         progress: Callable[[PushedGraph], None] | None = None, max_bytes: int | None = None) -> list[PushedGraph]:
    """PUT every named graph of a build to the store's Graph Store endpoint; a PushError unless all went in."""
    target = graph_store_url(endpoint, graph_store)
    clean, credentials = split_url(target)
    if credentials is None:
        credentials = split_url(endpoint)[1]
    client = HttpClient(timeout=timeout, credentials=credentials)
    if max_bytes is not None:
        client.max_bytes = max_bytes
    shown = mask_url(clean)
    pushed: list[PushedGraph] = []
    failed: list[FailedGraph] = []
    names = list(build.manifest.graphs().items())
    for index, (name, triples) in enumerate(names):
        body = ox.serialize(canonical_triples(build.triples(name)), format=ox.RdfFormat.N_TRIPLES)
        url = f"{clean}?{urllib.parse.urlencode({'graph': name})}"
        try:
            response = client.request("PUT", url, body=body, headers={"Content-Type": CONTENT_TYPE})
        except HttpError as err:
            failed.append(FailedGraph(name, err.message))
            if err.status is None or err.status in (401, 403, 404, 405):  # the store, not the graph: stop here
                unsent = [n for n, _ in names[index + 1:]]
                if not pushed and len(failed) == 1:
                    raise InputError(f"{name}: {err.message}" + (f" ({len(unsent)} more graphs not sent)"
                                                                 if unsent else "")) from None
                raise PushError(shown, pushed, failed, unsent) from None
            continue
        result = PushedGraph(name, triples, response.status)
        pushed.append(result)
        if progress:
            progress(result)
    if failed:
        raise PushError(shown, pushed, failed, [])
    return pushed
