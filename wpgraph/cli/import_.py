"""``wpgraph import``: read a filled template into a plan graph, aligned to the catalogue."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .options import add_output, add_template_options


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("import", help="import a filled LGA gap-analysis template (.csv, .xlsx)",
                                   description="Read a council's filled template, align every row to the "
                                   "catalogue (by reference when the texts agree, else by text similarity), and "
                                   "write the plan graph as Turtle. Rows that match nothing are reported. "
                                   "The Turtle file is a plan source for wpgraph build --plans.")
    parser.add_argument("file", type=Path, help="the template, .csv or .xlsx")
    add_template_options(parser)
    add_output(parser, "the plan graph (Turtle)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="the alignment summary, on standard output (standard error with -o -)")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..align import alignment_summary, render_alignment_summary
    from ..entrypoints import import_template
    from ..model.plan import plan_graph
    from ..rdfio import serialize_turtle
    from ..tables import emit

    plan = import_template(args.file, council=args.council, gss=args.gss, sheet=args.sheet, plan_id=args.plan_id,
                           short_name=args.short_name)
    graph = plan_graph(plan)
    if args.output:
        emit(serialize_turtle(graph).decode("utf-8"), args.output)
    summary = alignment_summary(plan)
    emit(json.dumps(summary, indent=2, ensure_ascii=False) + "\n" if args.format == "json"
         else render_alignment_summary(summary), stream=sys.stderr if str(args.output) == "-" else None)
    return 0
