"""A fenced shell block → the copy-pastable commands in it, one item per command.

Blank lines and ``#`` comment lines between commands are dropped; a command that goes on over
several lines (an open quote as in ``python -c "…"``, a trailing backslash, ``&&``/``|`` at the
end, a here-document) stays one item, its inner lines kept as written. Code in other languages
(Python, YAML …) is one item: it is meant to be read or pasted whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SHELL_LANGUAGES = frozenset(
    {"", "bash", "sh", "shell", "zsh", "ksh", "fish", "console", "shell-session", "shellsession",
     "sh-session", "terminal", "powershell", "ps1", "pwsh", "cmd", "bat", "batch"}
)
_PROMPT = re.compile(r"^(?:\$|PS [^>]*>)\s")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<word>[A-Za-z_][A-Za-z0-9_]*)\1")
_CONTINUES = ("\\", "&&", "||", "|")


def language(info: str) -> str:
    """The language word of a fence's info string, lower case ("" when none)."""
    words = info.split()
    return words[0].lower() if words else ""


def split_commands(code: str, info: str = "") -> list[str]:
    """The commands of one fenced block (see the module docstring)."""
    if not code.strip():
        return []
    if language(info) not in SHELL_LANGUAGES:
        return [code.strip("\n")]
    lines = code.split("\n")
    if any(_PROMPT.match(line.strip()) for line in lines):
        return _prompted(lines)
    return _shell(lines)


@dataclass
class _Scanner:
    """Shell quoting state carried from one line to the next."""

    quote: str = ""
    heredoc: str = ""

    def feed(self, line: str) -> None:
        if self.heredoc:
            if line.strip() == self.heredoc:
                self.heredoc = ""
            return
        i = 0
        while i < len(line):
            char = line[i]
            if self.quote == "'":
                if char == "'":
                    self.quote = ""
            elif self.quote == '"':
                if char == "\\":
                    i += 1
                elif char == '"':
                    self.quote = ""
            elif char == "\\":
                i += 1
            elif char in "'\"":
                self.quote = char
            elif char == "#" and (i == 0 or line[i - 1].isspace()):
                return  # the rest is a comment: its quotes do not count
            elif char == "<" and line.startswith("<<", i) and not line.startswith("<<<", i):
                found = _HEREDOC.match(line, i)
                if found:
                    self.heredoc = found.group("word")
                    i = found.end() - 1
            i += 1

    def open(self, line: str) -> bool:
        """True when the command goes on after ``line``."""
        return bool(self.quote or self.heredoc) or line.rstrip().endswith(_CONTINUES)


def _shell(lines: list[str]) -> list[str]:
    commands: list[str] = []
    buffer: list[str] = []
    scanner = _Scanner()
    for raw in lines:
        line = raw.rstrip()
        if not buffer:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            line = stripped
        buffer.append(line)
        scanner.feed(line)
        if not scanner.open(line):
            commands.append("\n".join(buffer))
            buffer = []
    if buffer:
        commands.append("\n".join(buffer).rstrip())
    return commands


def _prompted(lines: list[str]) -> list[str]:
    """A console transcript: only prompted lines (and their continuations) are commands."""
    commands: list[str] = []
    buffer: list[str] = []
    scanner = _Scanner()
    for raw in lines:
        line = raw.rstrip()
        if not buffer:
            prompt = _PROMPT.match(line.strip())
            if prompt is None:
                continue  # output of the previous command
            line = line.strip()[prompt.end():].strip()
            if not line or line.startswith("#"):
                continue
        elif line.lstrip().startswith("> "):
            line = line.lstrip()[2:]
        buffer.append(line)
        scanner.feed(line)
        if not scanner.open(line):
            commands.append("\n".join(buffer))
            buffer = []
    if buffer:
        commands.append("\n".join(buffer).rstrip())
    return commands
