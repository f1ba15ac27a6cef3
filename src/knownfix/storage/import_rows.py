"""What an import writes for each known issue, prepared where the document was parsed.

An import of 100,000 issues spends much of the importing process's time turning issues into
rows: their JSON columns, their content hash, their stored terms and prepared phrases. All of
that depends on the issue alone, so import workers compute it beside the parse
(:func:`prepare_issues`) and the importing process only writes it; without workers the same
function runs in the importing process. The rows are what ``issue_values`` and
``core.match.prepared.stored_forms`` give, encoded as the JSON columns would encode them, so
the store holds the same bytes either way (``bench/kb_store_dump.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from knownfix.core.records import KnownIssue

JSON_COLUMNS = frozenset({"symptoms", "signature", "resolution_steps", "commands",
                          "verification", "tags", "extra"})
"""The JSON columns of ``known_issues`` (see ``storage.tables``)."""


class EncodedJSON(str):
    """A JSON column's value already encoded: the store's JSON serializer writes it as it is."""

    __slots__ = ()


def json_serializer(value: Any) -> str:
    """The JSON columns' serializer (``create_engine(json_serializer=...)``): ``json.dumps``,
    SQLAlchemy's default, except for a value encoded beforehand (:class:`EncodedJSON`)."""
    if type(value) is EncodedJSON:
        return str(value)
    return json.dumps(value)


class PreparedIssue(NamedTuple):
    """One issue's ``known_issues`` column values (without doc key, timestamps and retired;
    its JSON columns as JSON text) and its ``match_issue_terms`` forms as JSON text.

    Plain strings and a tuple: they cross from a worker to the importing process five times
    cheaper than :class:`EncodedJSON` values would (pickle rebuilds a ``str`` subclass by a
    call); :meth:`columns` marks them when they are written."""

    values: dict[str, Any]
    terms: str
    prepared: str

    def columns(self) -> dict[str, Any]:
        """The column values to write, the JSON ones marked as encoded."""
        return {name: EncodedJSON(value) if name in JSON_COLUMNS else value
                for name, value in self.values.items()}


def prepare_issues(issues: Iterable[KnownIssue]) -> dict[str, PreparedIssue]:
    """Issue id → what the import writes for it."""
    from knownfix.core.match.prepared import stored_forms
    from knownfix.storage.tables import issue_values

    found: dict[str, PreparedIssue] = {}
    for issue in issues:
        values = issue_values(issue)
        for name in JSON_COLUMNS:
            values[name] = json.dumps(values[name])
        forms = stored_forms(issue)
        found[issue.id] = PreparedIssue(values, json.dumps(forms["terms"]),
                                        json.dumps(forms["prepared"]))
    return found
