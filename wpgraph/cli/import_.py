"""``wpgraph import``: read a filled template into a plan graph, aligned to the catalogue."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..ingest.plans import PlanRecord, import_template, plan_graph
from ..rdfio import serialize_turtle, write_bytes_atomic
from ..tables import emit


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("import", help="import a filled LGA gap-analysis template (.csv, .xlsx)",
                                   description="Read a council's filled template, align every row to the "
                                   "catalogue (by reference when the texts agree, else by text similarity), and "
                                   "write the plan graph as Turtle. Rows that match nothing are reported.")
    parser.add_argument("file", type=Path, help="the template, .csv or .xlsx")
    parser.add_argument("--council", help="the council's name (default: the template's title)")
    parser.add_argument("--gss", help="the council's ONS GSS code, e.g. E06000017")
    parser.add_argument("--sheet", help="the workbook sheet to read (default: the first)")
    parser.add_argument("-o", "--output", type=Path, help="write the plan graph (Turtle) here")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="the alignment summary")
    return parser


def summary(plan: PlanRecord) -> dict:
    return {
        "council": plan.council,
        "gss": plan.gss,
        "rows": len(plan.responses),
        "responses": [{"row": r.source_row, "localRef": r.local_ref or None, "requirement": r.alignment.requirement,
                       "method": r.alignment.method, "score": r.alignment.score}
                      for r in plan.responses if r.alignment.matched],
        "unmatched": [{"row": r.source_row, "localRef": r.local_ref or None, "text": r.action_text}
                      for r in plan.responses if not r.alignment.matched],
        "warnings": [{"row": w.row, "message": w.message} for w in plan.warnings],
    }


def render_text(report: dict) -> str:
    lines = [f"{report['council']}: {report['rows']} rows, {len(report['responses'])} aligned, "
             f"{len(report['unmatched'])} unmatched, {len(report['warnings'])} warnings"]
    for r in report["responses"]:
        ref = r["localRef"] or "-"
        lines.append(f"  row {r['row']:>4}  {ref:>6} -> {r['requirement']:<8} {r['method']:<9} {r['score']:.2f}")
    for u in report["unmatched"]:
        lines.append(f"  row {u['row']:>4}  {u['localRef'] or '-':>6} -> UNMATCHED  {' '.join(u['text'].split())[:70]}")
    for w in report["warnings"]:
        lines.append(f"  warning: row {w['row']}: {w['message']}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    plan = import_template(args.file, council=args.council, gss=args.gss, sheet=args.sheet)
    graph = plan_graph(plan)
    if args.output:
        write_bytes_atomic(args.output, serialize_turtle(graph))
    report = summary(plan)
    emit(json.dumps(report, indent=2, ensure_ascii=False) + "\n" if args.format == "json" else render_text(report))
    return 0
