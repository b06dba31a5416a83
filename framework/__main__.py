"""`python -m framework` runs the codepanel command."""

from framework.cli import main

main()
