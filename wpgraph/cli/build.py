"""``wpgraph build``: assemble the whole graph into one TriG file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..dataset.build import build_dataset, write_dataset


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("build", help="build the knowledge graph (one named graph per source)",
                                   description="Load the ontology, the vocabularies, the catalogue and every "
                                   "council plan into one dataset and write DIR/wpgraph.trig, one named graph "
                                   "per source. The same inputs give byte-identical output.")
    parser.add_argument("--out", default="build", help="output folder (default: ./build)")
    parser.add_argument("--plans", metavar="DIR", type=Path,
                        help="read council plans from this folder instead of the bundled data/plans "
                        "(each */plan.toml, and any .ttl/.trig/.nq/.jsonld plan graph)")
    return parser


def run(args: argparse.Namespace) -> int:
    dataset = build_dataset(plans_dir=args.plans)
    target = write_dataset(dataset, Path(args.out))
    width = max(len(name) for name in dataset.triple_counts())
    for name, count in dataset.triple_counts().items():
        print(f"{name.ljust(width)}  {count:>7}")
    print(f"{'total'.ljust(width)}  {len(dataset):>7}")
    print(f"wrote {target}", file=sys.stderr)
    return 0
