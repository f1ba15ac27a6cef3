"""Convert gitleaks' rule set into knownfix's provider secret rules (run by hand, not at run time).

    git clone https://github.com/gitleaks/gitleaks && cd gitleaks && git describe --tags
    python scripts/generate_provider_rules.py path/to/gitleaks/config/gitleaks.toml \\
        --version "$(git describe --tags)" --commit "$(git rev-parse HEAD)"

writes ``src/knownfix/core/secrets/provider_rules.py`` (commit it). gitleaks is MIT-licensed; its
licence notice is copied into the generated file. What the conversion does, and why:

* gitleaks writes Go regular expressions, which are RE2 syntax: each rule is compiled with
  google-re2 here, and a rule that does not compile stops the script (none does today).
* A secret ends where gitleaks' ``(?:[\\x60'"\\s;]|\\\\[nr]|$)`` says; in a log a token is as often
  followed by ``,`` ``.`` ``)`` ``]`` ``}`` ``>`` ``|`` or ``&`` (a query string), so those end
  it too (otherwise ``token npm_...,`` would leak).
* The secret is the rule's ``secretGroup``, else its first non-empty group (gitleaks' own rule).
  Where that first group is a repeated piece or a named marker rather than the secret (the
  Teams webhook's ``([a-z0-9]{4}-){3}``, the base64 JWT's header names), the whole match is the
  secret.
* Allow-lists: entries that test file paths are dropped (a log line has no path); an allow-list
  pattern that is itself a secret of its rule (published example keys) is dropped too, so this
  repository holds nothing a secret scanner flags; masking an example key costs nothing.
  gitleaks' global ``^true|false|null$`` is read as ``^(?:true|false|null)$``, which is what it
  means (as written it also allows any secret that merely contains "false").
* Some rules are left out, each with its reason in ``DROPPED`` of the generated file.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import re2

OUTPUT = Path(__file__).resolve().parent.parent / "src/knownfix/core/secrets/provider_rules.py"
GITLEAKS_SUFFIX = r"""(?:[\x60'"\s;]|\\[nr]|$)"""
LOG_SUFFIX = r"""(?:[\x60'"\s;,.)\]}>|&]|\\[nr]|$)"""
GLOBAL_BOOLEAN = r"(?i)^true|false|null$"
GLOBAL_BOOLEAN_MEANT = r"(?i)^(?:true|false|null)$"

DROP = {
    "pkcs12-file": "matches file names only; a log line has none",
    "kubernetes-secret-yaml": "spans several lines of a YAML file; knownfix redacts line by line "
    "(the key-value rules mask a manifest's secret values)",
    "generic-api-key": "replaced by knownfix's own keyword-and-entropy rule for key = value, "
    "measured on CI logs (docs/secrets.md)",
    "private-key": "knownfix's own private-key rule follows a key across lines",
    "jwt": "knownfix's own jwt rule also takes JWTs with short parts",
}

LICENCE_HEADER = "gitleaks licence (MIT), for the rules below:"


def _skip_class(pattern: str, i: int) -> int:
    """The index just past the character class that opens at ``pattern[i]`` ("[")."""
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _scan(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, character) of ``pattern`` outside escapes and character classes."""
    i = start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
        elif char == "[":
            i = _skip_class(pattern, i)
        else:
            yield i, char
            i += 1


def _first_group_is_the_secret(pattern: str) -> bool:
    """False when the first capturing group is repeated or named (a marker, not the secret)."""
    opening = None
    for i, char in _scan(pattern):
        if char == "(" and pattern.startswith("(?P<", i):
            return False
        if char == "(" and not pattern.startswith("(?", i):
            opening = i
            break
    if opening is None:
        return True  # no group: the whole match is the secret anyway
    depth = 0
    for i, char in _scan(pattern, opening):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ")" and depth == 0:
            return pattern[i + 1 : i + 2] not in {"{", "*", "+", "?"}
    raise SystemExit(f"unbalanced parentheses in {pattern!r}")


def _literal(text: str) -> str:
    """A Python literal for ``text``: a raw string where one can hold it, else repr()."""
    for quote in ('"', "'"):
        if quote not in text and not text.endswith("\\") and "\n" not in text:
            return f"r{quote}{text}{quote}"
    for quote in ('"""', "'''"):
        if quote not in text and not text.endswith(("\\", quote[0])) and "\n" not in text:
            return f"r{quote}{text}{quote}"
    return repr(text)


def _compile(pattern: str, where: str) -> Any:
    try:
        return re2.compile(pattern)
    except re2.error as error:
        raise SystemExit(f"{where}: does not compile under RE2: {error}") from None


def _allow(rule: dict[str, Any], compiled: Any, notes: list[str]) -> dict[str, list[str]]:
    allow: dict[str, list[str]] = {"secret": [], "match": [], "line": [], "stopwords": []}
    for entry in rule.get("allowlists", []):
        paths_must_match = entry.get("condition", "OR").upper() == "AND" or not entry.get("regexes")
        if entry.get("paths") and paths_must_match:
            continue  # a path must match too, and a log line has none
        target = entry.get("regexTarget", "secret")
        for pattern in entry.get("regexes", []):
            if compiled.search(pattern):
                notes.append(f"{rule['id']}: example key dropped from the allow-list")
                continue
            _compile(pattern, f"{rule['id']} allow-list")
            allow[target].append(pattern)
        allow["stopwords"].extend(entry.get("stopwords", []))
    return allow


def convert(config: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """The rules kept (as keyword arguments of ProviderRule), the global allow-list, notes."""
    rules: list[dict[str, Any]] = []
    notes: list[str] = []
    for rule in config["rules"]:
        name = rule["id"]
        if name in DROP:
            continue
        if "regex" not in rule:
            raise SystemExit(f"{name}: no regex and no reason to drop it; add it to DROP")
        pattern = rule["regex"].replace(GITLEAKS_SUFFIX, LOG_SUFFIX)
        compiled = _compile(pattern, name)
        keywords = sorted({k.lower() for k in rule.get("keywords", [])})
        if not keywords:
            raise SystemExit(f"{name}: no keywords; every rule needs one to be cheap")
        converted: dict[str, Any] = {
            "name": name,
            "regex": pattern,
            "keywords": tuple(keywords),
        }
        if rule.get("entropy"):
            converted["entropy"] = float(rule["entropy"])
        if rule.get("secretGroup"):
            converted["secret_group"] = int(rule["secretGroup"])
        elif compiled.groups and not _first_group_is_the_secret(pattern):
            converted["whole_match"] = True
        allow = _allow(rule, compiled, notes)
        for target, field in (("secret", "allow_secret"), ("match", "allow_match"),
                              ("line", "allow_line"), ("stopwords", "stopwords")):
            if allow[target]:
                converted[field] = tuple(allow[target])
        rules.append(converted)
    glob = config.get("allowlist", {})
    regexes = [GLOBAL_BOOLEAN_MEANT if r == GLOBAL_BOOLEAN else r for r in glob.get("regexes", [])]
    for pattern in regexes:
        _compile(pattern, "global allow-list")
    return rules, {"regexes": regexes, "stopwords": glob.get("stopwords", [])}, notes


def _tuple(values: Any) -> str:
    items = ", ".join(_literal(v) for v in values)
    return f"({items},)" if len(values) == 1 else f"({items})"


def render(rules: list[dict[str, Any]], glob: dict[str, Any], *, version: str, commit: str,
           licence: str, dropped: dict[str, str]) -> str:
    """The generated module's text."""
    lines = [
        "# ruff: noqa: E501",
        '"""Provider secret rules, converted from gitleaks\' ``config/gitleaks.toml``.',
        "",
        f"gitleaks {version} (commit {commit}), https://github.com/gitleaks/gitleaks.",
        "GENERATED by ``scripts/generate_provider_rules.py``: do not edit; change the script, or",
        "add an own rule in :mod:`knownfix.core.secrets.secret_rules` (docs/secrets.md says how).",
        "",
        LICENCE_HEADER,
        "",
        *["    " + line if line else "" for line in licence.strip().splitlines()],
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from knownfix.core.secrets.secret_rules import ProviderRule",
        "",
        f"GITLEAKS_VERSION = {version!r}",
        f"GITLEAKS_COMMIT = {commit!r}",
        "",
        "# gitleaks' global allow-list: a secret matching one of these is not masked.",
        "GLOBAL_ALLOW: tuple[str, ...] = (",
        *[f"    {_literal(r)}," for r in glob["regexes"]],
        ")",
        f"GLOBAL_STOPWORDS: tuple[str, ...] = {_tuple(glob['stopwords'])}",
        "",
        "DROPPED: dict[str, str] = {",
        *[f"    {name!r}: {reason!r}," for name, reason in sorted(dropped.items())],
        "}",
        "",
        "PROVIDER_RULES: tuple[ProviderRule, ...] = (",
    ]
    for rule in rules:
        lines.append("    ProviderRule(")
        for key, value in rule.items():
            if isinstance(value, tuple):
                text = _tuple(value)
            elif isinstance(value, str):
                text = _literal(value)
            else:
                text = repr(value)
            lines.append(f"        {key}={text},")
        lines.append("    ),")
    lines += [")", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("config", type=Path, help="gitleaks' config/gitleaks.toml")
    parser.add_argument("--version", required=True, help="gitleaks version (git describe)")
    parser.add_argument("--commit", required=True, help="gitleaks commit the file comes from")
    parser.add_argument("--licence", type=Path, help="gitleaks' LICENSE (default: beside config/)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    config = tomllib.loads(args.config.read_text(encoding="utf-8"))
    licence_path = args.licence or args.config.resolve().parent.parent / "LICENSE"
    licence = licence_path.read_text(encoding="utf-8")
    if "MIT License" not in licence:
        raise SystemExit(f"{licence_path}: not the MIT licence this conversion relies on")
    rules, glob, notes = convert(config)
    dropped = {name: reason for name, reason in DROP.items()
               if any(r["id"] == name for r in config["rules"])}
    args.output.write_text(
        render(rules, glob, version=args.version, commit=args.commit, licence=licence,
               dropped=dropped),
        encoding="utf-8",
    )
    for note in notes:
        print(note, file=sys.stderr)
    print(f"{len(rules)} rules kept, {len(dropped)} dropped -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
