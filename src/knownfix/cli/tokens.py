"""``knownfix token create | list | revoke``: bearer tokens for the HTTP API.

``create`` prints the new token alone on its last line (scripts take ``| tail -n 1``); it is
shown this once and only its digest is stored.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from knownfix.cli.state import get_state

token_app = typer.Typer(
    name="token",
    help="Bearer tokens for the HTTP API: writers post events and change incidents, viewers "
    "read.\n\nExample: knownfix token create --role writer --name ci",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``token`` command group to the root app."""
    app.add_typer(token_app, name="token")


@token_app.command("create")
def create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="writer (post, change) or viewer (read).")],
    name: Annotated[str | None, typer.Option(
        "--name", help="A name to recognise and revoke it by (default: role and a hint).",
    )] = None,
) -> None:
    """Create a token; it is printed once, alone on the last line."""
    from knownfix.services.tokens import create_token

    created = create_token(get_state(ctx).store(), role=role, name=name)
    record = created.record
    typer.echo(f"created {record.role} token {record.name!r} (store it now: it is not shown "
               "again)", err=False)
    typer.echo(created.token)


@token_app.command("list")
def list_(
    ctx: typer.Context,
    include_revoked: Annotated[bool, typer.Option("--all", help="Include revoked tokens.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
    = False,
) -> None:
    """The tokens: name, role, the first characters, when created, last used, revoked."""
    from rich.console import Console
    from rich.table import Table

    from knownfix.services.tokens import tokens

    found = tokens(get_state(ctx).store(), include_revoked=include_revoked)
    if as_json:
        typer.echo(json.dumps([t.to_dict() for t in found], ensure_ascii=False, indent=2))
        return
    table = Table("id", "name", "role", "starts with", "created", "last used", "revoked")
    for t in found:
        table.add_row(str(t.id), t.name, t.role, t.hint + "…", _when(t.created_at),
                      _when(t.last_used_at), _when(t.revoked_at))
    Console(highlight=False).print(table if found else "no tokens (knownfix token create)")


@token_app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME|ID", help="The token's name or id.")],
) -> None:
    """Revoke a token: API calls with it fail within seconds."""
    from knownfix.services.tokens import revoke as revoke_token

    record = revoke_token(get_state(ctx).store(), name)
    typer.echo(f"revoked {record.role} token {record.name!r}")


def _when(value: object) -> str:
    from datetime import datetime

    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else "-"
