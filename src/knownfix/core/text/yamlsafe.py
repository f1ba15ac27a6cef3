"""YAML from users, read without aliases: one ``*name`` must not stand for a large subtree.

An alias makes a document small and its meaning huge: a 694 KB policy that anchors 40,000
patterns once and reuses them in 1,000 rules means 40 million patterns (12 GB, minutes).
Expanding what an alias names is where the cost lies, so aliases (and the ``<<: *name`` merge
keys built on them) are refused where they are met, with their line. Anchors alone are harmless
and allowed.
"""

from __future__ import annotations

from typing import Any

import yaml


class AliasError(yaml.YAMLError):
    """A YAML alias was met; ``line`` is 1-based within the text given."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__(f"YAML aliases are not allowed (*{name}): write the value out")
        self.name = name
        self.line = line


class NoAliasSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader that raises :class:`AliasError` at the first alias."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise AliasError(str(event.anchor), event.start_mark.line + 1)
        return super().compose_node(parent, index)


# libyaml when PyYAML was built with it (ten times faster on a large policy); the same results.
_FAST = getattr(yaml, "CSafeLoader", None)


def _refuse_aliases(text: str) -> None:
    """Raise :class:`AliasError` at the first alias, reading only libyaml's events."""
    assert _FAST is not None
    for event in yaml.parse(text, Loader=_FAST):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise AliasError(str(event.anchor), mark.line + 1 if mark is not None else 1)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` without aliases (:class:`AliasError` on the first)."""
    if _FAST is None:
        return yaml.load(text, Loader=NoAliasSafeLoader)  # noqa: S506 - a SafeLoader subclass
    _refuse_aliases(text)
    return yaml.load(text, Loader=_FAST)  # noqa: S506 - libyaml's safe loader


def compose(text: str) -> yaml.Node | None:
    """``yaml.compose`` with the safe loader, without aliases."""
    if _FAST is None:
        return yaml.compose(text, Loader=NoAliasSafeLoader)
    _refuse_aliases(text)
    return yaml.compose(text, Loader=_FAST)
