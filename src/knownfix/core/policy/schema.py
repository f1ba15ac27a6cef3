"""Read and write policy documents (YAML, schema ``version: 1``), with origin:line errors.

The YAML is composed into nodes, not loaded into plain objects, so that every problem can name
the line it is on; unknown keys are errors (a typo must not silently disable a matcher) and so
are duplicate keys, which plain YAML loading would silently overwrite.

    version: 1
    name: my-team
    default: {category: unknown, severity: medium}
    rules:
      - name: disk-full
        when: {any_regex: ['No space left on device']}
        then: {category: disk, severity: high, response_time: 1 hour, escalation: Platform}
"""

from __future__ import annotations

from typing import Any

import yaml

from knownfix.core.policy.patterns import InvalidPattern, compile_pattern, literal_pattern
from knownfix.core.policy.rules import (
    DEFAULT_DECISION,
    TEXT_MATCHERS,
    Conditions,
    HintCondition,
    Policy,
    Rule,
)
from knownfix.core.policy.values import normalize_severity
from knownfix.core.records import TriageDecision
from knownfix.core.text.yamlsafe import AliasError
from knownfix.core.text.yamlsafe import compose as compose_without_aliases
from knownfix.errors import PolicyError

SCHEMA_VERSION = 1
MAX_POLICY_CHARS = 1_000_000
MAX_RULES = 2000

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_TOP_KEYS = {"version", "name", "description", "default", "rules"}
_RULE_KEYS = {"name", "description", "when", "then"}
_THEN_KEYS = {"category", "severity", "response_time", "escalation"}
_LIST_MATCHERS = TEXT_MATCHERS
_WHEN_KEYS = {*_LIST_MATCHERS, "hint", "case_sensitive", "outside_test_reports", "earliest_wins",
              "summary", "cause"}


