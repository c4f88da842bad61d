"""``wpgraph push``: load a build into a real triple store (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

import argparse
import sys

from .options import add_build, notify


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "push", help="load the build into a SPARQL triple store (one PUT per named graph)",
        description="Send every named graph of the build to a triple store with the SPARQL 1.1 Graph Store "
        "Protocol, one PUT per graph, so pushing again replaces and never duplicates. Credentials come from "
        "WPGRAPH_ENDPOINT_USER and WPGRAPH_ENDPOINT_PASSWORD, sent with Digest or Basic authentication as the "
        "store asks, only to the store's own host, and never printed. The store should answer queries over the union "
        "of its named graphs (Oxigraph: oxigraph serve --union-default-graph). Virtuoso: --endpoint "
        "http://HOST:8890/sparql --graph-store http://HOST:8890/sparql-graph-crud-auth. If a graph fails, the "
        "others are still sent, the failures named, and the exit code is 2: run the same push again.")
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="the store's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query")
    parser.add_argument("--graph-store", metavar="URL",
                        help="its Graph Store Protocol URL (default: /store beside the endpoint, as Oxigraph has; "
                        "Virtuoso: http://HOST:8890/sparql-graph-crud-auth)")
    add_build(parser)
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="seconds each HTTP call may take, start to end (default: 60)")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..entrypoints import push
    from ..errors import InputError
    from ..remote.client import mask_url
    from ..remote.http import PushError, graph_store_url

    if args.timeout <= 0:
        raise InputError(f"--timeout {args.timeout:g}: give a number of seconds above 0")
    target = mask_url(graph_store_url(args.endpoint, args.graph_store))
    try:
        pushed = push(args.endpoint, args.graph_store, build=args.build, timeout=args.timeout,
                      progress=lambda p: print(f"{p.graph}  {p.triples:>7}", flush=True), on_wait=notify)
    except PushError as err:
        for failed in err.failed:
            print(f"wpgraph push: failed: {failed.graph}: {failed.reason}", file=sys.stderr)
        for graph in err.unsent:
            print(f"wpgraph push: not sent: {graph}", file=sys.stderr)
        raise
    print(f"pushed {len(pushed)} graphs, {sum(p.triples for p in pushed)} triples to {target}", file=sys.stderr)
    _check_queries_see_it(args)
    return 0


def _check_queries_see_it(args: argparse.Namespace) -> None:
    """A note when the store's default graph, which queries read, does not show what was pushed."""
    from ..errors import InputError
    from ..queries.run import check_store, runner_for

    try:
        check_store(runner_for(endpoint=args.endpoint, timeout=args.timeout))
    except InputError as err:
        if "union" in str(err):
            print(f"wpgraph push: note: {err}", file=sys.stderr)
