"""One module per ``wpgraph`` subcommand: ``add_parser(subparsers)`` and ``run(args) -> int``."""
