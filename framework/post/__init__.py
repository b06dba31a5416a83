"""Posting a finished review on its pull request (GitHub) or merge request (GitLab).

Read in order: ``target`` (where, from CI's environment), ``patches`` (the lines a comment may sit
on), ``markers`` (how a later run finds what an earlier one posted), ``suggestion`` and
``comments`` (what the comments say), ``limits``, ``plan`` (what one run posts), ``posting`` (the
flow), then the platforms: ``github`` (PyGithub) and ``gitlab`` (python-gitlab).
"""

from framework.post.posting import post_run
from framework.post.target import TARGETS

__all__ = ["TARGETS", "post_run"]
