"""``wpgraph catalogue``: list the national requirements."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("catalogue", help="list the winter plan's requirements",
                                   description="List the requirements of the national catalogue: the LGA "
                                   "template's 86 local-authority actions (0.1-4.11) and the NHS actions.")
    parser.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    parser.add_argument("--theme", choices=("0", "1", "2", "3", "4"), help="only this theme")
    parser.add_argument("--council-only", action="store_true",
                        help="only requirements a council's plan must answer (no NHS-only actions)")
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..reference.catalogue import catalogue
    from ..tables import emit, render_rows

    rows = [r.as_dict() for r in catalogue()
            if (args.theme is None or str(r.theme) == args.theme)
            and (not args.council_only or r.is_council_requirement)]
    columns = ["reference", "theme", "topic", "actor", "partners", "deadlines", "text"]
    emit(render_rows(rows, args.format, columns if args.format != "json" else None), args.output)
    return 0
