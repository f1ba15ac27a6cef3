"""YAML from the user, read as nodes so that every problem names ``file:line``.

The checks file is composed, not loaded: a node keeps its line, so "unknown key 'tiemout'" can
say where it is, duplicate keys are errors (plain loading would keep the last silently), and an
alias (``*name``) is refused where it is met — one alias can stand for a subtree thousands of
times over, and a configuration that runs commands has no use for them.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from knownfix.core.text.yamlsafe import AliasError, compose
from knownfix.errors import ConfigError

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
STR = "tag:yaml.org,2002:str"
MAX_CONFIG_CHARS = 1_000_000


class _AnyKey(set[str]):
    """An ``allowed`` set that admits every key (env names, header names, free data)."""

    def __contains__(self, item: object) -> bool:
        return True


ANY_KEY: set[str] = _AnyKey()


class NodeReader:
    """Turns YAML nodes into values, raising ConfigError with ``origin:line`` on any problem."""

    def __init__(self, origin: str, first_line: int = 1) -> None:
        self.origin = origin
        self.first_line = first_line

    def line(self, node: yaml.Node | None) -> int:
        return (node.start_mark.line if node is not None else 0) + self.first_line

    def fail(self, node: yaml.Node | None, message: str) -> ConfigError:
        return ConfigError(f"{self.origin}:{self.line(node)}: {message}")

    def compose(self, text: str) -> yaml.Node | None:
        """The document's root node (None for an empty one)."""
        if len(text) > MAX_CONFIG_CHARS:
            raise ConfigError(
                f"{self.origin}:{self.first_line}: {len(text)} characters; "
                f"the limit is {MAX_CONFIG_CHARS}"
            )
        try:
            return compose(text)
        except AliasError as error:
            line = error.line + self.first_line - 1
            raise ConfigError(f"{self.origin}:{line}: {error}") from None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            node_line = (mark.line if mark is not None else 0) + self.first_line
            problem = error.problem or error.context or "invalid YAML"
            raise ConfigError(f"{self.origin}:{node_line}: invalid YAML: {problem}") from None
        except yaml.YAMLError as error:
            raise ConfigError(f"{self.origin}:{self.first_line}: invalid YAML: {error}") from None
        except RecursionError:
            raise ConfigError(
                f"{self.origin}:{self.first_line}: invalid YAML: nested too deeply"
            ) from None

    def mapping(
        self, node: yaml.Node, what: str, allowed: set[str], required: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node]:
        """A mapping's entries by key; unknown or duplicate keys and missing ones are errors."""
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
        for key in required:
            if key not in result:
                raise self.fail(node, f"{what}: missing {key!r}")
        return result

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str:
        """A non-empty scalar, as written (a number or a word is text too)."""
        if isinstance(node, yaml.ScalarNode) and node.tag != NULL and str(node.value).strip():
            return str(node.value)
        raise self.fail(node, f"{what} must be a non-empty text")

    def texts(self, node: yaml.Node, what: str, *, single: bool = True) -> list[str]:
        """A list of texts (or, when ``single``, one text standing for a list of one)."""
        if single and isinstance(node, yaml.ScalarNode):
            return [self.text(node, what)]
        return [self.text(item, f"{what} item") for item in self.sequence(node, what)]

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == BOOL:
            return str(node.value).lower() in {"true", "yes", "on", "y"}
        raise self.fail(node, f"{what} must be true or false")

    def number(
        self, node: yaml.Node, what: str, *, minimum: float = 0.0, maximum: float = math.inf,
        integer: bool = False,
    ) -> float:
        """A number within [minimum, maximum]; ``integer`` refuses fractions."""
        if isinstance(node, yaml.ScalarNode) and node.tag in {INT, FLOAT}:
            try:
                value = float(_scalar(node))
            except (ValueError, TypeError, yaml.YAMLError):
                value = math.nan
            if math.isfinite(value) and minimum <= value <= maximum and (
                not integer or value.is_integer()
            ):
                return value
        kind = "a whole number" if integer else "a number"
        bounds = f" from {_plain(minimum)}"
        if maximum < math.inf:
            bounds += f" to {_plain(maximum)}"
        raise self.fail(node, f"{what} must be {kind}{bounds}")

    def integer(self, node: yaml.Node, what: str, *, minimum: int = 0,
                maximum: int = 1_000_000) -> int:
        return int(self.number(node, what, minimum=minimum, maximum=maximum, integer=True))

    def plain_data(self, node: yaml.Node, what: str, depth: int = 0) -> Any:
        """A node as plain JSON-like data (mappings with text keys, lists, scalars)."""
        if depth > 64:
            raise self.fail(node, f"{what}: nested too deeply")
        if isinstance(node, yaml.MappingNode):
            return {key: self.plain_data(value, what, depth + 1)
                    for key, value in self.mapping(node, what, ANY_KEY).items()}
        if isinstance(node, yaml.SequenceNode):
            return [self.plain_data(item, what, depth + 1) for item in node.value]
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except (ValueError, TypeError, yaml.YAMLError) as error:
                raise self.fail(node, f"{what}: {error}") from None
        raise self.fail(node, f"{what}: unsupported YAML node")  # pragma: no cover


def _scalar(node: yaml.ScalarNode) -> Any:
    """The Python value of a scalar node, resolved as the safe loader would."""
    return yaml.constructor.SafeConstructor().construct_object(node)


def _plain(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
