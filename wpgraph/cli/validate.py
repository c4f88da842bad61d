"""``wpgraph validate``: check council plans for completeness and render the report.

All checking happens in the library (``wpgraph.validate``); this module parses
arguments, writes the report in the format asked for, and turns it into an
exit code: 0 when nothing reaches ``--fail-on``, 1 when something does (the
full report is still written), 2 for usage or input errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..validation.report import ENGINES, FAIL_LEVELS, FORMATS
from .options import add_build, add_output, add_template_options, notify


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "validate", help="check council plans for completeness (SHACL)",
        description="Check each council plan against the winter plan's requirements with the SHACL shapes in "
        "shapes/: every requirement answered, each response with a status, an owner, and for gaps an action and "
        "a real due date. Without INPUTs, every plan of the build; with INPUTs, those files on their own. "
        "Exit 0: nothing at the --fail-on level; 1: something is (the report is still written); 2: usage or "
        "input error.")
    parser.add_argument("inputs", nargs="*", type=Path, metavar="INPUT",
                        help="filled templates (.csv, .xlsx), plan folders (plan.toml), plan graphs (.ttl, .nt, "
                        ".trig, .jsonld) or folders of them; default: every plan of the build")
    add_build(parser)
    add_template_options(parser)
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="report format (default: text; xlsx: a workbook of plans and findings, with -o FILE)")
    parser.add_argument("--summary", action="store_true", help="one line per plan (the same as --format summary)")
    parser.add_argument("--fail-on", choices=FAIL_LEVELS, default="violation",
                        help="exit 1 when a finding reaches this severity (default: violation)")
    add_output(parser, "the report")
    parser.add_argument("--engine", choices=ENGINES, default="fast",
                        help="fast: the shapes compiled to SPARQL on the store, every plan in one pass (default); "
                        "pyshacl: pySHACL, one plan at a time (the reference the fast engine is tested against)")
    parser.add_argument("--no-cache", action="store_true",
                        help="validate every plan again, not only those changed since the build last validated them")
    parser.add_argument("--jobs", type=int, default=None, help="how many plans or queries at once: worker processes "
                        "for --engine pyshacl, query threads for the fast engine (default: one a core, up to 4); "
                        "from 50 files on, a second process checks half of them unless --jobs 1")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..entrypoints import validate
    from ..tables import emit, emit_binary
    from ..validation.render import render_chunks, render_xlsx

    fmt = "summary" if args.summary else args.format
    if fmt == "xlsx" and (args.output is None or str(args.output) == "-"):
        emit_binary(b"", args.output, fmt)  # refused before validating: a workbook needs -o FILE
    report = validate(args.inputs or None, build=args.build, fail_on=args.fail_on, jobs=args.jobs,
                      council=args.council, gss=args.gss, sheet=args.sheet, plan_id=args.plan_id,
                      short_name=args.short_name, engine=args.engine,
                      use_cache=not args.no_cache and fmt != "turtle", on_wait=notify,
                      processes=1 if args.jobs == 1 else 2)  # many files: a second process shares them
    colour = args.output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if fmt == "xlsx":
        emit_binary(render_xlsx(report), args.output, fmt)
    else:
        emit(render_chunks(report, fmt, colour=colour), args.output, raw=colour)
    if args.output is not None:
        counts = report.counts
        print(f"wpgraph validate: {len(report.plans)} plan(s): {counts['violation']} violation(s), "
              f"{counts['warning']} warning(s), {counts['info']} info; report written to {args.output}",
              file=sys.stderr)
    return 1 if report.failed else 0
