"""A reviewer whose analyzer raises, and one that hangs past its timeout."""

import time

from framework import Reviewer, hookimpl


class RaisingReviewer(Reviewer):
    name = "raising"
    description = "Always raises"

    def analyze(self, tree, settings):
        raise RuntimeError("analyzer exploded")


class SleepyReviewer(Reviewer):
    name = "sleepy"
    description = "Sleeps longer than its timeout"

    def analyze(self, tree, settings):
        time.sleep(settings.get("seconds", 60))
        return []


@hookimpl
def register_reviewers(register):
    register(RaisingReviewer)
    register(SleepyReviewer)
