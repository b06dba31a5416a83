"""codepanel: a panel of code-review agents that share one workspace.

A plugin needs a single import: ``from framework import hookimpl, Reviewer, Finding``.
"""

from framework.findings import Finding
from framework.hookspecs import hookimpl
from framework.reviewer import Reviewer

__version__ = "0.1.0"
__all__ = ["Finding", "Reviewer", "__version__", "hookimpl"]
