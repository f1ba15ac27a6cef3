"""Knowledge-base commands: import, kb list|show|export, new, lint, search.

Each command parses its input, calls one function of :mod:`knownfix.services.knowledge` and
renders the result: a Rich view for people, ``--json`` for programs. User text is always put on
screen as :class:`rich.text.Text`, never as Rich markup, so a ``[bold]`` in a doc stays literal.
Services (and so SQLAlchemy) are imported inside the commands: ``knownfix --help`` stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from knownfix.cli.state import get_state
from knownfix.core.records import KnownIssue

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from knownfix.core.records import SearchHit
    from knownfix.services.knowledge import ImportReport
    from knownfix.services.knowledge import Progress as ByteProgress

kb_app = typer.Typer(
    name="kb",
    help="Browse the knowledge base: list, show and export known issues.",
    no_args_is_help=True,
)

JSON_HELP = "Print JSON instead of a table."


def register(app: typer.Typer) -> None:
    """Add the knowledge-base commands to the root app."""
    app.command("import")(import_docs)
    app.add_typer(kb_app, name="kb")
    app.command("new")(new)
    app.command("lint")(lint)
    app.command("search")(search)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def import_docs(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Markdown files or folders (walked).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import Markdown troubleshooting docs into the knowledge base; re-import updates them.

    Example: knownfix import docs/ runbooks/triage.md
    """
    from knownfix.services import knowledge

    state = get_state(ctx)
    store = state.store()
    with _byte_progress() as progress:
        report = knowledge.import_paths(store, paths, progress=progress,
                                        workers=state.settings.import_workers)
    if as_json:
        _print_json(report.to_dict())
    else:
        _render_import(report)


@contextmanager
def _byte_progress() -> Iterator[ByteProgress]:
    """A Rich progress bar by bytes on stderr, shown only when stderr is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.text import Text

    console = Console(stderr=True)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("importing", total=None)

        def advance(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Text(Path(path).name).plain)

        yield advance


def _render_import(report: ImportReport) -> None:
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable

    console = _console()
    table = FitTable([
        Column("file", path=True), Column("shape", drop=3),
        Column("issues", whole=True, justify="right"),
        Column("skipped", drop=2, whole=True, justify="right"),
    ], title="Imported documents")
    for file in report.files:
        table.add_row(Text(file.path), Text(file.shape), str(file.issues), str(len(file.skipped)))
    console.print(table)
    stats = report.stats
    console.print(
        f"created {stats.created}, updated {stats.updated}, unchanged {stats.unchanged}, "
        f"retired {stats.retired}, skipped sections {stats.skipped}"
    )
    if report.removed:
        console.print(Text(f"deleted docs, issues retired: {', '.join(report.removed)}"))
    if report.skipped:
        console.print(Text("Skipped (not imported as known issues):", style="bold"))
        for skipped in report.skipped:
            console.print(Text(f"  {skipped}"), soft_wrap=True)


@kb_app.command("list")
def kb_list(
    ctx: typer.Context,
    include_retired: Annotated[
        bool, typer.Option("--all", help="Include retired issues (dropped from their doc).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List the known issues.

    Example: knownfix kb list --json | jq '.[].id'
    """
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable
    from knownfix.services import knowledge

    issues = knowledge.list_issues(get_state(ctx).store(), include_retired=include_retired)
    if as_json:
        _print_json([issue.to_dict() for issue in issues])
        return
    table = FitTable([
        Column("id", whole=True), Column("title", ratio=2, least=24), Column("severity", drop=1),
        Column("status", drop=2), Column("source", drop=3, path=True, ratio=1),
    ])
    for issue in issues:
        title = Text(issue.title + (" (retired)" if issue.retired else ""))
        table.add_row(Text(issue.id), title, Text(issue.severity or ""),
                      Text(issue.status or ""), Text(str(issue.source or "")))
    _console().print(table)
    _console().print(f"{len(issues)} known issue{'s' if len(issues) != 1 else ''}")


