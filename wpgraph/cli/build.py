"""``wpgraph build``: the one path from sources to the dataset (TriG, Oxigraph store, manifest)."""

from __future__ import annotations

import argparse
import sys

from .options import add_build, notify


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "build", help="build the knowledge graph into a build folder (TriG, Oxigraph store, manifest)",
        description="Read the ontology, vocabularies and catalogue from the package and every council plan, and "
        "write BUILD/wpgraph.trig (one named graph per source, byte-identical for the same inputs), BUILD/store "
        "(Oxigraph) and BUILD/manifest.json. Run again, it reads only the plans whose files changed. "
        "validate, query, export and push read the build.")
    parser.add_argument("--plans", nargs="+", metavar="PATH",
                        help="plan folders (with a plan.toml), templates (.csv, .xlsx), RDF plan graphs, or folders "
                        "of them (default: the bundled plans)")
    parser.add_argument("--bundled", action="store_true", help="add the bundled plans to those of --plans")
    add_build(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from ..entrypoints import build

    result = build(args.plans, build=args.build, bundled=args.bundled, on_wait=notify)
    counts = result.manifest.graphs()
    width = max(len(name) for name in counts)
    for name, count in counts.items():
        print(f"{name.ljust(width)}  {count:>7}")
    print(f"{'total'.ljust(width)}  {result.manifest.triples:>7}")
    what = "built" if result.full else f"refreshed {len(result.loaded)} plan graph(s), dropped {len(result.dropped)}"
    print(f"wpgraph build: {what}; {len(result.manifest.inputs)} plan(s) in {args.build}", file=sys.stderr)
    return 0