class _Reader:
    """Turns YAML nodes into values, raising PolicyError with ``origin:line`` on any problem."""

    def __init__(self, origin: str, *, check_patterns: bool = True) -> None:
        self.origin = origin
        self.check_patterns = check_patterns

    def fail(self, node: yaml.Node | None, message: str) -> PolicyError:
        line = node.start_mark.line + 1 if node is not None else 1
        return PolicyError(f"{self.origin}:{line}: {message}")

    def mapping(self, node: yaml.Node, what: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value)")
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"{what}: keys must be plain words")
            key = str(key_node.value)
            if key in result:
                raise self.fail(key_node, f"{what}: duplicate key {key!r}")
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                raise self.fail(key_node, f"{what}: unknown key {key!r} (expected one of {known})")
            result[key] = value_node
        return result

    def text(self, node: yaml.Node, what: str, *, optional: bool = False) -> str | None:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _NULL and optional:
                return None
            value = str(node.value).strip()
            if value and node.tag != _NULL:
                return value
        if optional and isinstance(node, yaml.ScalarNode):
            return None
        raise self.fail(node, f"{what} must be a non-empty text")

    def texts(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        """A text or a list of texts (each with its node, for line numbers)."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: list[tuple[str, yaml.Node]] = []
        for item in items:
            if not isinstance(item, yaml.ScalarNode) or item.tag == _NULL or item.value == "":
                raise self.fail(item, f"{what} must be a text or a list of texts")
            result.append((str(item.value), item))
        return result

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return str(node.value).lower() in {"true", "yes", "on", "y"}
        raise self.fail(node, f"{what} must be true or false")


def _compose(text: str, origin: str) -> yaml.Node | None:
    if len(text) > MAX_POLICY_CHARS:
        raise PolicyError(
            f"{origin}:1: policy is {len(text)} characters; the limit is {MAX_POLICY_CHARS}"
        )
    try:
        return compose_without_aliases(text)
    except AliasError as error:
        raise PolicyError(f"{origin}:{error.line}: {error}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = error.problem or error.context or "invalid YAML"
        raise PolicyError(f"{origin}:{line}: invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise PolicyError(f"{origin}:1: invalid YAML: {error}") from None
    except RecursionError:  # "[[[[…" thousands deep: PyYAML's composer recurses per level
        raise PolicyError(f"{origin}:1: invalid YAML: nested too deeply") from None


def load_policy(text: str, *, origin: str = "<policy>", check_patterns: bool = True) -> Policy:
    """Parse and validate a policy document; any problem raises PolicyError with origin:line.

    Every pattern is compiled once here to check it, unless ``check_patterns`` is False: the
    shipped default policy, whose patterns a test checks, then compiles only what decisions read.
    """
    root = _compose(text, origin)
    reader = _Reader(origin, check_patterns=check_patterns)
    if root is None:
        raise PolicyError(f"{origin}:1: the policy is empty (expected 'version: 1' and 'rules')")
    top = reader.mapping(root, "policy", _TOP_KEYS)
    if "version" not in top:
        raise reader.fail(root, f"missing 'version' (this knownfix reads version {SCHEMA_VERSION})")
    version_node = top["version"]
    if version_node.value != str(SCHEMA_VERSION) or not isinstance(version_node, yaml.ScalarNode):
        raise reader.fail(
            version_node,
            f"unsupported policy schema version {version_node.value!r} "
            f"(this knownfix reads version {SCHEMA_VERSION})",
        )
    name = reader.text(top["name"], "name") if "name" in top else "policy"
    description = reader.text(top["description"], "description", optional=True) if (
        "description" in top) else None
    default = DEFAULT_DECISION
    if "default" in top:
        default = _decision(reader, top["default"], "default", DEFAULT_DECISION.severity)
    rules_node = top.get("rules")
    if rules_node is None or (isinstance(rules_node, yaml.ScalarNode) and rules_node.tag == _NULL):
        rule_nodes: list[yaml.Node] = []
    elif isinstance(rules_node, yaml.SequenceNode):
        rule_nodes = list(rules_node.value)
    else:
        raise reader.fail(rules_node, "rules must be a list of rules")
    if len(rule_nodes) > MAX_RULES:
        raise reader.fail(rules_node, f"{len(rule_nodes)} rules; the limit is {MAX_RULES}")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(rule_nodes, start=1):
        rule = _rule(reader, node, index, default.severity)
        if rule.name in seen:
            raise reader.fail(
                node, f"rule {rule.name!r} is defined twice (first on line {seen[rule.name]})"
            )
        seen[rule.name] = rule.line or 0
        rules.append(rule)
    return Policy(
        name=name or "policy", version=SCHEMA_VERSION, rules=tuple(rules), default=default,
        description=description or "",
    )


def _decision(
    reader: _Reader, node: yaml.Node, what: str, fallback_severity: str
) -> TriageDecision:
    fields = reader.mapping(node, what, _THEN_KEYS)
    if "category" not in fields:
        raise reader.fail(node, f"{what}: missing 'category'")
    category = reader.text(fields["category"], f"{what}: category") or ""
    severity = fallback_severity
    if "severity" in fields:
        severity = reader.text(fields["severity"], f"{what}: severity") or fallback_severity
        if normalize_severity(severity) is None:
            raise reader.fail(
                fields["severity"],
                f"{what}: unknown severity {severity!r} "
                "(use critical, high, medium, low, warning or info)",
            )
    response = reader.text(fields["response_time"], f"{what}: response_time", optional=True) if (
        "response_time" in fields) else None
    escalation = reader.text(fields["escalation"], f"{what}: escalation", optional=True) if (
        "escalation" in fields) else None
    return TriageDecision(category, severity, response, escalation)


def _rule(reader: _Reader, node: yaml.Node, index: int, fallback_severity: str) -> Rule:
    fields = reader.mapping(node, f"rule #{index}", _RULE_KEYS)
    if "name" not in fields:
        raise reader.fail(node, f"rule #{index}: missing 'name'")
    name = reader.text(fields["name"], f"rule #{index}: name") or ""
    what = f"rule {name!r}"
    if "then" not in fields:
        raise reader.fail(node, f"{what}: missing 'then' (the decision)")
    when = _conditions(reader, fields["when"], what) if "when" in fields else Conditions()
    then = _decision(reader, fields["then"], f"{what}: then", fallback_severity)
    description = reader.text(fields["description"], f"{what}: description", optional=True) if (
        "description" in fields) else None
    line = node.start_mark.line + 1
    try:
        # Each pattern was checked above (naming its own line), or is trusted.
        return Rule(name, when, then, description or "", line=line, check_patterns=False)
    except PolicyError as error:  # a limit only the whole rule can break: blame the rule's line
        raise reader.fail(node, str(error)) from None


def _conditions(reader: _Reader, node: yaml.Node, what: str) -> Conditions:
    if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        return Conditions()
    fields = reader.mapping(node, f"{what}: when", _WHEN_KEYS)
    case_sensitive = False
    if "case_sensitive" in fields:
        case_sensitive = reader.flag(fields["case_sensitive"], f"{what}: case_sensitive")
    outside = False
    if "outside_test_reports" in fields:
        outside = reader.flag(fields["outside_test_reports"], f"{what}: outside_test_reports")
    earliest = False
    if "earliest_wins" in fields:
        earliest = reader.flag(fields["earliest_wins"], f"{what}: earliest_wins")
    summary = "summary" in fields and reader.flag(fields["summary"], f"{what}: summary")
    cause = "cause" in fields and reader.flag(fields["cause"], f"{what}: cause")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_MATCHERS:
        if key not in fields:
            continue
        values = reader.texts(fields[key], f"{what}: {key}")
        for value, value_node in values:
            pattern = literal_pattern(value) if key == "contains" else value
            _check_pattern(reader, value_node, f"{what}: {key}", pattern, case_sensitive)
        lists[key] = tuple(value for value, _ in values)
    hints = _hints(reader, fields["hint"], what, case_sensitive) if "hint" in fields else ()
    return Conditions(**lists, hints=hints, case_sensitive=case_sensitive,
                      outside_test_reports=outside, earliest_wins=earliest, summary=summary,
                      cause=cause)


def _check_pattern(
    reader: _Reader, node: yaml.Node, what: str, pattern: str, case_sensitive: bool
) -> None:
    if not reader.check_patterns:
        return
    try:
        compile_pattern(pattern, case_sensitive=case_sensitive)
    except InvalidPattern as error:
        raise reader.fail(node, f"{what}: {error}: {pattern[:80]!r}") from None


def _hints(
    reader: _Reader, node: yaml.Node, what: str, case_sensitive: bool
) -> tuple[HintCondition, ...]:
    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(node, f"{what}: hint must be a mapping of hint name to value")
    result: list[HintCondition] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = reader.text(key_node, f"{what}: hint name") or ""
        if key in seen:
            raise reader.fail(key_node, f"{what}: hint: duplicate key {key!r}")
        seen.add(key)
        label = f"{what}: hint {key}"
        if isinstance(value_node, yaml.MappingNode):
            spec = reader.mapping(value_node, label, {"equals", "regex"})
            if not spec:
                raise reader.fail(value_node, f"{label}: give 'equals' or 'regex'")
            equals = tuple(v for v, _ in reader.texts(spec["equals"], f"{label}: equals")) if (
                "equals" in spec) else ()
            regex = reader.text(spec["regex"], f"{label}: regex") if "regex" in spec else None
            if regex is not None:
                _check_pattern(reader, spec["regex"], f"{label}: regex", regex, case_sensitive)
            result.append(HintCondition(key, equals, regex))
        else:
            values = reader.texts(value_node, label)
            result.append(HintCondition(key, tuple(v for v, _ in values)))
    return tuple(result)


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The policy as plain data in the document's shape (for YAML and ``--json``)."""
    document: dict[str, Any] = {"version": policy.version, "name": policy.name}
    if policy.description:
        document["description"] = policy.description
    document["default"] = _decision_dict(policy.default)
    document["rules"] = [_rule_dict(rule) for rule in policy.rules]
    return document


def _decision_dict(decision: TriageDecision) -> dict[str, Any]:
    result: dict[str, Any] = {"category": decision.category, "severity": decision.severity}
    if decision.response_time is not None:
        result["response_time"] = decision.response_time
    if decision.escalation is not None:
        result["escalation"] = decision.escalation
    return result


def _rule_dict(rule: Rule) -> dict[str, Any]:
    result: dict[str, Any] = {"name": rule.name}
    if rule.description:
        result["description"] = rule.description
    when: dict[str, Any] = {}
    for key in _LIST_MATCHERS:
        values = getattr(rule.when, key)
        if values:
            when[key] = list(values)
    if rule.when.hints:
        when["hint"] = {
            h.key: ({"regex": h.regex, **({"equals": list(h.equals)} if h.equals else {})}
                    if h.regex else list(h.equals))
            for h in rule.when.hints
        }
    if rule.when.case_sensitive:
        when["case_sensitive"] = True
    if rule.when.outside_test_reports:
        when["outside_test_reports"] = True
    if rule.when.earliest_wins:
        when["earliest_wins"] = True
    if rule.when.summary:
        when["summary"] = True
    if rule.when.cause:
        when["cause"] = True
    if when:
        result["when"] = when
    result["then"] = _decision_dict(rule.then)
    return result


_HEADER = """\
# knownfix triage policy (schema version 1): rules are tried in order, the first match wins.
# Regexes are RE2 (linear time; no backreferences or lookarounds), case-insensitive unless a
# rule sets `case_sensitive: true`. See docs/policy.md.
"""


def policy_to_yaml(policy: Policy) -> str:
    """The policy as a YAML document that :func:`load_policy` reads back to an equal policy."""
    body = yaml.safe_dump(
        policy_to_dict(policy), sort_keys=False, allow_unicode=True, width=4096,
        default_flow_style=False,
    )
    return _HEADER + body
