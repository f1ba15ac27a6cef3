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

The two are not symmetric. Promotion asks for positive evidence (most siblings are problems);
demotion must too: a sibling that is no issue is not thereby a how-to, it may be a problem the
reader could not complete (a hopeful section, or one whose text opens on a failure without a
fix it recognised). Counted as how-tos, such siblings would turn one miss into several on a
page of problems written plainly, the documents read worst already. So only siblings that show
no trouble at all count against the page being a list of problems.

Only leaf sections vote and only three or more of them decide anything, so a page's one
section, or a pair, keeps what it says itself. A vote is a few booleans and references to
drafts already found: streaming stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from knownfix.core.docparse.assemble import Draft

if TYPE_CHECKING:
    from knownfix.core.docparse.meaning.titles import TitleReading
    from knownfix.core.docparse.open_sections import OpenSection

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
    troubled: int = 0  # leaves that are no issue but show trouble (``SectionReading.troubled``)
    voters: int = 0
    # Per section, the Found items that rest on its body's words alone.
    weak: list[list[Any]] = field(default_factory=list)
    hopeful: list[Hopeful] = field(default_factory=list)

    def add(self, named: bool, made: bool, troubled: bool = False) -> None:
        self.voters += 1
        self.named += named
        self.issues += named or made
        self.troubled += troubled and not (named or made)

    def promotes(self) -> bool:
        """Most siblings name a problem or are issues: the page is a list of problems."""
        return self.voters >= MIN_VOTERS and self.issues * 2 > self.voters

    def demotes(self) -> bool:
        """Most siblings show no trouble at all (neither a named problem, nor an issue, nor a
        problem left incomplete): a page of how-tos."""
        return self.voters >= MIN_VOTERS and (self.issues + self.troubled) * 2 < self.voters


def cast(entry: OpenSection, parent: Any, made: bool, *, handed_up: bool) -> None:
    """A leaf section's say in its parent's vote: whether its heading names a problem, whether
    it became an issue, and the drafts the vote may move. Sections with sub-sections (a
    category) and headings under a field heading do not vote."""
    if type(parent) is not type(entry) or entry.children or entry.in_field:
        return
    votes = parent.votes
    votes.add(bool(entry.title_named), made, entry.troubled)
    if made and entry.weak:
        votes.weak.append(entry.weak)
    if not made and not handed_up and entry.hopeful is not None:
        votes.hopeful.append(entry.hopeful)


def settle(entry: OpenSection, found: list[Any], title: TitleReading
           ) -> tuple[list[Any], list[Hopeful], list[Any]]:
    """Apply the vote of ``entry``'s sub-sections once they are all decided: the found drafts
    without the demoted ones, the hopefuls promoted, and the demoted drafts (to report)."""
    votes, entry.votes = entry.votes, Votes()
    # Sections under "How to debug problems" are how-tos, whatever their siblings are.
    if votes.promotes() and not title.howto:
        entry.issue_children += len(votes.hopeful)
        return found, votes.hopeful, []
    demoted: list[Any] = []
    if votes.demotes():
        for section in votes.weak:
            gone = [w for w in section if any(f is w for f in found)]
            if gone:
                found = [f for f in found if all(f is not w for w in gone)]
                # The section counted once among the issue children, however many it gave.
                entry.issue_children -= len(gone) == len(section)
                demoted += gone
    return found, [], demoted
