"""Plain option values coerced without pydantic give what Typer's own coercion gives: the same
values, and for anything else the same errors (``knownfix.cli.plain_params``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from knownfix.cli import plain_params
from knownfix.cli.app import KnownfixGroup


class Format(StrEnum):
    text = "text"
    json = "json"


def make(cls: type[TyperGroup]) -> tuple[typer.Typer, dict[str, Any]]:
    app = typer.Typer(cls=cls, context_settings={"help_option_names": ["-h", "--help"]})
    seen: dict[str, Any] = {}

    @app.callback()
    def root(db: Annotated[str | None, typer.Option("--db")] = None) -> None:
        seen["db"] = db

    @app.command()
    def run(
        files: Annotated[list[str] | None, typer.Argument()] = None,
        fmt: Annotated[Format, typer.Option("--format")] = Format.text,
        loose: Annotated[Format, typer.Option("--loose", case_sensitive=False)] = Format.text,
        hint: Annotated[list[str] | None, typer.Option("--hint")] = None,
        name: Annotated[str | None, typer.Option("--name")] = None,
        count: Annotated[int, typer.Option("--count")] = 1,
        where: Annotated[Path | None, typer.Option("--where")] = None,
        flag: Annotated[bool, typer.Option("--flag")] = False,
    ) -> None:
        seen.update(files=files, fmt=fmt, loose=loose, hint=hint, name=name, count=count,
                    where=where, flag=flag)

    @app.command()
    def other() -> None:
        seen["other"] = True

    return app, seen


@pytest.mark.parametrize("args", [
    ["run"],
    ["--db", "x.db", "run", "a.log", "b.log", "--name", "n", "--hint", "k=v", "--hint", "j=w"],
    ["run", "--format", "json", "--loose", "JSON", "--count", "3", "--where", "docs", "--flag"],
    ["run", "-", "--name", ""],
    ["run", "--format", "JSON"],  # case-sensitive: refused
    ["run", "--format", "yaml"],
    ["run", "--count", "many"],
    ["run", "--name"],
    ["other"],
    ["run", "--help"],
    ["--db"],
])
def test_plain_values_are_typers_own(args: list[str]) -> None:
    results = []
    for cls in (TyperGroup, KnownfixGroup):
        app, seen = make(cls)
        result = CliRunner().invoke(app, args)
        results.append((result.exit_code, result.output, seen))
    assert results[0] == results[1]
    assert results[1][0] in (0, 2)


def test_only_values_that_are_not_plain_take_typers_way(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []

    def build(descriptor: Any) -> Any:
        built.append(descriptor.annotation)
        return typers_own(descriptor)

    typers_own = plain_params.build_runtime_param
    monkeypatch.setattr(plain_params, "build_runtime_param", build)
    app, seen = make(KnownfixGroup)
    result = CliRunner().invoke(app, ["--db", "x", "run", "a", "--loose", "Json", "--hint", "x=1"])
    assert result.exit_code == 0, result.output
    assert built == [int]  # --count's default: every other value was plain
    assert seen["files"] == ["a"]
    assert seen["loose"] is Format.json
    assert seen["hint"] == ["x=1"]
    assert seen["fmt"] is Format.text
