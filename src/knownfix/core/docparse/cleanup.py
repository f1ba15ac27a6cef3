"""Text repair applied while importing: mojibake, emoji status markers, stray decoration.

Teams' docs are often UTF-8 that was once read as cp1252 and saved again (``âœ…`` for ✅,
``â€“`` for –). ftfy undoes that; we run it with every *cosmetic* fix switched off (quotes, widths,
ligatures, line breaks) so that commands and error strings stay byte-for-byte what the author wrote.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Only encoding repair: anything that "prettifies" would alter literal error strings and commands.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    restore_byte_a0=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# cp1252 has no character for byte 0x8F, so the "⏳ ⏸ ⏺" family (E2 8F xx) loses that byte when
# mis-decoded: "⏳" (E2 8F B3) arrives as "â³". ftfy cannot see it as mojibake; we put the byte
# back when "â" is followed by one continuation byte of that family and nothing else that could
# continue the sequence.
_CP1252_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122"
)
_LOST_8F = re.compile(f"\u00e2([\u00a9-\u00ba])(?![{_CP1252_CONTINUATION}])")

# Marks that decorate words rather than carry meaning: emoji, dingbats, variation selectors, ZWJ.
_DECORATION_CATEGORIES = frozenset({"So"})
_INVISIBLE = frozenset({"\ufe0f", "\ufe0e", "\u200d", "\u20e3"})
_SPACES = re.compile(r"\s+")
_ALL_CAPS = re.compile(r"^[A-Z][A-Z ]+$")


def _restore_lost_8f(match: re.Match[str]) -> str:
    return chr(0x23C0 + (ord(match.group(1)) - 0x80))


def fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage; leaves correct text (and its quotes, widths) untouched."""
    if text.isascii():
        return text
    return ftfy.fix_text(_LOST_8F.sub(_restore_lost_8f, text), _FTFY)


def is_decoration(char: str) -> bool:
    """True for emoji, dingbats and joiners: the marks that decorate headings and status cells."""
    return char in _INVISIBLE or unicodedata.category(char) in _DECORATION_CATEGORIES


def strip_decoration(text: str) -> str:
    """Drop leading and trailing emoji/dingbats (with their spacing); inner text is kept."""
    start, end = 0, len(text)
    while start < end and (is_decoration(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (is_decoration(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return text[start:end]


def clean_word_value(text: str) -> str:
    """A status-like value as a clean word: "✅ **FIXED**" → "Fixed", "⏳ Pending" → "Pending"."""
    kept = "".join(" " if is_decoration(ch) else ch for ch in text)
    value = _SPACES.sub(" ", kept.replace("*", " ").replace("`", " ")).strip(" -:")
    if _ALL_CAPS.match(value):
        value = value.title()
    return value


def collapse_spaces(text: str) -> str:
    """One space between words, none at the ends (for titles and table cells)."""
    return _SPACES.sub(" ", text).strip()
