"""Reviewers that fail: one raises, one hangs past its timeout, one is killed."""

import os
import signal
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


class KilledReviewer(Reviewer):
    name = "killed"
    description = "Killed by the operating system half-way"

    def analyze(self, tree, settings):
        os.kill(os.getpid(), signal.SIGKILL)
        return []


@hookimpl
def register_reviewers(register):
    register(RaisingReviewer)
    register(SleepyReviewer)
    register(KilledReviewer)
