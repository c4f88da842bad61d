"""``wpgraph validate``: not built yet (see the open issues)."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    return subparsers.add_parser("validate", help="(not built yet)")


def run(args: argparse.Namespace) -> int:
    print("wpgraph validate: not built yet", file=sys.stderr)
    return 2
