"""A tiny calculator used to produce real pytest, unittest, ruff and mypy output."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def add(a: int, b: int) -> int:
    return a + b


def divide(a: float, b: float) -> float:
    if b == 0:
        log.error("ERROR: division by zero requested")
        raise ZeroDivisionError("b must not be zero")
    return a / b


def mean(values: list[float]) -> float:
    if not values:
        raise ValueError("mean of an empty list")
    return sum(values) / len(values)
