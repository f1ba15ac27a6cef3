"""Reading a saved miner back: JSON-able data only, checked field by field (never pickle).

The state is ``{"version", "config", "lines", "next_number", "clusters", "merged", "past"}``:
one entry per live cluster (its number, template tokens, whitespace flags and size); for every
cluster merged away, the number of the cluster that took it over, so that every id the miner
ever returned still resolves after a reload; and the templates clusters had before they
generalized, which lines learned then may still need to be found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from knownfix.errors import InputError

STATE_VERSION = 1


class SavedCluster(NamedTuple):
    number: int
    tokens: tuple[str, ...]
    spaces: tuple[bool, ...]
    size: int


class SavedState(NamedTuple):
    config: dict[str, int]
    lines: int
    next_number: int
    clusters: list[SavedCluster]
    merged: dict[int, int]
    past: list[SavedCluster]


def read_state(state: object) -> SavedState:
    """Check and unpack a state made by ``TemplateMiner.to_state``; InputError if malformed."""
    data = _mapping(state, "state")
    if data.get("version") != STATE_VERSION:
        raise InputError(
            f"template miner state: version {data.get('version')!r} is not supported "
            f"(expected {STATE_VERSION})"
        )
    config = {
        key: _int(value, f"config.{key}")
        for key, value in _mapping(data.get("config", {}), "config").items()
    }
    lines = _int(data.get("lines", 0), "lines")
    next_number = _int(data.get("next_number", 1), "next_number")
    clusters = [
        _cluster(raw, f"clusters[{index}]", next_number)
        for index, raw in enumerate(_list(data.get("clusters", []), "clusters"))
    ]
    past = [
        _cluster(raw, f"past[{index}]", next_number, sized=False)
        for index, raw in enumerate(_list(data.get("past", []), "past"))
    ]
    merged: dict[int, int] = {}
    for index, raw in enumerate(_list(data.get("merged", []), "merged")):
        pair = _list(raw, f"merged[{index}]")
        if len(pair) != 2:
            raise InputError(f"template miner state: merged[{index}] must be [number, into]")
        merged[_number(pair[0], "merged", next_number)] = _number(pair[1], "merged", next_number)
    live = {c.number for c in clusters}
    if len(live) != len(clusters) or live & merged.keys():
        raise InputError("template miner state: a cluster number is used twice")
    if not set(merged.values()) <= live:
        raise InputError("template miner state: a merged cluster points to no live cluster")
    return SavedState(config, lines, next_number, clusters, merged, past)


def _cluster(raw: object, where: str, next_number: int, sized: bool = True) -> SavedCluster:
    entry = _mapping(raw, where)
    number = _number(entry.get("number"), f"{where}.number", next_number)
    tokens = tuple(_str(t, f"{where}.tokens") for t in _list(entry.get("tokens"), where))
    spaces = tuple(bool(_int(s, f"{where}.spaces")) for s in _list(entry.get("spaces"), where))
    if len(tokens) != len(spaces):
        raise InputError(
            f"template miner state: {where} has {len(tokens)} tokens but {len(spaces)} space flags"
        )
    size = _int(entry.get("size"), f"{where}.size") if sized else 0
    return SavedCluster(number, tokens, spaces, size)


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InputError(f"template miner state: {where} must be an object")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise InputError(f"template miner state: {where} must be a list")
    return value


def _int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"template miner state: {where} must be a non-negative integer")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"template miner state: {where} must be strings")
    return value


def _number(value: object, where: str, next_number: int) -> int:
    number = _int(value, where)
    if not 1 <= number < next_number:
        raise InputError(f"template miner state: {where} {number} is out of range")
    return number
