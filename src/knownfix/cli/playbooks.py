"""``knownfix playbook list | run | approve | reject | runs | show | breakers | reset | pause |
resume``: self-healing from the command line.

``run`` is a dry run unless ``--execute``: it prints the plan and nothing runs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from knownfix.cli.checks import ConfigOpt
from knownfix.cli.state import get_state

if TYPE_CHECKING:
    from rich.console import Console

    from knownfix.core.healing.config import Playbook
    from knownfix.core.healing.plan import Plan
    from knownfix.core.healing.records import PlaybookRun
    from knownfix.services.healing import Healer

playbook_app = typer.Typer(
    name="playbook",
    help="Self-healing playbooks: plan (dry run), execute under guardrails, approve, audit."
    "\n\nExample: knownfix playbook run CRIT-001 --execute",
    no_args_is_help=True,
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RunIdArg = Annotated[int, typer.Argument(metavar="RUN_ID", help="The run's number.")]
EXIT_WAITING = 3


def register(app: typer.Typer) -> None:
    app.add_typer(playbook_app, name="playbook")


def _healer(ctx: typer.Context, config: Any) -> Healer:
    """The healer of the checks file; a failed run's escalation is notified before exit."""
    from knownfix.services import checks_config
    from knownfix.services.healing import Healer, notify_escalations
    from knownfix.services.notify import Notifier

    state = get_state(ctx)
    path = checks_config.find_checks_file(state.settings, config)
    store = state.store()
    notifier = Notifier(store, state.settings)
    ctx.call_on_close(notifier.drain)
    return Healer(store, state.settings, checks_config.read_checks_file(path),
                  on_escalate=notify_escalations(notifier))


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@playbook_app.command("list")
def list_playbooks(ctx: typer.Context, config: ConfigOpt = None, as_json: JsonFlag = False
                   ) -> None:
    """List the playbooks of the checks file with their guardrails.

    Example: knownfix playbook list --json
    """
    from rich.table import Table
    from rich.text import Text

    healer = _healer(ctx, config)
    rows = [_playbook_row(p) for p in healer.config.playbooks]
    if as_json:
        _echo_json(rows)
        return
    table = Table()
    for column in ("name", "for", "auto", "approval", "steps", "breaker", "rate limit"):
        table.add_column(column)
    for row in rows:
        rate = ", ".join(f"{k} {v}" for k, v in row["rate_limit"].items() if v) or "—"
        table.add_row(Text(row["name"]), Text(", ".join(row["for"])), "yes" if row["auto"]
                      else "no", row["approval"], str(row["steps"]),
                      f"{row['breaker']['failures']} failures", Text(rate))
    _console().print(table)


def _playbook_row(p: Playbook) -> dict[str, Any]:
    return {
        "name": p.name, "for": list(p.targets), "auto": p.auto,
        "approval": "required" if p.approval else "none", "steps": len(p.steps),
        "params": list(p.params),
        "breaker": {"failures": p.breaker.failures,
                    "cooldown_s": p.breaker.cooldown.total_seconds()},
        "rate_limit": {"playbook": str(p.rate) if p.rate else None,
                       "target": str(p.rate_per_target) if p.rate_per_target else None},
        "origin": f"{p.origin}:{p.line}",
    }


