"""Messages with their variable parts masked: the error text a heading or a symptom quotes,
matched on one log line whatever value the log prints in each slot.

A document quotes a message with *its* values in it (``Error: Cannot find module
'babel-traverse'``, ``Operation ... timed out after 10000 ms``, ``Cannot find package 'X'``,
``'No module named XYZ'`` in a heading); the log prints the same message with the user's values
(``Cannot find module 'debug'``, ``Operation `customers.find()` buffering timed out after
10000ms``). Term overlap sees a few common words (*missing*, *module*) and the literal is never
found as written, so the entry whose heading *is* that message scored like any page that says
"module". Here each slot (a quoted value, a placeholder such as ``X``, ``XYZ``, ``...``,
``<name>``, a number) matches any value, and the words around it must be printed in order on
one line: the message as written, modulo what varies.

What it proves is the constant words only (``LexicalIndex`` counts their rarity): "cannot find
module" on many pages is one message of many tools, and ``AttributeError: 'NoneType' object has
no attribute 'send'`` is not ``'dict' object has no attribute 'id'``: the values are the failure.
So a message is looked for through its slots only on the pages of the tool the log names
(``LexicalIndex.evidence``), where it is that tool's entry for the message, and a message as
written elsewhere never counts as echoed whole because of it (``layered.corroborated``).

A template needs at least one slot (without one the literal is found as written, or not)
and ``MIN_CONSTANT_TERMS`` terms outside the slots (log boilerplate such as *module* included:
it is part of the message, and weighs little in what it proves): one word and a slot
(``Error X``) is never a message.
"""

from __future__ import annotations

import functools
import re

from knownfix.core.match.tokens import tokenize

MIN_CONSTANT_TERMS = 2
TEMPLATES_KEPT = 50_000
# Quoted spans inside a heading or symptom: the message the author quotes
# ("macOS: 'No module named XYZ' errors after …").
_QUOTED_SEGMENT = re.compile(
    r"'([^'\n]{6,200})'|\"([^\"\n]{6,200})\"|`([^`\n]{6,200})`|“([^”\n]{6,200})”")
# Slots, found in the text as the author wrote it (capitals tell a placeholder from a word).
_SLOT = re.compile(
    r"(?P<quoted>'[^'\n]{1,200}'|\"[^\"\n]{1,200}\"|`[^`\n]{1,200}`)"
    r"|(?P<gap>\.\.\.|…|<[^<>\n]{1,60}>|\{[^{}\n]{1,60}\}|\[[A-Z_]{2,30}\])"
    r"|(?P<word>(?<![\w.-])(?:X{1,4}|XYZ|N{1,4}|[B-HJ-Z])(?![\w.-]))"
    r"|(?P<number>(?<![\w.])\d+(?:\.\d+)*(?![\w.]))"
    # An aside in parentheses ("document (or window) is not defined"): the log prints one
    # of the alternatives, or the message without it.
    r"|(?P<aside>\((?![\w-]*\))[^()\n]{1,60}\))"
)
# What a slot matches in a folded log line (one line: never a newline).
_SLOT_PATTERN = {
    # One quoted value (never from one quote to a later one: the text between two values is
    # the message), or the value unquoted.
    "quoted": r"(?:'[^'\n]{1,200}'|\"[^\"\n]{1,200}\"|`[^`\n]{1,200}`|‘[^’\n]{1,200}’"
              r"|“[^”\n]{1,200}”|[^\s'\"`]{1,200})",
    "gap": r"[^\n]{1,200}?",
    "word": r"[^\s]{1,200}",
    "number": r"\d+(?:\.\d+)*",
    "aside": r"(?:\([^()\n]{0,60}\))?",
}
_QUOTES = ("``", "''", '""', "“”")


def _trimmed(segment: str) -> str:
    """Without the punctuation around it, and without quotes only when they enclose it all
    (``Cannot find module './x'`` keeps its slot's closing quote)."""
    segment = segment.strip().rstrip(".,;:!?").strip()
    while len(segment) > 2 and segment[0] + segment[-1] in _QUOTES:
        segment = segment[1:-1].strip()
    return segment


@functools.lru_cache(maxsize=TEMPLATES_KEPT)
def templates(text: str) -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    """Each message of ``text`` with slots, as (pattern over a folded line, constant text,
    constant terms): the whole text and each span it quotes of several words."""
    segments = [text]
    for m in _QUOTED_SEGMENT.finditer(text):
        inner = next(g for g in m.groups() if g)
        if " " in inner.strip():
            segments.append(inner)
    found = []
    seen = set()
    for segment in segments:
        made = _template(_trimmed(segment))
        if made is not None and made[1] not in seen:
            seen.add(made[1])
            found.append(made)
    return tuple(found)


def _template(segment: str) -> tuple[re.Pattern[str], str, tuple[str, ...]] | None:
    parts: list[str] = []
    constant: list[str] = []
    slots = 0
    at = 0
    for m in _SLOT.finditer(segment):
        parts.append(_constant(segment[at:m.start()], glued=bool(slots)))
        constant.append(segment[at:m.start()])
        parts.append(_SLOT_PATTERN[m.lastgroup or "gap"])
        slots += 1
        at = m.end()
    if not slots:
        return None
    parts.append(_constant(segment[at:], glued=True))
    constant.append(segment[at:])
    words = " ".join(" ".join(constant).split())
    terms = tuple(dict.fromkeys(tokenize(words)))
    if len(terms) < MIN_CONSTANT_TERMS:
        return None
    return re.compile("".join(parts)), words.casefold(), terms


def _constant(text: str, *, glued: bool) -> str:
    """Words printed as written (case and spacing folded as ``fold_literal`` folds a log
    line); spaces next to a slot are optional (``10000 ms`` / ``10000ms``)."""
    folded = text.casefold().replace("\\", "/")
    words = folded.split()
    if not words:
        return r"[ \t]*"
    body = r"[ \t]+".join(re.escape(w) for w in words)
    before = r"[ \t]*" if folded[:1].isspace() or not glued else ""
    after = r"[ \t]*" if folded[-1:].isspace() else ""
    return before + body + after


def find(text: str, folded_text: str) -> tuple[int, str, tuple[str, ...]] | None:
    """The first folded line (0-based index) that prints a message of ``text`` with any values
    in its slots, with the message's constant text and terms; None when no line does."""
    for pattern, constant, terms in templates(text):
        m = pattern.search(folded_text)
        if m is not None:
            return folded_text.count("\n", 0, m.start()), constant, terms
    return None
