"""``knownfix incidents list | show | update | resolve | merge | unmerge``.

Each command calls :mod:`knownfix.services.incidents` and renders: a Rich view for people,
``--json`` for programs. User text goes on screen as :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from knownfix.cli.state import get_state

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from knownfix.core.records import Incident
    from knownfix.services.incidents import IncidentDetail

incidents_app = typer.Typer(
    name="incidents",
    help="Deduplicated incidents: one per failure, with occurrences, status, SLA and audit "
    "trail.\n\nExample: knownfix incidents list --status open",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="The incident's id, e.g. HIGH-004.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why, for the audit trail.")]
STATUSES = "open, investigating, mitigated, resolved"


def register(app: typer.Typer) -> None:
    """Add the ``incidents`` command group to the root app."""
    app.add_typer(incidents_app, name="incidents")


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@incidents_app.command("list")
def list_incidents(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help=f"Only this status: {STATUSES}.")]
    = None,
    include_merged: Annotated[bool, typer.Option(
        "--all", help="Include incidents merged into others.")] = False,
    scope: Annotated[str | None, typer.Option(
        "--scope", metavar="NAME", help="Only incidents of this scope (see triage --scope).",
    )] = None,
    as_json: JsonFlag = False,
) -> None:
    """List incidents, most recently seen first.

    Example: knownfix incidents list --status open --json
    """
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable
    from knownfix.services import incidents

    found = incidents.list_incidents(get_state(ctx).store(), status,
                                     include_merged=include_merged, scope=scope)
    if as_json:
        _print_json([incident.to_dict() for incident in found])
        return
    table = FitTable([
        Column("id", whole=True), Column("status", drop=2, whole=True),
        Column("count", drop=3, whole=True, justify="right"),
        Column("last seen", drop=5, whole=True), Column("SLA due", drop=6, whole=True),
        Column("known issue", drop=4), Column("title", least=30),
    ])
    now = datetime.now(UTC)
    for incident in found:
        table.add_row(
            Text(incident.id), Text(incident.status), str(incident.count),
            _when(incident.last_seen), _sla(incident, now), Text(incident.known_issue_id or "—"),
            Text(incident.title + (f" (merged into {incident.merged_into})"
                                   if incident.merged_into else "")),
        )
    console = _console()
    console.print(table)
    console.print(f"{len(found)} incident{'s' if len(found) != 1 else ''}")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _sla(incident: Incident, now: datetime) -> Text:
    from rich.text import Text

    due = incident.sla_due_at
    if due is None:
        return Text("—")
    overdue = incident.status != "resolved" and due < now
    return Text(_when(due) + (" overdue" if overdue else ""), style="red" if overdue else "")


@incidents_app.command("show")
def show(ctx: typer.Context, incident_id: IdArg, as_json: JsonFlag = False) -> None:
    """Show an incident with its occurrences and audit trail.

    Example: knownfix incidents show HIGH-004
    """
    from knownfix.services import incidents

    detail = incidents.show_incident(get_state(ctx).store(), incident_id)
    if as_json:
        _print_json(detail.to_dict())
    else:
        _render_detail(detail)


def _render_detail(detail: IncidentDetail) -> None:
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable

    console = _console()
    incident = detail.incident
    console.print(Text.assemble((incident.id, "bold cyan"), "  ", (incident.title, "bold")))
    fields = [
        ("status", incident.status + (f" (reopened {incident.reopened}×)"
                                      if incident.reopened else "")),
        ("severity / category", f"{incident.severity} / {incident.category}"),
        ("seen", f"{incident.count} time(s), first {_when(incident.first_seen)}, "
                 f"last {_when(incident.last_seen)}"),
        ("SLA due", _sla(incident, datetime.now(UTC)).plain),
        ("response time", incident.response_time or "—"),
        ("escalation", incident.escalation or "—"),
        ("known issue", incident.known_issue_id or "—"),
        ("merged into", incident.merged_into or "—"),
        ("scope", incident.scope or "—"),
        ("fingerprint", incident.fingerprint),
    ]
    for name, value in fields:
        console.print(Text.assemble((f"{name}: ", "bold"), value))
    table = FitTable([Column("received", drop=1, whole=True), Column("source", path=True),
                      Column("first line", drop=2)], title="Occurrences")
    for occurrence in detail.occurrences:
        first = next((line for line in occurrence.excerpt_text.splitlines() if line.strip()), "")
        table.add_row(_when(occurrence.received_at), Text(occurrence.source), Text(first))
    console.print(table)
    trail = FitTable([Column("at", drop=1, whole=True), Column("actor", drop=2),
                      Column("action", whole=True), Column("detail", drop=3)],
                     title="Audit trail")
    for event in detail.events:
        trail.add_row(Text(event["at"][:19]), Text(event["actor"]), Text(event["action"]),
                      Text(json.dumps(event["detail"], ensure_ascii=False)))
    console.print(trail)


def _changed(incident: Incident, what: str) -> None:
    typer.echo(f"{incident.id}: {what} (status {incident.status}, count {incident.count})")


@incidents_app.command("update")
def update(
    ctx: typer.Context,
    incident_id: IdArg,
    status: Annotated[str | None, typer.Option("--status", help=f"New status: {STATUSES}.")]
    = None,
    note: NoteOpt = None,
    known_issue: Annotated[str | None, typer.Option(
        "--known-issue", metavar="KNOWN_ISSUE_ID",
        help="Link the incident to this known issue ('-' unlinks); its failure then matches it.",
    )] = None,
) -> None:
    """Change an incident's status (open → investigating → mitigated → resolved) or link.

    Example: knownfix incidents update HIGH-004 --status investigating --note "on it"
    """
    from knownfix.services import incidents

    incident = incidents.update_incident(
        get_state(ctx).store(), incident_id, status=status, note=note,
        known_issue=known_issue, actor=incidents.cli_actor(),
    )
    _changed(incident, "updated")


@incidents_app.command("resolve")
def resolve(ctx: typer.Context, incident_id: IdArg, note: NoteOpt = None) -> None:
    """Mark an incident resolved; its next occurrence reopens it.

    Example: knownfix incidents resolve HIGH-004 --note "pinned alembic to 1.13"
    """
    from knownfix.services import incidents

    incident = incidents.resolve_incident(get_state(ctx).store(), incident_id, note=note,
                                          actor=incidents.cli_actor())
    _changed(incident, "resolved")


@incidents_app.command("merge")
def merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="The incident to merge away.")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The incident that remains.")],
    note: NoteOpt = None,
) -> None:
    """Merge SOURCE into INTO: its occurrences and future ones count there until unmerged.

    Example: knownfix incidents merge MED-002 HIGH-004
    """
    from knownfix.services import incidents

    target = incidents.merge_incidents(get_state(ctx).store(), source, into, note=note,
                                       actor=incidents.cli_actor())
    _changed(target, f"merged {source.upper()} into it")


@incidents_app.command("unmerge")
def unmerge(ctx: typer.Context, incident_id: IdArg) -> None:
    """Undo a merge: the incident gets its failures and occurrences back.

    Example: knownfix incidents unmerge MED-002
    """
    from knownfix.services import incidents

    restored = incidents.unmerge_incident(get_state(ctx).store(), incident_id,
                                          actor=incidents.cli_actor())
    _changed(restored, "unmerged")