@playbook_app.command("run")
def run(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="NAME|INCIDENT_ID",
                                       help="A playbook's name, or an incident's id.")],
    config: ConfigOpt = None,
    execute: Annotated[bool, typer.Option(
        "--execute", help="Really run it. Without it, print the plan and run nothing.")] = False,
    incident: Annotated[str | None, typer.Option(
        "--incident", metavar="ID", help="With a playbook NAME: the incident it heals.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the plan of a playbook (dry run), or run it with --execute.

    Example: knownfix playbook run CRIT-001            # the plan, nothing runs
    Example: knownfix playbook run CRIT-001 --execute  # run, verify, resolve as self-healed

    Exit status: 0 a dry run or a run that healed, 1 a run that failed or was refused,
    2 a configuration or input error, 3 the run waits for approval.
    """
    from knownfix.services.incidents import cli_actor

    healer = _healer(ctx, config)
    if not execute:
        plan = healer.plan(ref, incident_id=incident)
        if as_json:
            _echo_json({"dry_run": True, **plan.to_dict()})
        else:
            _render_plan(plan)
        return
    result = healer.execute(ref, trigger="manual", actor=cli_actor(), incident_id=incident)
    _show_run(result, as_json)
    raise typer.Exit(_exit_code(result))


@playbook_app.command("approve")
def approve(
    ctx: typer.Context, run_id: RunIdArg, config: ConfigOpt = None,
    no_start: Annotated[bool, typer.Option(
        "--no-start", help="Only approve; a running knownfix serve starts it.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Approve a run that waits for approval, and start it.

    Example: knownfix playbook approve 12
    """
    from knownfix.services.incidents import cli_actor

    healer = _healer(ctx, config)
    result = healer.approve(run_id, actor=cli_actor(), start=not no_start)
    _show_run(result, as_json)
    raise typer.Exit(0 if no_start else _exit_code(result))


@playbook_app.command("reject")
def reject(
    ctx: typer.Context, run_id: RunIdArg, config: ConfigOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, for the audit.")] = None,
) -> None:
    """Reject a run that waits for approval; nothing runs.

    Example: knownfix playbook reject 12 --reason "maintenance window"
    """
    from knownfix.services.incidents import cli_actor

    healer = _healer(ctx, config)
    result = healer.reject(run_id, actor=cli_actor(), reason=reason or "")
    _show_run(result, False)


@playbook_app.command("runs")
def list_runs(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(
        "--status", help="Only runs in this status (awaiting_approval, succeeded …).")] = None,
    incident: Annotated[str | None, typer.Option("--incident", metavar="ID")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
    as_json: JsonFlag = False,
) -> None:
    """List playbook runs, newest first: the audit trail of self-healing.

    Example: knownfix playbook runs --status awaiting_approval
    """
    from rich.table import Table
    from rich.text import Text

    from knownfix.services import playbook_runs as runs

    found = runs.list_runs(get_state(ctx).store(), status=status, incident_id=incident,
                           limit=limit)
    if as_json:
        _echo_json([r.to_dict() for r in found])
        return
    table = Table()
    for column in ("run", "playbook", "incident", "status", "trigger", "by", "created"):
        table.add_column(column, no_wrap=True)
    table.add_column("reason", overflow="fold")
    for r in found:
        table.add_row(str(r.id), Text(r.playbook), Text(r.incident_id or "—"), r.status,
                      r.trigger, Text(r.actor), f"{r.created_at:%Y-%m-%d %H:%M}",
                      Text(r.reason or "—"))
    _console().print(table)


@playbook_app.command("show")
def show(ctx: typer.Context, run_id: RunIdArg, as_json: JsonFlag = False) -> None:
    """Show one run: who started it, each step's exit code, duration and (redacted) output.

    Example: knownfix playbook show 12
    """
    from knownfix.services import playbook_runs as runs

    _show_run(runs.get_run(get_state(ctx).store(), run_id), as_json, full=True)


@playbook_app.command("breakers")
def breakers(ctx: typer.Context, config: ConfigOpt = None, as_json: JsonFlag = False) -> None:
    """Show each playbook's circuit breaker: closed, open (until when) or half-open.

    Example: knownfix playbook breakers
    """
    from rich.table import Table
    from rich.text import Text

    from knownfix.services import playbook_runs as runs

    healer = _healer(ctx, config)
    policies = {p.name: p.breaker for p in healer.config.playbooks}
    found = runs.breakers(healer.store, policies)
    if as_json:
        _echo_json([b.to_dict() for b in found])
        return
    table = Table()
    for column in ("playbook", "state", "consecutive failures", "opened", "trial from"):
        table.add_column(column)
    for b in found:
        table.add_row(Text(b.playbook), b.state, str(b.failures),
                      f"{b.opened_at:%Y-%m-%d %H:%M:%S}" if b.opened_at else "—",
                      f"{b.reopens_at:%Y-%m-%d %H:%M:%S}" if b.reopens_at else "—")
    _console().print(table)


@playbook_app.command("reset")
def reset(ctx: typer.Context, name: Annotated[str, typer.Argument(metavar="PLAYBOOK")]) -> None:
    """Close a playbook's circuit breaker by hand (after fixing what made it fail).

    Example: knownfix playbook reset restart-web
    """
    from knownfix.services import playbook_runs as runs

    runs.reset_breaker(get_state(ctx).store(), name)
    typer.echo(f"{name}: circuit breaker closed")


@playbook_app.command("pause")
def pause(ctx: typer.Context) -> None:
    """Stop every playbook run, in every process sharing this store (the kill switch).

    Example: knownfix playbook pause
    """
    from knownfix.services import playbook_runs as runs
    from knownfix.services.incidents import cli_actor

    runs.set_paused(get_state(ctx).store(), True, cli_actor())
    typer.echo("healing paused: no playbook runs until knownfix playbook resume")


@playbook_app.command("resume")
def resume(ctx: typer.Context) -> None:
    """Let playbooks run again after knownfix playbook pause.

    Example: knownfix playbook resume
    """
    from knownfix.services import playbook_runs as runs
    from knownfix.services.incidents import cli_actor

    runs.set_paused(get_state(ctx).store(), False, cli_actor())
    typer.echo("healing resumed")


def _exit_code(run: PlaybookRun) -> int:
    if run.status == "awaiting_approval":
        return EXIT_WAITING
    return 0 if run.healed else 1


def _render_plan(plan: Plan) -> None:
    from rich.text import Text

    console = _console()
    console.print(Text.assemble(("Dry run", "bold yellow"), " — nothing runs without --execute"))
    console.print(Text.assemble(("playbook: ", "bold"), plan.playbook, f"  ({plan.origin})"))
    console.print(Text.assemble(("target: ", "bold"), plan.target,
                                f"   incident: {plan.incident_id or '—'}"))
    if plan.params:
        console.print(Text("event data passed: " + ", ".join(k for k, _ in plan.params)))
    for step in plan.steps:
        retry = f", {step.retries} {'retry' if step.retries == 1 else 'retries'}" \
            if step.retries else ""
        console.print(Text(f"  {step.index}. {step.kind}: {step.description}"
                           f"   (timeout {step.timeout:g} s{retry})"))
    console.print(Text(f"  verify: {plan.verify.kind}: {plan.verify.description}   "
                       f"({plan.verify_attempts} attempts)"))
    guards = [f"auto: {'yes' if plan.auto else 'no'}",
              f"approval: {'required' if plan.approval else 'none'}",
              f"breaker: opens after {plan.breaker_failures} failures"]
    if plan.rate:
        guards.append(f"rate: {plan.rate}")
    if plan.rate_per_target:
        guards.append(f"per target: {plan.rate_per_target}")
    console.print(Text("guardrails: " + "; ".join(guards)))
    for note in plan.notes:
        console.print(Text("note: " + note, style="yellow"))


def _show_run(run: PlaybookRun, as_json: bool, full: bool = False) -> None:
    from rich.text import Text

    if as_json:
        _echo_json(run.to_dict())
        return
    console = _console()
    label = f"run {run.id}" if run.id else "not run"
    style = "green" if run.healed else "yellow" if run.status in {
        "awaiting_approval", "approved"} else "red"
    console.print(Text.assemble((f"{label}: ", "bold"), (run.status.replace("_", " "), style),
                                f"  playbook {run.playbook}, incident {run.incident_id or '—'}"
                                f", started by {run.actor} ({run.trigger})"))
    if run.reason:
        console.print(Text("  " + run.reason))
    for step in (*run.steps, *((run.verify,) if run.verify else ())):
        name = "verify" if step.index == 0 else f"step {step.index}"
        code = step.exit_code if step.kind == "run" else step.status
        console.print(Text(f"  {name}: {'ok' if step.ok else 'failed'} — {step.description} "
                           f"(exit/status {code if code is not None else '—'}, "
                           f"{step.attempts} attempt(s), {step.duration_s:.1f} s)"))
        if full and step.output.strip():
            for line in step.output.strip().splitlines()[-20:]:
                console.print(Text("      " + line, style="dim"))
    if run.status == "awaiting_approval":
        console.print(Text(f"  approve with: knownfix playbook approve {run.id}", style="cyan"))
