"""The `codepanel` command: thin; it parses, calls the library, prints."""

from framework.cli.commands import cli, main

__all__ = ["cli", "main"]
