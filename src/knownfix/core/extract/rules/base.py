"""Line rules as data: a name, a pattern, what the line means and how its block grows.

Rules are ordered; the first rule whose pattern finds a match in a cleaned line classifies it.
All rules compile into one RE2 set, which finds every matching rule in one linear pass over the
line; the lowest index wins. (Without RE2, one Python regex of ordered alternatives
``(?P<name>.*?pattern)`` does the same, more slowly.) Patterns must therefore be RE2 syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

try:  # google-re2 is a declared dependency; plain re keeps the core importable without it.
    import re2 as _re2
except ImportError:  # pragma: no cover - exercised only where re2 is missing
    _re2 = None

_UNKNOWN = object()
_REMEMBERED = 4096

Role = Literal[
    "error", "header", "summary", "noise", "closer", "benign", "step", "exit", "pass"
]
"""What a line says about the failure.

error    explains the failure (an exception, an assertion, a compiler error)
header   opens the details of a failure (a failing test's name, "* What went wrong:")
summary  says that something failed without saying why ("Tests run: 3, Failures: 1")
noise    boilerplate that never explains anything ("npm ERR! Tell the author ...")
closer   boilerplate that ends a failure's output ("npm ERR! code ELIFECYCLE", "make: *** [x]
         Error 1"): never the explanation, but the explanation is usually just above it
benign   uses failure words without reporting a failure ("0 errors", "SKIPPED"): ignored
step     a CI step boundary (travis_fold, ##[group], [Pipeline]); blocks never cross it
exit     a step's non-zero exit ("The command ... exited with 1."): the failure is above it
pass     reports success: the job succeeded, a summary with nothing failed ("4 passed in 1.8s")
"""

Up = Literal["none", "para", "header", "chain"]
"""How a block grows upwards from its first line.

none    not at all
para    over the lines just above that belong to the same message (indented less, no blank)
header  like para, and further up to the failure header the line belongs to (a test name)
chain   over the blank lines just above, onto the block before ("During handling of the above
        exception" joins a chained traceback to its cause)
"""

Down = Literal["none", "cont", "traceback", "para", "section"]
"""How a block grows downwards from its last line.

none     not at all
cont     over continuation lines: stack frames, carets, source snippets, deeper indentation
traceback  like cont, then over the exception line that ends the frames and its message
para     over every line up to the next blank line
section  over blank lines too, up to the next failure header, banner or step
"""


@dataclass(frozen=True, slots=True)
class LineRule:
    """One named line pattern with its role, weight and block growth."""

    name: str
    pattern: str
    role: Role
    weight: float = 0.0
    up: Up = "para"
    down: Down = "cont"
    flags: int = 0


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Ordered rules compiled once into a single first-match-wins regex."""

    rules: tuple[LineRule, ...]
    # The one-regex fallback, compiled only where RE2 is missing (hundreds of patterns cost
    # Python's re a third of a second, at every start of the CLI).
    regex: re.Pattern[str] | None
    by_group: dict[str, LineRule]
    matcher: Any = None
    seen: dict[str, LineRule | None] = field(default_factory=dict)

    @classmethod
    def compile(cls, rules: tuple[LineRule, ...]) -> RuleSet:
        names = [rule.name for rule in rules]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule names: {duplicates}")
        named = [rule.name for rule in rules if "(?P<" in rule.pattern]
        if named:
            raise ValueError(f"rules must not use named groups: {named}")
        regex, by_group = _fallback(rules) if _re2 is None else (None, {})
        matcher = None
        if _re2 is not None:
            options = _re2.Options()
            options.max_mem = 64 << 20
            matcher = _re2.Set.SearchSet(options)
            for rule in rules:
                flags = "(?i)" if rule.flags & re.IGNORECASE else ""
                matcher.Add(flags + rule.pattern)
            matcher.Compile()
        return cls(rules=rules, regex=regex, by_group=by_group, matcher=matcher)

    def classify(self, clean: str) -> LineRule | None:
        """The first rule that matches ``clean`` (a cleaned line), or None.

        Logs repeat lines a lot; the answers for recent lines are remembered (bounded).
        """
        known = self.seen.get(clean, _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        if len(self.seen) >= _REMEMBERED:
            self.seen.clear()
        rule = self._classify(clean)
        if rule is not None and rule.role == "error" and "'" in clean:
            rule = self._outside_quotes(clean, rule)
        self.seen[clean] = rule
        return rule

    def _outside_quotes(self, clean: str, rule: LineRule) -> LineRule | None:
        """The rule for ``clean`` when failure words only inside quoted literals do not count.

        A configuration dump or an echoed call quotes the very phrases a harness looks for
        (``kwargs: {'error_list': [{'substr': 'command not found', …}]}``, an argv list): those
        words describe what to look for, not what happened. Only a line of several
        single-quoted literals (Python's repr of a dict, a list, an argv) is such a dump: there,
        when the rule no longer matches with every literal blanked, the line gets the rule that
        does (a weaker one, or none). A message that quotes one thing keeps its rule, even when
        the failure words are inside the quotes: Docker's ``caused "exec: … not found"`` and
        Lua's ``in function 'error'`` say what happened; so does a JSON event, whose
        double-quoted values are the failure a structured log reports
        (``{"status": "FAIL", "expected": "PASS", …}``).
        """
        literals = _QUOTED.findall(clean)
        if len(literals) < MIN_DUMP_LITERALS:
            return rule
        return self._classify(_QUOTED.sub(_blank, clean))

    def _classify(self, clean: str) -> LineRule | None:
        if self.matcher is not None:
            found = self.matcher.Match(clean)
            return self.rules[min(found)] if found else None
        if self.regex is None:
            regex, by_group = _fallback(self.rules)
            object.__setattr__(self, "regex", regex)
            object.__setattr__(self, "by_group", by_group)
        assert self.regex is not None
        match = self.regex.match(clean)
        if match is None or match.lastgroup is None:
            return None
        return self.by_group[match.lastgroup]


MIN_DUMP_LITERALS = 3
"""Single-quoted literals on a line from which on it reads as a data dump, not a message."""
# A quoted literal: opened after a non-word character, closed before one (so the apostrophe of
# "can't" opens nothing), on one line.
_QUOTED = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)")


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    return text[0] + " " * (len(text) - 2) + text[-1]


def _fallback(rules: tuple[LineRule, ...]) -> tuple[re.Pattern[str], dict[str, LineRule]]:
    """All rules as one first-match-wins regex of named groups (when RE2 is missing)."""
    parts = []
    by_group = {}
    for index, rule in enumerate(rules):
        group = f"r{index}"
        inline = _inline_flags(rule.flags)
        # A pattern that starts with ^ must match at the line start: ".*?" then matches
        # nothing, because ^ only holds at position 0.
        parts.append(f"(?P<{group}>.*?{inline}{rule.pattern}))")
        by_group[group] = rule
    return re.compile("|".join(parts)), by_group


def _inline_flags(flags: int) -> str:
    letters = ""
    if flags & re.IGNORECASE:
        letters += "i"
    return f"(?{letters}:" if letters else "(?:"
