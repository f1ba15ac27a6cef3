"""What a section's heading is, told by its form alone: a message the tool prints, a command the
section types, quoted text, a question about a capability or a design choice.

Split from ``compose`` (which decides what a whole section says) because these look only at the
heading's own text and the section's code blocks.
"""

from __future__ import annotations

import re

from knownfix.core.docparse.blocks import Block, Fence
from knownfix.core.docparse.content import fence_text
from knownfix.core.docparse.meaning.cues import has_special, problem_strength
from knownfix.core.docparse.meaning.reading import Reading

_CAPABILITY = re.compile(r"^(?:does|do|can|could|will|would|is|are|should)\s+(?:it|i|we|you|there"
                         r"|this|that|\w+ (?:support|work|run))\b", re.IGNORECASE)
# "Why doesn't rclone support partial transfers?" asks about a design choice, not a failure.
_DESIGN_QUESTION = re.compile(
    r"^why (?:doesn't|does not|don't|do not|can't|cannot|won't|will not|isn't|is not|aren't"
    r"|are not) [\w.-]+(?: [\w.-]+){0,2} (?:support|offer|provide|have|allow|implement)\b"
    # … or in the passive: "Why isn't my preferred shell supported?"
    r"|^why (?:isn't|is not|aren't|are not) (?:[\w.'-]+ ){1,4}(?:supported|offered|provided"
    r"|implemented|allowed)\??$",
    re.IGNORECASE)
_PROMPT_LEAD = re.compile(r"^\s*(?:\$|>|%|PS [^>]{0,80}>)\s+")
_QUOTES = re.compile(r"\"[^\"\n]+\"|`[^`\n]+`|“[^”\n]+”")


def reads_as_message(text: str) -> bool:
    """Whether text reads as something a tool prints (failure words, "x: y", odd characters)."""
    return problem_strength(text) >= 1.0 or ": " in text or has_special(text)


def typed_below(title: str, blocks: list[Block]) -> bool:
    """Whether a code block of the section types the heading's text as a command, with
    arguments after it (``mise oci build [-o PATH] …``, ``$ mise oci run app``)."""
    text = " ".join(title.strip("`\"' ").split())
    if not text:
        return False
    for block in blocks:
        if isinstance(block, Fence):
            for line in fence_text(block).split("\n"):
                typed = " ".join(_PROMPT_LEAD.sub("", line).split())
                if typed.startswith(text + " ") and typed != text:
                    return True
    return False


def only_quotes(title: str) -> bool:
    """A title that is quoted text joined by "or"/"and" and punctuation, nothing else."""
    rest = _QUOTES.sub(" ", title)
    return rest != title and not (set(re.findall(r"[a-z]+", rest.casefold())) - {"or", "and"})


def capability(title: str) -> bool:
    """A yes/no question about what a tool can do ("Does it work on Windows?")."""
    return bool(_CAPABILITY.match(title.strip()))


def is_printed(title: str, reading: Reading) -> bool:
    """Whether a heading is text the failure prints (it quotes it, or calls it a message)."""
    folded = " ".join(title.casefold().split())
    return reading.names_message or any(
        folded in " ".join(literal.casefold().split()) for literal in reading.literals
    )


def design_question(title: str) -> bool:
    """A question about why a tool lacks a feature, not about a failure."""
    # The question may follow a statement ("The docs say Starship is cross-shell. Why isn't
    # my preferred shell supported?"): it is the last sentence that asks.
    last = re.split(r"(?<=[.!])\s+", title.strip())[-1]
    return bool(_DESIGN_QUESTION.match(last))
