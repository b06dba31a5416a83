"""`python -m framework` runs the codepanel command."""

from framework.cli.commands import main

main()
