"""The one exception tree of knownfix.

    KnownfixError              (exit 2, HTTP 500)
    ├── InputError             bad file, bad argument, unreadable input   (HTTP 400)
    │   ├── ParseError         a document or policy that cannot be read    (HTTP 422)
    │   ├── TooLarge           a body over the configured limit            (HTTP 413)
    │   └── UnsupportedMedia   a body of a type knownfix does not read     (HTTP 415)
    ├── AuthError              no token, or one knownfix does not know     (HTTP 401)
    │   └── Forbidden          a token whose role does not allow this      (HTTP 403)
    ├── NotFound               an id that does not exist                   (HTTP 404)
    ├── Conflict               two things claim the same identity         (HTTP 409)
    ├── PolicyError            a triage policy that is invalid             (HTTP 422)
    ├── ConfigError            settings that cannot work                   (HTTP 500)
    └── StoreError             the database refused or is unreachable      (HTTP 503)

The CLI prints ``str(error)`` on one line and exits with ``exit_code``; the web layer maps
``status`` to the HTTP response. Core raises these too, so it stays free of adapters.
"""

from __future__ import annotations


class KnownfixError(Exception):
    """Base of every error knownfix raises on purpose."""

    default_message = "knownfix failed"
    status = 500
    exit_code = 2

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class InputError(KnownfixError):
    default_message = "invalid input"
    status = 400


class ParseError(InputError):
    default_message = "could not parse the input"
    status = 422


class TooLarge(InputError):
    default_message = "the body is too large"
    status = 413


class UnsupportedMedia(InputError):
    default_message = "unsupported media type"
    status = 415


class AuthError(KnownfixError):
    default_message = "a bearer token is required"
    status = 401


class Forbidden(AuthError):
    default_message = "this token may not do that"
    status = 403


class NotFound(KnownfixError):
    default_message = "not found"
    status = 404


class Conflict(KnownfixError):
    default_message = "conflict"
    status = 409


class PolicyError(KnownfixError):
    default_message = "invalid triage policy"
    status = 422


class ConfigError(KnownfixError):
    default_message = "invalid configuration"
    status = 500


class StoreError(KnownfixError):
    default_message = "the store is unavailable"
    status = 503
