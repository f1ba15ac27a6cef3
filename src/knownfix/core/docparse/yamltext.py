"""YAML read safely: front matter and signature blocks, with problems as data, never exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from knownfix.core.records import SignatureRules
from knownfix.core.text.regexsafe import check_regex
from knownfix.core.text.yamlsafe import AliasError, safe_load


@dataclass
class YamlResult:
    """A parsed mapping (empty on failure) and the problems met, each with a 1-based line."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)


def load_mapping(text: str, first_line: int, what: str) -> YamlResult:
    """Parse ``text`` (which starts at ``first_line``) as a YAML mapping."""
    result = YamlResult()
    if not text.strip():
        return result
    try:
        data = safe_load(text)
    except AliasError as error:
        result.problems.append((first_line + error.line - 1, f"{what}: {error}"))
        return result
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        problem = getattr(error, "problem", None) or str(error).split("\n")[0]
        result.problems.append((line, f"{what} is not valid YAML: {problem}"))
        return result
    except (ValueError, TypeError, RecursionError) as error:  # e.g. out-of-range dates
        result.problems.append((first_line, f"{what} could not be read: {error}"))
        return result
    if data is None:
        return result
    if not isinstance(data, dict):
        result.problems.append((first_line, f"{what} must be a YAML mapping (key: value lines)"))
        return result
    result.data = {str(key): value for key, value in data.items()}
    return result


def as_text(value: Any) -> str:
    """A YAML scalar (or anything else) as the text a record field stores."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()


def as_list(value: Any, *, commas: bool = False) -> list[str]:
    """A YAML list (or one scalar; with ``commas``, a comma-separated string) as strings."""
    if value is None:
        return []
    if isinstance(value, list):
        return [as_text(v) for v in value if v is not None]
    if isinstance(value, str) and commas:
        return [part.strip() for part in value.split(",") if part.strip()]
    return [as_text(value)]


def parse_signature(text: str, line: int) -> tuple[SignatureRules, list[tuple[int, str]]]:
    """A ``signature`` block (``contains: [...]``, ``regex: [...]``); unsafe regexes are dropped
    and reported, so that a hostile pattern never reaches the matcher."""
    loaded = load_mapping(text, line + 1, "signature block")
    problems = list(loaded.problems)
    rules = SignatureRules()
    for key in loaded.data:
        if key not in {"contains", "regex"}:
            problems.append((line, f"signature key {key!r} is not known (use contains, regex)"))
    rules.contains = [c for c in as_list(loaded.data.get("contains")) if c]
    for pattern in as_list(loaded.data.get("regex")):
        message = check_regex(pattern)
        if message is None:
            rules.regex.append(pattern)
        else:
            problems.append((line, f"signature regex {pattern[:60]!r} rejected: {message}"))
    return rules, problems
