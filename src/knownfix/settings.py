"""Settings: loaded explicitly, never at import time.

Precedence, lowest first: defaults, ``knownfix.toml`` (in the project directory or given by
``KNOWNFIX_CONFIG``), environment variables ``KNOWNFIX_*``, then explicit overrides (CLI flags).

The project directory is found like git finds ``.git``: the nearest ancestor of the working
directory holding a ``.knownfix/`` folder, else the working directory itself.

The incident scope (``KNOWNFIX_SCOPE``) defaults, inside a CI job, to the repository the CI
system names (:data:`CI_REPOSITORY_VARIABLES`), so the incidents of two projects sharing one
store stay apart without anyone passing ``--scope``.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from knownfix.errors import ConfigError

HOME_DIR_NAME = ".knownfix"
CONFIG_FILE_NAME = "knownfix.toml"
ENV_PREFIX = "KNOWNFIX_"
HEALING_MODES = ("on", "manual", "off")
# Where CI systems put the repository a job runs for, most specific first.
CI_REPOSITORY_VARIABLES = (
    "GITHUB_REPOSITORY",  # GitHub Actions: owner/name
    "CI_PROJECT_PATH",  # GitLab CI: group/project
    "TRAVIS_REPO_SLUG",  # Travis CI: owner/name
    "BITBUCKET_REPO_FULL_NAME",  # Bitbucket Pipelines: workspace/slug
    "BUILD_REPOSITORY_NAME",  # Azure Pipelines
    "BUILDKITE_PIPELINE_SLUG",  # Buildkite
    "DRONE_REPO",  # Drone / Woodpecker
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything knownfix needs to know about where it runs."""

    project_dir: Path
    database_url: str
    broker_url: str | None = None
    redis_url: str | None = None
    policy_path: Path | None = None
    api_token: str | None = None
    viewer_token: str | None = None
    semantic: bool = False
    notify_urls: tuple[str, ...] = field(default_factory=tuple)
    key_prefix: str = "knownfix"
    scope: str = ""  # whose incidents these are: a repository, a service ("" = shared)
    # The service (knownfix serve / worker); see docs/service.md.
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    trusted_hosts: tuple[str, ...] = field(default_factory=tuple)  # empty: any host
    max_body_bytes: int = 10 << 20  # an event's body, after gzip decoding
    dedup_ttl_seconds: int = 7 * 24 * 3600  # how long Redis remembers a trace / idempotency key
    task_lease_seconds: int = 60  # an analysis running longer is presumed dead and taken over
    notify_per_minute: int = 20  # notifications per target and minute; the rest are dropped
    log_format: str = "json"  # the service's logs: json (one object per line) or text
    public_read: bool = False  # the web's read pages and routes need no token
    secret_key: str | None = None  # signs dashboard sessions; shared by every API machine
    checks_path: Path | None = None  # detectors and playbooks (default: knownfix-checks.yaml)
    healing: str = "on"  # on | manual (no automatic run) | off (no run at all): the kill switch
    import_workers: int = 0  # processes that parse documents on import (0: one per core, <= 4)

    @property
    def home(self) -> Path:
        """The ``.knownfix/`` folder that holds the embedded store."""
        return self.project_dir / HOME_DIR_NAME

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def find_project_dir(start: Path) -> Path:
    """Nearest ancestor of ``start`` that holds ``.knownfix/``; ``start`` itself if none does."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / HOME_DIR_NAME).is_dir():
            return candidate
    return start


_FLAGS = frozenset({"semantic", "public_read"})
_LISTS = frozenset({"notify_urls", "cors_origins", "trusted_hosts"})
_INTEGERS = frozenset({"max_body_bytes", "dedup_ttl_seconds", "task_lease_seconds",
                       "notify_per_minute", "import_workers"})
_SIZE_UNITS = {"": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30,
               "gb": 1 << 30}


def _coerce_int(name: str, value: Any) -> int:
    """A whole number >= 0; a size may end in k, m or g (``10m`` is 10 MiB)."""
    text = str(value).strip().lower()
    digits = text.rstrip("kmgb")
    try:
        result = int(digits) * _SIZE_UNITS[text[len(digits):]]
    except (ValueError, KeyError):
        result = -1
    if result < 0 or isinstance(value, bool):
        raise ConfigError(f"{ENV_PREFIX}{name.upper()} must be a whole number >= 0, not {value!r}")
    return result


def default_database_url(project_dir: Path) -> str:
    return f"sqlite:///{project_dir / HOME_DIR_NAME / 'knownfix.db'}"


def _coerce(name: str, value: Any) -> Any:
    if name in _FLAGS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{ENV_PREFIX}{name.upper()} must be true or false, not {value!r}")
    if name in _INTEGERS:
        return _coerce_int(name, value)
    if name == "log_format":
        text = str(value).strip().lower()
        if text not in {"json", "text"}:
            raise ConfigError(f"{ENV_PREFIX}LOG_FORMAT must be json or text, not {value!r}")
        return text
    if name in _LISTS:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return tuple(str(v) for v in value)
    if name == "healing":
        text = str(value).strip().lower()
        if text not in HEALING_MODES:
            raise ConfigError(f"{ENV_PREFIX}HEALING must be one of {', '.join(HEALING_MODES)}, "
                              f"not {value!r}")
        return text
    if name in {"project_dir", "policy_path", "checks_path"}:
        return Path(value).expanduser() if value else None
    if name == "scope":
        return str(value).strip()
    return None if value in (None, "") else str(value)


def ci_scope(env: Mapping[str, str]) -> str:
    """The repository the CI job runs for, from the first CI variable that names one; ``""``."""
    for name in CI_REPOSITORY_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    return ""


# KNOWNFIX_* variables read outside Settings: the config file, the scan engine and its cache
# (read by the extractor), and the benchmarks' and tests' own.
OTHER_VARIABLES = frozenset({
    "CONFIG", "CACHE_DIR", "SCAN_ENGINE", "DATASETS", "TEST_POSTGRES", "TEST_REDIS",
    "REGEN_GOLDEN", "UPDATE_GOLDEN",
    # Read by the client side (knownfix.client, triage --server), not by a store's settings.
    "SERVER", "TOKEN", "URL",
})
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def unknown_variables(env: Mapping[str, str] | None = None) -> list[str]:
    """``KNOWNFIX_*`` variables knownfix does not read (a typo is silently ignored otherwise),
    each with the closest known name when there is one."""
    env = os.environ if env is None else env
    known = {f.name.upper() for f in fields(Settings)} | OTHER_VARIABLES
    found = []
    for name in sorted(env):
        if name.startswith(ENV_PREFIX) and name[len(ENV_PREFIX):] not in known:
            close = difflib.get_close_matches(name[len(ENV_PREFIX):], sorted(known), n=1)
            hint = f" (did you mean {ENV_PREFIX}{close[0]}?)" if close else ""
            found.append(f"{name} is not a knownfix setting{hint}")
    return found


def _check(settings: Settings, env: Mapping[str, str]) -> None:
    """Refuse values that cannot work, naming the setting (rather than ignoring them)."""
    from knownfix.core.extract.hsscan import engine_choice

    try:
        engine_choice(env.get(f"{ENV_PREFIX}SCAN_ENGINE", ""))
    except ValueError as error:
        raise ConfigError(str(error)) from None
    cache = env.get(f"{ENV_PREFIX}CACHE_DIR")
    if cache and Path(cache).exists() and not Path(cache).is_dir():
        raise ConfigError(f"{ENV_PREFIX}CACHE_DIR={cache!r} is not a folder")
    if settings.broker_url and "://" not in settings.broker_url:
        raise ConfigError(f"{ENV_PREFIX}BROKER_URL must be a URL (redis://…, amqp://…), "
                          f"not {settings.broker_url!r}")
    redis = settings.redis_url
    if redis and redis.partition("://")[0].lower() not in _REDIS_SCHEMES:
        raise ConfigError(f"{ENV_PREFIX}REDIS_URL must be a redis://, rediss:// or unix:// URL, "
                          f"not {redis!r}")
    for url in settings.notify_urls:
        if "://" not in url:
            raise ConfigError(f"{ENV_PREFIX}NOTIFY_URLS: {url!r} is not an apprise URL (scheme://…)")
    if not settings.key_prefix.strip() or any(c.isspace() for c in settings.key_prefix):
        raise ConfigError(
            f"{ENV_PREFIX}KEY_PREFIX must be one word, not {settings.key_prefix!r}"
        )
    if not settings.project_dir.is_dir():
        raise ConfigError(f"{ENV_PREFIX}PROJECT_DIR={str(settings.project_dir)!r} is not a folder")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    section = data.get("knownfix", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [knownfix] must be a table")
    return section


def load_settings(
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    **overrides: Any,
) -> Settings:
    """Build :class:`Settings` from defaults, ``knownfix.toml``, ``KNOWNFIX_*`` and overrides."""
    env = os.environ if env is None else env
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}

    project_dir = find_project_dir(cwd or Path.cwd())
    config_path = env.get(f"{ENV_PREFIX}CONFIG")
    toml_path = Path(config_path) if config_path else project_dir / CONFIG_FILE_NAME
    if config_path or toml_path.is_file():
        for key, value in _read_toml(toml_path).items():
            if key not in known:
                raise ConfigError(f"{toml_path}: unknown setting {key!r}")
            values[key] = value

    for name in known:
        env_value = env.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = env_value
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "scope" not in values:
        values["scope"] = ci_scope(env)

    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    coerced = {name: _coerce(name, value) for name, value in values.items()}
    project = coerced.pop("project_dir", None) or project_dir
    database_url = coerced.pop("database_url", None) or default_database_url(project)
    settings = replace(Settings(project_dir=project, database_url=database_url), **coerced)
    _check(settings, env)
    return settings
