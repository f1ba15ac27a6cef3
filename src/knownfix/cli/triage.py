"""``knownfix triage``: read failing logs, say what failed, whether it is known, and the fix."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from knownfix.cli.state import get_state
from knownfix.errors import InputError

if TYPE_CHECKING:
    from knownfix.core.records import TriageResult

EXIT_CODES = (
    "Exit status: 0 every input is a known issue or a passing run (no failure found), 1 at "
    "least one is an unknown failure, 2 a usage or input error (a missing, unreadable or "
    "binary file)."
)


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    markdown = "markdown"


def register(app: typer.Typer) -> None:
    """Add ``triage`` to the root app."""
    app.command("triage", help=_HELP)(triage)


_HELP = (
    "Triage failing logs: the lines that explain the failure, its signature, the policy's "
    "decision, the known issue with its fix, and the incident it is recorded in.\n\n"
    "Example: knownfix triage build.log --baseline last-green.log\n\n"
    "With --json (= --format json) it prints one JSON object per input, one per line. "
    "--format github prints ::error annotations and appends a job summary to "
    f"$GITHUB_STEP_SUMMARY when set. {EXIT_CODES}"
)


def parse_hints(values: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` options as a dict; InputError for anything else."""
    hints: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--hint takes KEY=VALUE, not {item!r}")
        hints[key.strip()] = value.strip()
    return hints


def check_sources(files: list[str] | None) -> list[str]:
    """The inputs to read: ``-`` (stdin) at most once, and never a terminal by default."""
    if files and files.count("-") > 1:
        raise InputError("'-' (standard input) can be given only once")
    if not files and sys.stdin is not None and sys.stdin.isatty():
        raise InputError(
            "no log given: pass a file (knownfix triage build.log), pipe one in "
            "(make 2>&1 | knownfix triage), or type one after 'knownfix triage -'"
        )
    if "-" in (files or []) and sys.stdin is not None and sys.stdin.isatty():
        typer.echo("reading the log from the terminal; end it with Ctrl-D", err=True)
    return files or ["-"]


def triage(
    ctx: typer.Context,
    files: Annotated[list[str] | None, typer.Argument(
        metavar="FILE|-", help="Log files or JUnit XML reports; '-' reads stdin (the default when "
        "stdin is a pipe).",
        show_default=False,
    )] = None,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", metavar="PASSING_LOG",
        help="A passing run of the same job: its lines are never picked as the failure.",
    )] = None,
    no_record: Annotated[bool, typer.Option(
        "--no-record", help="Do not record incidents (read-only; incident is null).",
    )] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    hint: Annotated[list[str] | None, typer.Option(
        "--hint", metavar="KEY=VALUE", help="A fact policy rules can test (e.g. --hint ci=github).",
    )] = None,
    server: Annotated[str | None, typer.Option(
        "--server", metavar="URL", envvar="KNOWNFIX_SERVER", show_default=False,
        help="Triage on this knownfix service (knownfix serve) and record there, not in a "
        "local store. Env KNOWNFIX_SERVER.",
    )] = None,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="KNOWNFIX_TOKEN", show_default=False,
        help="The service's bearer token (a writer token). Env KNOWNFIX_TOKEN.",
    )] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", metavar="NAME", show_default=False,
        help="Keep this project's incidents apart from other projects' in a shared store; "
        "known-issue links stay shared. Default: KNOWNFIX_SCOPE, else in CI the repository "
        "(GITHUB_REPOSITORY, CI_PROJECT_PATH, TRAVIS_REPO_SLUG …), else none. "
        "--scope '' shares incidents across projects.",
    )] = None,
) -> None:
    """Triage each input in one process (the knowledge base is compiled once)."""
    from knownfix.services.triage import exit_status, open_triage

    sources = check_sources(files)
    state = get_state(ctx)
    hints = parse_hints(hint or [])
    fmt = Format.json if as_json else output
    scope = state.settings.scope if scope is None else scope
    if server is not None:
        from knownfix.client.remote import triage_remote

        if baseline is not None:
            raise InputError("--baseline works on a local triage only, not with --server")

        def run(source: str) -> TriageResult:
            return triage_remote(server, token, source, record=not no_record, hints=hints,
                                 scope=scope)
    else:
        session = open_triage(state.triage_store(), state.settings, baseline=baseline, scope=scope)

        def run(source: str) -> TriageResult:
            return session.triage_file(source, record=not no_record, hints=hints)
    results: list[TriageResult | InputError] = []
    for source in sources:
        try:
            result = run(source)
        except InputError as error:
            typer.echo(f"error: {error}", err=True)
            results.append(error)
            continue
        results.append(result)
        _emit(result, fmt)
    done = [r for r in results if not isinstance(r, InputError)]
    if fmt is Format.github:
        _write_summary(done)
    raise typer.Exit(exit_status(results))


def _emit(result: TriageResult, fmt: Format) -> None:
    """Print one result as soon as it is ready (a folder of logs streams)."""
    if fmt is Format.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    elif fmt is Format.github:
        from knownfix.render.github import workflow_command

        typer.echo(workflow_command(result))
    elif fmt is Format.markdown:
        from knownfix.render.markdown import render_markdown

        typer.echo(render_markdown(result))
    else:
        from rich.console import Console

        from knownfix.render.text import triage_panel

        Console(highlight=False).print(triage_panel(result))


def _write_summary(results: list[TriageResult]) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target or not results:
        return
    from knownfix.render.github import job_summary

    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(job_summary(results))
    except OSError as error:
        raise InputError(
            f"cannot append to $GITHUB_STEP_SUMMARY ({target}): {error.strerror or error}"
        ) from None
