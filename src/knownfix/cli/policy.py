"""Triage policy commands: policy init | show | test.

Each command calls :mod:`knownfix.services.policy` and renders: a Rich view for people,
``--json`` for programs. User text goes on screen as :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from knownfix.cli.state import get_state
from knownfix.core.policy import FailureFacts, Policy, policy_to_dict
from knownfix.errors import InputError
from knownfix.services import policy as policy_service
from knownfix.textio import printable_path, stdin_binary

if TYPE_CHECKING:
    from rich.console import Console

    from knownfix.render.fit import FitTable

policy_app = typer.Typer(
    name="policy",
    help="Triage policy: ordered rules that give a failure its category, severity, response "
    "time and escalation.\n\nExample: knownfix policy test build.log",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def register(app: typer.Typer) -> None:
    """Add the ``policy`` command group to the root app."""
    app.add_typer(policy_app, name="policy")


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@policy_app.command("init")
def init(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(
        help="Where to write the policy (default: knownfix-policy.yaml in the project directory, "
        "where knownfix finds it).", show_default=False,
    )] = None,
    from_runbook: Annotated[Path | None, typer.Option(
        "--from-runbook", help="Build the policy from this runbook's response matrix "
        "(Failure Type | Severity | Response Time | Escalation).", show_default=False,
    )] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a policy file to adapt: the default policy, or one built from a runbook.

    Example: knownfix policy init --from-runbook docs/triage-runbook.md
    """
    if path is None:
        path = get_state(ctx).settings.project_dir / policy_service.POLICY_FILE_NAME
    policy = policy_service.init_policy(path, runbook=from_runbook, force=force)
    typer.echo(f"wrote {path}: policy {policy.name!r}, {len(policy.rules)} rules")


@policy_app.command("show")
def show(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Show the active policy: its rules in order and the default decision.

    Example: knownfix policy show --json
    """
    active = policy_service.active_policy(get_state(ctx).settings)
    if as_json:
        _print_json({"origin": active.origin, **policy_to_dict(active.policy)})
        return
    _console().print(_policy_table(active.policy, active.origin))


def _policy_table(policy: Policy, origin: str) -> FitTable:
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable

    table = FitTable(
        [Column("#", drop=2, whole=True, justify="right"), Column("rule", whole=True),
         Column("category", least=8), Column("severity", drop=1, whole=True),
         Column("response time", drop=3), Column("escalation", drop=4)],
        title=Text(f"Policy {policy.name} (version {policy.version}) — {origin}"),
        caption=Text("Rules are tried in order; the first match decides. Details: --json."),
    )
    for number, rule in enumerate(policy.rules, start=1):
        then = rule.then
        table.add_row(
            str(number), Text(rule.name), Text(then.category), Text(then.severity),
            Text(then.response_time or "—"), Text(then.escalation or "—"),
        )
    default = policy.default
    table.add_row(
        "", Text("(default)", style="italic"), Text(default.category), Text(default.severity),
        Text(default.response_time or "—"), Text(default.escalation or "—"),
    )
    return table


def _parse_hints(values: list[str]) -> dict[str, str]:
    hints: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--hint takes KEY=VALUE, not {item!r}")
        hints[key.strip()] = value.strip()
    return hints


@policy_app.command("test")
def check_log(
    ctx: typer.Context,
    log: Annotated[str, typer.Argument(help="The failing log to triage ('-' reads stdin).")],
    hint: Annotated[list[str] | None, typer.Option(
        "--hint", help="A hint rules can test, as KEY=VALUE (e.g. --hint kind=test).",
    )] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show which rule of the active policy decides a log, and why each rule did or did not match.

    Example: knownfix policy test build.log --hint ci=github
    """
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable

    active = policy_service.active_policy(get_state(ctx).settings)
    reading, around = policy_service.failure_reading(
        log, stdin=stdin_binary() if log == "-" else None)
    excerpt = reading.excerpt
    log = printable_path(log)
    facts = FailureFacts(text=excerpt.text, source=log, hints=_parse_hints(hint or []),
                         step=reading.step)
    decision, widened, trace = policy_service.explain_decision(active.policy, facts, around)
    if as_json:
        _print_json({
            "source": log, "policy": active.origin, "excerpt": excerpt.to_dict(),
            "decision": decision.to_dict(), "decided_on": "window" if widened else "excerpt",
            "trace": [{"rule": name, "matched": ok, "why": why} for name, ok, why in trace],
        })
        return
    console = _console()
    spans = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in excerpt.spans) or "none"
    console.print(Text(f"excerpt (lines {spans}):", style="dim"))
    console.print(Text(excerpt.text.rstrip("\n") or "(empty log)"))
    if widened:
        console.print(Text("The excerpt names no evidence of its own: decided on the log lines "
                           "around it (the rules below were tried on those).", style="dim"))
    console.print(Text(f"{log}: {decision.category} / {decision.severity}", style="bold"))
    console.print(Text(
        f"response time: {decision.response_time or '—'}   escalation: "
        f"{decision.escalation or '—'}   rule: {decision.rule or '(default)'}   "
        f"policy: {active.origin}"
    ))
    table = FitTable([Column("rule", whole=True), Column("matched", whole=True),
                      Column("why", drop=1)])
    for name, matched, why in trace:
        style = "bold green" if name == decision.rule else ("green" if matched else "dim")
        table.add_row(Text(name, style=style), Text("yes" if matched else "no", style=style),
                      Text(why))
    console.print(table)
