"""``knownfix check``: run the detectors and quality gates of the checks file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from knownfix.cli.state import get_state

if TYPE_CHECKING:
    from knownfix.services.checks import CheckResult

ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", "-c", metavar="FILE",
    help="The checks file (default: knownfix-checks.yaml in the project; env "
    "KNOWNFIX_CHECKS_PATH).", show_default=False,
)]

_HELP = (
    "Run the detectors and quality gates of the checks file: commands, HTTP health checks, "
    "JSON reports against a JSON Schema, metrics against their baseline (drift) and checksum "
    "manifests. A failure is triaged and recorded as an incident like a failing log.\n\n"
    "Example: knownfix check --config knownfix-checks.yaml --json\n\n"
    "With --heal, a failure whose playbook says auto: true is healed at once (under every "
    "guardrail; KNOWNFIX_HEALING=off or manual stops it). --update-baseline accepts each drift "
    "detector's current value as its new baseline.\n\n"
    "Exit status: 0 every detector passed, 1 one failed, 2 the checks file or a detector's "
    "input (a missing report, invalid JSON) is wrong."
)


def register(app: typer.Typer) -> None:
    """Add ``check`` to the root app."""
    app.command("check", help=_HELP)(check)


def check(
    ctx: typer.Context,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per detector, one per line.")] = False,
    heal: Annotated[bool, typer.Option(
        "--heal", help="Run the auto: true playbook of each failure.")] = False,
    update_baseline: Annotated[bool, typer.Option(
        "--update-baseline", help="Accept the drift detectors' current values as baselines.",
    )] = False,
    only: Annotated[list[str] | None, typer.Option(
        "--only", metavar="NAME", help="Run only this detector (repeatable).")] = None,
) -> None:
    from knownfix.services import checks, checks_config
    from knownfix.services.healing import Healer, notify_escalations
    from knownfix.services.incidents import cli_actor
    from knownfix.services.notify import Notifier

    state = get_state(ctx)
    path = checks_config.find_checks_file(state.settings, config)
    loaded = checks_config.read_checks_file(path)
    store = state.store()
    healer = None
    if heal:  # a run that does not heal its incident is notified before exit
        notifier = Notifier(store, state.settings)
        ctx.call_on_close(notifier.drain)
        healer = Healer(store, state.settings, loaded, on_escalate=notify_escalations(notifier))
    run = checks.CheckRun(store, state.settings, loaded, actor=cli_actor(), healer=healer)
    results = run.run(heal=heal, update_baseline=update_baseline, only=only or ())
    if as_json:
        for result in results:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _render(results)
    raise typer.Exit(checks.exit_status(results))


def _render(results: list[CheckResult]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    for result in results:
        mark, style = ("✓", "green") if result.ok else ("!", "yellow") if result.error \
            else ("✗", "red")
        line = Text.assemble((f"{mark} ", style), (result.name, "bold"), f" ({result.kind}) ",
                             result.message)
        if result.incident is not None:
            ref = result.incident
            line.append(f"  → {ref.id} ({'new' if ref.new else f'seen {ref.count}×'})",
                        style="cyan")
        console.print(line)
        for detail in () if result.ok else result.details:
            console.print(Text("    " + detail))
        if result.healing is not None:
            run = result.healing
            text = f"    healing: {run.playbook} {run.status.replace('_', ' ')}"
            if run.id:
                text += f" (run {run.id})"
            if run.reason:
                text += f": {run.reason}"
            console.print(Text(text, style="green" if run.healed else "yellow"))
    failed = sum(not r.ok and not r.error for r in results)
    errors = sum(r.error for r in results)
    summary = f"{len(results) - failed - errors} passed, {failed} failed"
    if errors:
        summary += f", {errors} could not be checked"
    console.print(summary)
