"""Reviewers with process trees of their own: pool workers and helpers that outlive nothing."""

import multiprocessing
import os
import signal
import subprocess
import time

from framework import Reviewer, hookimpl


def _linger(seconds):
    time.sleep(seconds)


def _start_tree():
    """A forked pool worker (it holds the reviewer's stdout) and a helper program, both asleep."""
    worker = multiprocessing.get_context("fork").Process(target=_linger, args=(300,), daemon=True)
    worker.start()
    helper = subprocess.Popen(["sleep", "300"])
    return worker, helper


class TreeReviewer(Reviewer):
    name = "tree"
    description = "Starts a pool worker and a helper, then works for a while"

    def analyze(self, tree, settings):
        self.children = _start_tree()
        time.sleep(settings.get("seconds", 60))
        return []


class OrphaningReviewer(Reviewer):
    name = "orphaning"
    description = "Starts a pool worker and a helper, then is killed, leaving them"

    def analyze(self, tree, settings):
        self.children = _start_tree()
        time.sleep(settings.get("before", 0.5))
        os.kill(os.getpid(), signal.SIGKILL)
        return []


class HungryReviewer(Reviewer):
    name = "hungry"
    description = "Allocates memory until it has settings.mb megabytes"

    def analyze(self, tree, settings):
        blocks = [bytearray(1 << 20) for _ in range(settings.get("mb", 4096))]
        return [self.finding(rule_id="fed", message=f"held {len(blocks)} MB", file=".", line=1, severity="info")]


@hookimpl
def register_reviewers(register):
    register(TreeReviewer)
    register(OrphaningReviewer)
    register(HungryReviewer)
