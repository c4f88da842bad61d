"""``wpgraph export``: write a view of the build for Gephi, Cytoscape, yEd, Graphviz, a browser or a picture."""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError
from .options import add_build, add_output, notify

FORMATS = ("graphml", "gexf", "cytoscape", "dot", "html", "png")
VIEWS = ("full", "themes", "accountability", "partners", "coverage")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export", help="export a view of the graph (GraphML, GEXF, Cytoscape.js, DOT, HTML, PNG)",
        description="Build a view of the knowledge graph and write it, atomically, in a format graph tools read. "
        "Views: full (every resource, edges labelled by predicate; as html or png, one council's), "
        "themes (theme, topic, requirement), "
        "accountability (council, role, requirement), partners (requirement and theme to partner body), "
        "coverage (council to requirement, coloured by compliance status; as png, a heatmap). "
        "See docs/export.md.")
    parser.add_argument("--format", "-f", required=True, choices=FORMATS, help="output format")
    parser.add_argument("--view", default="coverage", choices=VIEWS,
                        help="which view of the graph (default: coverage); full as html or png needs --council")
    parser.add_argument("--council", action="append", metavar="COUNCIL",
                        help="keep only this council's plan: its name, short name (Rutland) or GSS code "
                        "(E06000017); repeat for several")
    add_build(parser)
    add_output(parser, "the view", required=True)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..entrypoints import export

    try:
        graph = export(args.format, args.output, view=args.view, council=args.council, build=args.build,
                       on_wait=notify)
    except BrokenPipeError:  # the reader went away (| head): main() says it is no error of ours
        raise
    except OSError as err:
        raise InputError(f"cannot write: {err.strerror or err}", args.output) from None
    where = "standard output" if str(args.output) == "-" else args.output
    print(f"wrote {where} ({args.view} view, {graph.number_of_nodes()} nodes, "
          f"{graph.number_of_edges()} edges)", file=sys.stderr)
    return 0
