"""``wpgraph query``: canned SPARQL queries by name, on the build's embedded store or a SPARQL endpoint."""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import add_build, add_output, notify

FORMATS = ("table", "csv", "json", "markdown", "xlsx")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "query", help="run a canned SPARQL query (--list shows them)",
        description="Answer a question by name: wpgraph query coverage --param council=Rutland. Runs on the "
        "build's embedded store (--build) or, with --endpoint, on any SPARQL 1.1 endpoint that holds the dataset "
        "(see wpgraph push).")
    parser.add_argument("name", nargs="?", help="the canned query to run")
    parser.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    parser.add_argument("--describe", metavar="NAME", help="show one query's description, parameters and example")
    parser.add_argument("--file", metavar="X.rq", type=Path, help="run an ad-hoc SPARQL SELECT from a file")
    parser.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", default=[],
                        help="a parameter value (once per parameter); a council may be its name, short name or "
                        "GSS code")
    parser.add_argument("--format", "-f", choices=FORMATS, default="table",
                        help="output format (default: table; xlsx: a workbook, with -o FILE)")
    parser.add_argument("--endpoint", metavar="URL", help="run on this SPARQL endpoint instead of the build's store")
    add_build(parser)
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="seconds the query may run, on the build's store or per HTTP call to an endpoint "
                        "(default: 60)")
    parser.add_argument("--allow-service", action="store_true",
                        help="let a query of your own (--file) call other SPARQL services (SERVICE); refused without")
    add_output(parser, "the rows")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..entrypoints import run_sparql
    from ..errors import InputError
    from ..queries.binding import parse_param_args
    from ..queries.registry import describe, get_query, list_queries, load_query
    from ..tables import emit, emit_binary, render_rows, xlsx_bytes

    if args.format == "xlsx" and (args.list or args.describe):
        raise InputError("--format xlsx is for a query's rows, not --list or --describe")
    if args.list:
        rows = [{"name": q.name, "summary": q.summary,
                 "parameters": " ".join(p.name if p.required else f"[{p.name}]" for p in q.params)}
                for q in list_queries()]
        emit(render_rows(rows, args.format, max_width=80), args.output)
        return 0
    if args.describe:
        emit(describe(get_query(args.describe)), args.output)
        return 0
    if args.file and args.name:
        raise InputError("give a query NAME or --file, not both")
    if args.file:
        query = load_query(args.file)
    elif args.name:
        query = get_query(args.name)
    else:
        raise InputError("name a query (wpgraph query --list shows them) or give --file X.rq")
    params = parse_param_args(args.param)
    if args.timeout <= 0:
        raise InputError(f"--timeout {args.timeout:g}: give a number of seconds above 0")
    if args.format == "xlsx" and (args.output is None or str(args.output) == "-"):
        emit_binary(b"", args.output, "xlsx")  # refused before the query runs: a workbook needs -o FILE
    rows = run_sparql(query, params, endpoint=args.endpoint, build=args.build, timeout=args.timeout,
                      on_wait=notify, allow_service=args.allow_service)
    columns = list(query.variables or (rows[0].keys() if rows else []))
    if args.format == "xlsx":
        emit_binary(xlsx_bytes({query.name: (columns, rows)}), args.output, "xlsx")
    else:
        emit(render_rows(rows, args.format, columns=columns or None), args.output)
    return 0
