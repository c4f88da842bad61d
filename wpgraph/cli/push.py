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
        "WPGRAPH_ENDPOINT_USER and WPGRAPH_ENDPOINT_PASSWORD. The store should answer queries over the union "
        "of its named graphs (Oxigraph: oxigraph serve --union-default-graph).")
    parser.add_argument("--endpoint", required=True, metavar="URL",
                        help="the store's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query")
    parser.add_argument("--graph-store", metavar="URL",
                        help="its Graph Store Protocol URL (default: /store beside the endpoint, as Oxigraph has)")
    add_build(parser)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP call (default: 30)")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..entrypoints import push
    from ..remote.http import graph_store_url

    target = graph_store_url(args.endpoint, args.graph_store)
    pushed = push(args.endpoint, args.graph_store, build=args.build, timeout=args.timeout,
                  progress=lambda p: print(f"{p.graph}  {p.triples:>7}"), on_wait=notify)
    print(f"pushed {len(pushed)} graphs, {sum(p.triples for p in pushed)} triples to {target}", file=sys.stderr)
    return 0
