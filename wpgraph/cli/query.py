"""``wpgraph query``: canned SPARQL queries by name, on the embedded store or a SPARQL endpoint."""

from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("table", "csv", "json", "markdown")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "query", help="run a canned SPARQL query (--list shows them)",
        description="Answer a question by name: wpgraph query coverage --param council=Rutland. Runs on the "
        "embedded store (built from the bundled data under --build, rebuilt when a source changes) or, with "
        "--endpoint, on any SPARQL 1.1 endpoint that has the dataset (see wpgraph push).")
    parser.add_argument("name", nargs="?", help="the canned query to run")
    parser.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    parser.add_argument("--describe", metavar="NAME", help="show one query's description, parameters and example")
    parser.add_argument("--file", metavar="X.rq", type=Path, help="run an ad-hoc SPARQL SELECT from a file")
    parser.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", default=[],
                        help="a parameter value (repeatable); a council may be its name, short name or GSS code")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--endpoint", metavar="URL", help="run on this SPARQL endpoint instead of the embedded store")
    parser.add_argument("--build", metavar="DIR", default="build",
                        help="build folder holding the embedded store (default: ./build)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds for an endpoint call (default: 30)")
    parser.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of stdout")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..queries.canned import describe, get_query, list_queries, load_query, parse_param_args, run_query
    from ..tables import emit, render_rows

    if args.list:
        rows = [{"name": q.name, "summary": q.summary,
                 "parameters": " ".join(p.name if p.required else f"[{p.name}]" for p in q.params)}
                for q in list_queries()]
        emit(render_rows(rows, args.format, max_width=80), args.out)
        return 0
    if args.describe:
        emit(describe(get_query(args.describe)), args.out)
        return 0
    if args.file and args.name:
        raise InputError("give a query NAME or --file, not both")
    if args.file:
        query = load_query(args.file)
    elif args.name:
        query = get_query(args.name)
    else:
        raise InputError("name a query (wpgraph query --list shows them) or give --file X.rq")
    rows = run_query(query, parse_param_args(args.param), endpoint=args.endpoint, build=args.build,
                     timeout=args.timeout)
    emit(render_rows(rows, args.format, columns=query.variables or None), args.out)
    return 0
