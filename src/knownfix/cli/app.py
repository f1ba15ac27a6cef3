"""Root Typer app: global options, error handling, and registration of the command modules.

Each command module owns its commands and registers them through ``register(app)``; this file
only wires them together, so adding a command never means editing another command's file.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from knownfix import __version__
from knownfix.cli.plain_params import lighten
from knownfix.cli.state import State
from knownfix.errors import KnownfixError


class KnownfixGroup(TyperGroup):
    """Turns every :class:`KnownfixError` into one clear line on stderr and its exit code, and
    coerces plain option values without pydantic (:mod:`knownfix.cli.plain_params`).

    ``typer.Exit``, not ``click.exceptions.Exit``: Typer >= 0.16 runs on its own copy of Click
    and only recognises its own Exit (click's would end in a traceback and exit status 1).
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        lighten(self.get_params(ctx))  # the global options (--db), --help included
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: typer.Context,
                        args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            # The command's own, before it parses them. Its --help is made (and kept) with this
            # context's help option names, which its own context inherits.
            lighten(command.get_params(ctx))
        return name, command, rest

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KnownfixError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # `knownfix kb list --json | head` closes the pipe early: not an error.
            sys.stderr.close()
            raise typer.Exit(0) from None


# Write errors of a full, over-quota or failing output device.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _discard_stdout() -> None:
    """Point stdout at the null device, so what is still buffered cannot fail again at exit."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's capture): nothing will be flushed to a device


app = typer.Typer(
    cls=KnownfixGroup,
    name="knownfix",
    help=(
        "Remembers every failure your team already debugged, and applies what it learned.\n\n"
        "Import your troubleshooting docs once (knownfix import docs/), then point knownfix at a "
        "failing log (knownfix triage build.log) to get the lines that matter, the known issue "
        "and its proven fix."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"knownfix {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="Store to use: a SQLite file path or a database URL "
        "(default: .knownfix/knownfix.db in the project; env KNOWNFIX_DATABASE_URL).",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Global options shared by every command."""
    ctx.obj = State(db=db)
    ctx.call_on_close(ctx.obj.close)


def _register_commands() -> None:
    from knownfix.cli import commands

    for module in commands.MODULES:
        module.register(app)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except OSError as error:
        # `knownfix report > /dev/full`: the output could not be written (``--help`` too, so
        # this is caught here rather than around the command). Errors reading inputs or writing
        # files are turned into KnownfixError where they happen.
        if error.errno not in _OUTPUT_ERRNOS:
            raise
        _discard_stdout()
        with contextlib.suppress(OSError):
            typer.echo(f"error: cannot write the output: {error.strerror}", err=True)
        sys.exit(2)
