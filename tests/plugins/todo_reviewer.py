"""A reviewer dropped into a plugins folder by a test: flags the word 'hack'."""

from framework import Reviewer, ReviewerSettings, hookimpl


class HackSettings(ReviewerSettings):
    word: str = "hack"


class HackReviewer(Reviewer):
    name = "hack"
    description = "Flags the word hack"
    Settings = HackSettings

    def analyze(self, tree, settings):
        for path in tree.files:
            for number, line in enumerate(tree.read_text(path).splitlines(), start=1):
                if settings.word in line:
                    yield self.finding(rule_id="hack.word", message=f"{settings.word} here", file=path,
                                       line=number, severity="low", confidence="high")


@hookimpl
def register_reviewers(register):
    register(HackReviewer)
