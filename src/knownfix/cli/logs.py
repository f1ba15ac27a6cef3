"""Log commands: ``knownfix logs cluster`` groups the lines of an application log into templates.

Secrets are masked in each line before it is mined: a template would keep a secret every line
repeats, and the miner's ``<*>`` can cut one in two.

The file is read twice, streamed: once to learn the templates, once to give every line its final
template (``--json``). Standard input (``-``) is spooled to a temporary file for the second read.
A line longer than 1 MiB is mined on its first MiB (the reader hands such lines out in pieces).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, cast

import typer

from knownfix.errors import InputError
from knownfix.textio import is_regular_file, iter_text_lines, open_binary, stdin_binary

if TYPE_CHECKING:
    from knownfix.core.logtemplates import TemplateMiner

logs_app = typer.Typer(
    name="logs",
    help="Work with application logs: group their lines into templates.",
    no_args_is_help=True,
)

_SPOOL_IN_MEMORY = 8 << 20  # bytes of stdin kept in memory before spilling to disk

Reopen = Callable[[], Path | BinaryIO]


def register(app: typer.Typer) -> None:
    """Add the ``logs`` command group to the root app."""
    app.add_typer(logs_app, name="logs")


@logs_app.command("cluster")
def cluster(
    file: Annotated[str, typer.Argument(help="The log file ('-' reads stdin).")],
    header_format: Annotated[
        str | None,
        typer.Option(
            "--header-format",
            help="logparser-style header, e.g. '<Date> <Time> <Level> <Component>: <Content>'; "
            "only the Content part is mined.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per input line (JSON Lines).")
    ] = False,
) -> None:
    """Group log lines into templates (variable parts shown as <*>).

    Example: knownfix logs cluster app.log --header-format '<Date> <Time> <Level> <Content>' --json
    """
    # Imported here: the CLI loads only what the command it runs needs.
    from knownfix.core.logtemplates import TemplateMiner, compile_header_format
    from knownfix.core.logtemplates.batch import assign_lines, learn_lines
    from knownfix.core.secrets.redact import redact_lines

    header = compile_header_format(header_format) if header_format is not None else None
    miner = TemplateMiner()
    with _log_source(file) as source:
        with iter_text_lines(source(), name=_label(file)) as lines:
            learn_lines(miner, redact_lines(_whole_lines(lines)), header)
        if as_json:
            with iter_text_lines(source(), name=_label(file)) as lines:
                for item in assign_lines(miner, redact_lines(_whole_lines(lines)), header):
                    typer.echo(
                        json.dumps(
                            {"line": item.line, "template": item.template, "cluster": item.cluster},
                            ensure_ascii=False,
                        )
                    )
            return
    _render_templates(miner)


def _whole_lines(pieces: Iterable[str]) -> Iterator[str]:
    """One string per line: of a line handed out in pieces (longer than 1 MiB), the first."""
    continued = False
    for piece in pieces:
        if not continued:
            yield piece
        continued = not piece.endswith(("\n", "\r"))


def _label(file: str) -> str:
    return "<stdin>" if file == "-" else file


@contextmanager
def _log_source(file: str) -> Iterator[Reopen]:
    """Something to open the log with, once per pass: the path, or spooled stdin rewound."""
    if file != "-" and (is_regular_file(file) or not Path(file).exists()):
        path = Path(file)
        yield lambda: path
        return
    # stdin, or a pipe given by name (logs cluster <(make 2>&1)): it can be read once only.
    import tempfile  # here: it costs every other command's start-up a few milliseconds

    stream = stdin_binary() if file == "-" else open_binary(Path(file), file)
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        try:
            shutil.copyfileobj(stream, spool)
        except OSError as error:
            raise InputError(f"{_label(file)}: cannot read: {error.strerror or error}") from None

        def rewound() -> BinaryIO:
            spool.seek(0)
            return cast(BinaryIO, spool)

        yield rewound


def _render_templates(miner: TemplateMiner) -> None:
    from rich.console import Console
    from rich.text import Text

    from knownfix.render.fit import Column, FitTable

    console = Console(highlight=False, soft_wrap=False)
    clusters = sorted(miner.templates(), key=lambda c: (-c.size, int(c.id[1:])))
    if not clusters:
        console.print("no lines")
        return
    table = FitTable([Column("cluster", whole=True, style="cyan"),
                      Column("lines", drop=1, whole=True, justify="right"), Column("template")],
                     title=f"{len(clusters)} templates in {miner.lines} lines")
    for item in clusters:
        table.add_row(item.id, str(item.size), Text(item.template))
    console.print(table)
