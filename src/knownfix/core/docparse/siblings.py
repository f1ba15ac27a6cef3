"""The sibling vote: a page's own shape as evidence for the sections that are unclear alone.

Most sections say by their heading whether they are a problem ("## Docker Desktop fails to
start", "### What does \"mvcc: database space exceeded\" mean?") or not ("### What is etcd?",
"### zPages"). Some do not: "## AppArmor" in a known-issues page is a problem with a fix, "###
System requirements" in an FAQ is not, although both read alike and both have instructions. What
decides is what the sections around them are. When a heading's sub-sections are all decided, the
leaves among them vote with their headings:

* most name a problem: a plain section with a fix or a cause is one more entry (promoted);
* few do: a section that became an issue on its body's words alone, its heading naming no
  problem, is a how-to or concept page among others like it (demoted, reported with why).

Only leaf sections vote and only three or more of them decide anything, so a page's one
section, or a pair, keeps what it says itself. A vote is a few booleans and references to
drafts already found: streaming stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knownfix.core.docparse.assemble import Draft

MIN_VOTERS = 3  # fewer sibling sections than this say nothing about the page's shape
PROMOTED_NOTE = "promoted: a section with a fix among sibling sections that name problems"
DEMOTED = ("is not an issue: its heading names no problem, and neither do most of the sections "
           "beside it (a page of how-tos or concepts); the failure words are in its text only")


@dataclass
class Hopeful:
    """A section with a fix under a plain heading, not an issue on its own."""

    draft: Draft
    line: int


@dataclass
class Votes:
    """What the leaf sub-sections of one heading said, and which of them the vote may move."""

    named: int = 0  # leaves whose heading names a problem
    issues: int = 0  # leaves that name one or became an issue on their text
    voters: int = 0
    # Per section, the Found items that rest on its body's words alone.
    weak: list[list[object]] = field(default_factory=list)
    hopeful: list[Hopeful] = field(default_factory=list)

    def add(self, named: bool, made: bool) -> None:
        self.voters += 1
        self.named += named
        self.issues += named or made

    def promotes(self) -> bool:
        """Most siblings name a problem or are issues: the page is a list of problems."""
        return self.voters >= MIN_VOTERS and self.issues * 2 > self.voters

    def demotes(self) -> bool:
        """Most siblings are neither named problems nor issues: a page of how-tos."""
        return self.voters >= MIN_VOTERS and self.issues * 2 < self.voters
