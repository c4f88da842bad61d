"""The flags every command shares, spelled the same everywhere: ``--build DIR``, ``-o/--output FILE``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_BUILD = "build"


def add_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build", metavar="DIR", type=Path, default=Path(DEFAULT_BUILD),
                        help="the build folder to read (default: ./build, made from the bundled plans if absent, "
                        "refreshed if one of its inputs changed)")


def add_output(parser: argparse.ArgumentParser, what: str = "the output", required: bool = False) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, required=required,
                        help=f"write {what} to FILE instead of standard output" if not required else
                        f"write {what} to FILE")


def add_template_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--council", help="the council's name (default: the template's title row)")
    parser.add_argument("--short-name", help="the name people use for the council, e.g. Rutland")
    parser.add_argument("--gss", help="the council's ONS GSS code, e.g. E06000017")
    parser.add_argument("--sheet", help="the workbook sheet to read (default: the first)")
    parser.add_argument("--plan-id", help="the plan's own id, where a council has several plans (default: the GSS "
                        "code, else the council's name)")


def notify(message: str) -> None:
    """Progress and waiting notes go to standard error, never into the output."""
    print(f"wpgraph: {message}", file=sys.stderr, flush=True)