@kb_app.command("reindex")
def kb_reindex(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Rebuild the search index and the match index from the stored known issues.

    Imports keep both up to date, and triage rebuilds a stale or corrupt index by itself.

    Run it after restoring a database, or after an upgrade, to build the index now.

    Example: knownfix kb reindex
    """
    from knownfix.services import knowledge

    done = knowledge.reindex(get_state(ctx).store())
    if as_json:
        _print_json(done.to_dict())
        return
    _console().print(f"Reindexed {done.issues} known issues ({done.matchable} matchable, "
                     f"{done.terms} terms) in {done.seconds:.1f} s")


@kb_app.command("show")
def kb_show(
    ctx: typer.Context,
    issue_id: Annotated[str, typer.Argument(metavar="ID", help="The known issue's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one known issue with its fix and verification.

    Example: knownfix kb show KF-0012
    """
    from knownfix.services import knowledge

    issue = knowledge.show_issue(get_state(ctx).store(), issue_id)
    if as_json:
        _print_json(issue.to_dict())
    else:
        _render_issue(issue)


_SCALAR_FIELDS = (
    "category", "severity", "status", "self_healing", "response_time", "escalation"
)
_BLOCK_FIELDS = (
    "symptoms", "root_cause", "resolution", "commands", "verification", "prevention", "tags"
)


def _render_issue(issue: KnownIssue) -> None:
    from rich.text import Text

    console = _console()
    console.print(Text.assemble((issue.id, "bold cyan"), "  ", (issue.title, "bold")))
    if issue.retired:
        console.print(Text("retired: its document no longer contains it", style="yellow"))
    for name in _SCALAR_FIELDS:
        value = getattr(issue, name)
        if value:
            console.print(Text.assemble((f"{name.replace('_', ' ')}: ", "bold"), value))
    blocks: list[tuple[str, str | list[str]]] = [
        (name.replace("_", " ").capitalize(), getattr(issue, name)) for name in _BLOCK_FIELDS
    ]
    blocks.extend(issue.extra.items())
    for label, value in blocks:
        if value:
            console.print(Text(label, style="bold"))
            console.print(_indented(value), soft_wrap=True)
    if issue.signature:
        console.print(Text(f"signature: {json.dumps(issue.signature.to_dict())}", style="dim"))
    if issue.source:
        console.print(Text(f"source: {issue.source}", style="dim"))


def _indented(value: str | list[str]) -> Text:
    """Prose indented by two spaces; list items as "- " bullets, continuation lines aligned."""
    from rich.text import Text

    if isinstance(value, str):
        lines = [f"  {line}".rstrip() for line in value.splitlines()]
    else:
        lines = []
        for item in value:
            first, *rest = item.splitlines() or [""]
            lines.append(f"  - {first}")
            lines.extend(f"    {line}".rstrip() for line in rest)
    return Text("\n".join(lines))


@kb_app.command("export")
def kb_export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write into.")],
    include_retired: Annotated[
        bool, typer.Option("--all", help="Export retired issues too.")
    ] = False,
) -> None:
    """Write every known issue as one canonical Markdown file (re-importable).

    Example: knownfix kb export kb-export/
    """
    from knownfix.services import knowledge

    store = get_state(ctx).store()
    written = knowledge.export_issues(store, directory, include_retired=include_retired)
    typer.echo(f"exported {len(written)} known issue(s) to {directory}")


def new(
    title: Annotated[str, typer.Argument(help="Title of the new known issue.")],
    issue_id: Annotated[str | None, typer.Option("--id", help="Its id, e.g. KF-0042.")] = None,
    directory: Annotated[Path, typer.Option("--dir", help="Folder for the new file.")] = Path("."),
) -> None:
    """Scaffold a canonical Markdown doc for a new known issue (never overwrites).

    Example: knownfix new "Broken Alembic migration chain" --id KF-0042 --dir docs/
    """
    from knownfix.services import knowledge

    path = knowledge.new_doc(title, directory, issue_id=issue_id)
    typer.echo(f"created {path}")


def lint(
    paths: Annotated[list[Path], typer.Argument(help="Markdown files or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Check docs against the canonical template; exit 1 when there are errors.

    Example: knownfix lint docs/
    """
    from knownfix.services import knowledge

    problems = knowledge.lint_paths(paths)
    if as_json:
        _print_json([
            {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
            for p in problems
        ])
    else:
        for p in problems:
            typer.echo(f"{p.path}:{p.line}: {p.severity}: {p.message}")
    errors = sum(1 for p in problems if p.severity == "error")
    if not as_json:
        typer.echo(f"{errors} error(s), {len(problems) - errors} warning(s)", err=True)
    if errors:
        raise typer.Exit(1)


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to look for, e.g. an error message.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Search the known issues; best match first, scores in [0, 1].

    Example: knownfix search "Can't locate revision"
    """
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable
    from knownfix.services import knowledge

    hits = knowledge.search(get_state(ctx).store(), query, limit)
    if as_json:
        _print_json([hit.to_dict() for hit in hits])
        return
    if not hits:
        typer.echo("no matching known issue")
        return
    table = FitTable([
        Column("#", drop=3, whole=True, justify="right"), Column("id", whole=True),
        Column("title", least=20), Column("score", drop=2, whole=True, justify="right"),
        Column("snippet", drop=1, ratio=2),
    ])
    for rank, hit in enumerate(hits, 1):
        table.add_row(str(rank), Text(hit.issue_id), Text(hit.title), f"{hit.score:.2f}",
                      highlighted(hit))
    _console().print(table)


def highlighted(hit: SearchHit) -> Text:
    """The snippet with its ``**marked**`` words in bold (marks removed)."""
    from rich.text import Text

    from knownfix.core.records import HIGHLIGHT

    text = Text()
    for n, part in enumerate(hit.snippet.split(HIGHLIGHT)):
        text.append(part, style="bold yellow" if n % 2 else "")
    return text
