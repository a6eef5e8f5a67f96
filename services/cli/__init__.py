"""The `dothixanh` command line, one module per command group (see COMMAND_MODULES in main.py)."""

from services.cli.main import COMMAND_MODULES, build_parser, main

__all__ = ["COMMAND_MODULES", "build_parser", "main"]
