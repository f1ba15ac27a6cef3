"""Playbooks of a checks file (or of a known issue's ```playbook block) read from YAML nodes.

Refused before anything runs: event data a playbook did not list in ``params:``, event data in
a step that runs a shell, a playbook without ``verify``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import yaml

from knownfix.core.healing import config as c
from knownfix.core.healing.params import EVENT_FIELDS, json_placeholders, shell_program
from knownfix.core.healing.schema_values import FieldReader, parse_rate, placeholders_in

_PLAYBOOK = {"name", "description", "for", "auto", "approval", "params", "steps", "verify",
             "timeout", "retries", "breaker", "rate_limit"}
_STEP = {"run", "http", "env", "cwd", "expect", "timeout", "retries"}
_VERIFY = {"run", "http", "env", "cwd", "expect", "timeout", "attempts", "delay"}
_HTTP = {"url", "method", "headers", "json"}


class PlaybookReader(FieldReader):
    """Playbooks, their steps and their verification."""

    def playbook(self, node: yaml.Node, *, issue_id: str | None = None) -> c.Playbook:
        f = self.mapping(node, "playbook", _PLAYBOOK,
                         required=("steps", "verify") if issue_id else ("name", "for", "steps",
                                                                        "verify"))
        name = self.name(f["name"], "playbook name") if "name" in f else str(issue_id)
        targets = tuple(t.strip() for t in self.texts(f["for"], "for")) if "for" in f else ()
        if issue_id is not None:
            if any(t.casefold() != issue_id.casefold() for t in targets):
                raise self.fail(f["for"], f"a playbook in the document of {issue_id} is for "
                                f"{issue_id} only")
            targets = (issue_id,)
        params = tuple(self.texts(f["params"], "params")) if "params" in f else ()
        for value in params:
            if value not in EVENT_FIELDS:
                raise self.fail(f["params"], f"params: unknown event field {value!r} (known: "
                                f"{', '.join(EVENT_FIELDS)})")
        defaults = {
            "timeout": self.duration(f["timeout"], "timeout") if "timeout" in f else None,
            "retries": self.integer(f["retries"], "retries", maximum=10) if "retries" in f
            else 0,
        }
        steps_node = f["steps"]
        steps = tuple(self.step(item, params, defaults, _STEP)
                      for item in self.sequence(steps_node, "steps"))
        if not steps:
            raise self.fail(steps_node, "steps: give at least one step")
        approval = False
        if "approval" in f:
            value = self.plain_data(f["approval"], "approval")
            if value not in ("required", "none", True, False):
                raise self.fail(f["approval"], "approval: use required or none")
            approval = value in ("required", True)
        breaker = self.breaker(f["breaker"]) if "breaker" in f else c.BreakerPolicy()
        rate, per_target = self.rate_limit(f["rate_limit"]) if "rate_limit" in f else (None, None)
        return c.Playbook(
            name=name, targets=targets, steps=steps, verify=self.verify(f["verify"], params),
            line=self.line(node), origin=self.origin,
            auto=self.flag(f["auto"], "auto") if "auto" in f else False, approval=approval,
            params=params, breaker=breaker, rate=rate, rate_per_target=per_target,
            description=self.text(f["description"], "description") if "description" in f
            else "",
        )

    def step(self, node: yaml.Node, params: tuple[str, ...], defaults: dict[str, Any],
             allowed: set[str]) -> c.Step:
        f = self.mapping(node, "step", allowed)
        kinds = [k for k in ("run", "http") if k in f]
        if len(kinds) != 1:
            raise self.fail(node, "a step has exactly one of run: [argv] or http: URL")
        timeout = (self.duration(f["timeout"], "timeout") if "timeout" in f
                   else defaults["timeout"])
        retries = (self.integer(f["retries"], "retries", maximum=10) if "retries" in f
                   else defaults["retries"])
        if kinds == ["run"]:
            if "json" in f:
                raise self.fail(f["json"], "json belongs to an http step")
            step: c.Step = c.RunStep(
                argv=self.argv(f["run"], "run"), line=self.line(node),
                env=self.env(f["env"]) if "env" in f else (),
                cwd=self.text(f["cwd"], "cwd") if "cwd" in f else None,
                expect=self.statuses(f["expect"], "expect", low=0, high=255) if "expect" in f
                else (0,),
                timeout=timeout or c.DEFAULT_STEP_TIMEOUT, retries=retries,
            )
        else:
            for key in ("env", "cwd"):
                if key in f:
                    raise self.fail(f[key], f"{key} belongs to a run step")
            step = self.http_step(f["http"], self.line(node), timeout, retries,
                                  f.get("expect"))
        self.check_params(node, step, params)
        return step

    def http_step(self, node: yaml.Node, line: int, timeout: timedelta | None, retries: int,
                  expect: yaml.Node | None) -> c.HttpStep:
        f: dict[str, yaml.Node]
        if isinstance(node, yaml.ScalarNode):
            f = {"url": node}
        else:
            f = self.mapping(node, "http", _HTTP, required=("url",))
        return c.HttpStep(
            url=self.url(f["url"], "url"), line=line,
            method=self.method(f["method"]) if "method" in f else "GET",
            expect=self.statuses(expect, "expect", low=100, high=599) if expect is not None
            else (),
            headers=self.headers(f["headers"]) if "headers" in f else (),
            json=self.plain_data(f["json"], "json") if "json" in f else None,
            timeout=timeout or c.DEFAULT_HTTP_TIMEOUT, retries=retries,
        )

    def verify(self, node: yaml.Node, params: tuple[str, ...]) -> c.Verify:
        f = self.mapping(node, "verify", _VERIFY)
        attempts = (self.integer(f["attempts"], "attempts", minimum=1, maximum=100)
                    if "attempts" in f else 5)
        delay = (self.duration(f["delay"], "delay", maximum=3600) if "delay" in f
                 else timedelta(seconds=1))
        step = self.step(node, params, {"timeout": None, "retries": 0}, _VERIFY)
        return c.Verify(step=step, attempts=attempts, delay=delay)

    def check_params(self, node: yaml.Node, step: c.Step, params: tuple[str, ...]) -> None:
        used: list[str] = []
        if isinstance(step, c.RunStep):
            for arg in step.argv:
                used += placeholders_in(self, node, arg, "run")
            for key, value in step.env:
                used += placeholders_in(self, node, value, f"env {key}")
            shell = shell_program(step.argv)
            if used and shell is not None:
                raise self.fail(node, f"this step runs {shell}, so it takes no event data "
                                f"({', '.join('{' + u + '}' for u in dict.fromkeys(used))}): "
                                "a shell or interpreter would read it as code. Call a "
                                "script with the data as arguments instead, e.g. "
                                f'["scripts/fix.sh", "{{{used[0]}}}"] with scripts/fix.sh in '
                                "allow")
        else:
            used += placeholders_in(self, node, step.url, "url")
            for key, value in step.headers:
                used += placeholders_in(self, node, value, f"header {key}")
            try:
                used += json_placeholders(step.json)
            except ValueError as error:
                raise self.fail(node, f"json: {error}") from None
        unknown = [name for name in used if name not in params]
        if unknown:
            raise self.fail(node, f"{{{unknown[0]}}} is not in this playbook's params: list "
                            f"it there ({', '.join(EVENT_FIELDS)}) to pass it to steps")

    def breaker(self, node: yaml.Node) -> c.BreakerPolicy:
        f = self.mapping(node, "breaker", {"failures", "cooldown"})
        return c.BreakerPolicy(
            failures=self.integer(f["failures"], "failures", minimum=1, maximum=1000)
            if "failures" in f else 5,
            cooldown=self.duration(f["cooldown"], "cooldown", maximum=30 * 86400)
            if "cooldown" in f else timedelta(minutes=5),
        )

    def rate_limit(self, node: yaml.Node) -> tuple[c.Rate | None, c.Rate | None]:
        f = self.mapping(node, "rate_limit", {"playbook", "target"})
        rates: list[c.Rate | None] = []
        for key in ("playbook", "target"):
            if key not in f:
                rates.append(None)
                continue
            text = self.text(f[key], f"rate_limit {key}")
            rate = parse_rate(text)
            if rate is None or rate.count < 1:
                raise self.fail(f[key], f"rate_limit {key} {text!r}: write runs per span, "
                                "e.g. 3/hour, 10/day, 1/10m")
            rates.append(rate)
        return rates[0], rates[1]
