"""Which ``key = value`` keys hold a secret, and which values look generated.

A key that ends with a secret word (``DB_PASSWORD``, ``_authToken``) masks any value but a
placeholder; a key that only holds one (``GITHUB_TOKEN_RW``, ``SECRET_KEY_BASE``) masks a value
only when it looks random (:func:`looks_random`: length, character classes, entropy); any other
key masks nothing. Used by the keyed rules of :mod:`knownfix.core.secrets.secret_rules`.
"""

from __future__ import annotations

import math
import re
from collections import Counter

# A key that ends with one of these holds a secret, whatever its value looks like
# (``DB_PASSWORD``, ``npm_config__authToken``); ``password_reset_url``, ``token_type`` and
# ``max_tokens`` do not end with one.
SECRET_KEY_ENDINGS = (
    "password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key",
    "accesskey", "access_key", "access-key", "secretkey", "secret_key", "secret-key",
    "privatekey", "private_key", "private-key", "_pwd", "-pwd", ".pwd", "_pass", "-pass",
    ".pass", "_auth", "credential", "credentials", "client_secret",
)
# A key holding one of these words (split at "_", "-", "." and camelCase) may hold a secret:
# its value is masked when it looks random.
SECRET_KEY_WORDS = frozenset({
    "key", "token", "secret", "secrets", "password", "passwd", "pwd", "pass", "passphrase",
    "credential", "credentials", "creds", "cred", "auth", "apikey", "private", "signature",
    "session", "sessionid", "sid",
})
# ... unless the key names something about the secret rather than the secret itself
# (``KEY_PATH``, ``token_url``, ``cache-key``, ``secret_name``, ``primary key``).
NOT_SECRET_KEY_WORDS = frozenset({
    "id", "ids", "path", "paths", "file", "files", "filename", "name", "names", "url", "uri",
    "type", "size", "length", "len", "count", "dir", "directory", "format", "prefix", "suffix",
    "version", "mode", "alias", "cache", "sort", "primary", "foreign", "public", "pub",
    "fingerprint", "digest", "checksum", "sha", "hash", "ref", "index", "idx", "max", "min",
    "limit", "timeout", "ttl", "expiry", "expires", "expiration", "endpoint", "host", "server",
    "region", "user", "username", "email", "header", "field", "column", "pattern", "regex",
    "enabled", "disabled", "required", "policy", "store", "vault", "ring", "env", "location",
    "algorithm", "algo", "usage", "scope", "scopes", "label", "arn", "kind", "source",
    "package", "module",
})
PUBLIC_KEY_WORDS = frozenset({"public", "pub", "publishable"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_KEY_SPLIT = re.compile(r"[^A-Za-z0-9]+")

MIN_RANDOM_LENGTH = 10
MIN_RANDOM_ENTROPY = 3.0
"""A value of a key that only *holds* a secret word is masked from this entropy (bits per
character) up; measured on LogChunks (bench/secrets.py): CI logs' ordinary values stay."""


def key_words(key: str) -> list[str]:
    """``"x-apiKey_PROD"`` → ``["x", "api", "key", "prod"]``."""
    return [w.lower() for w in _KEY_SPLIT.split(_CAMEL.sub("_", key)) if w]


def key_strength(key: str, *, compound: bool = False) -> str | None:
    """``"strong"`` (any value is a secret), ``"weak"`` (a random-looking value is), or None.

    With ``compound`` (``key: value`` in the middle of a line, where prose such as
    "Unexpected token: '}'" is common) a one-word key is never a secret key.
    """
    stripped = key.strip("-$.@:'\" \t")
    bare = stripped.lower()
    if not bare:
        return None
    words = key_words(stripped)
    if set(words) & PUBLIC_KEY_WORDS:
        return None  # PublicKeyToken=b77a5c561934e089 names a .NET assembly, not a secret
    if compound and not re.search(r"[_.-]", bare):
        # One word (or a CamelCase name) before a colon mid-line: "Unexpected token: '}'" and
        # Rails' "== RemoveAccessPassword: migrating" are prose, "Using password: Zq4mT8vR2w"
        # is not; only a random-looking value is a secret here.
        if set(words) & NOT_SECRET_KEY_WORDS:
            return None
        return "weak" if bare.endswith(SECRET_KEY_ENDINGS) or len(words) > 1 and (
            set(words) & SECRET_KEY_WORDS) else None
    if bare.endswith(SECRET_KEY_ENDINGS) and not (compound and bare in SECRET_KEY_ENDINGS):
        return "strong"
    if set(words) & NOT_SECRET_KEY_WORDS:
        return None
    if set(words) & SECRET_KEY_WORDS or any(
        w.endswith(("token", "secret", "password", "passwd", "apikey")) for w in words
    ):
        return "weak"
    return None


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text`` (0 for the empty text)."""
    if not text:
        return 0.0
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in Counter(text).values())


_NUMBER_OR_VERSION = re.compile(r"v?\d+(?:[._:-]\d+)*[a-z]?")
_WORDISH = re.compile(r"[a-z]+(?:[._-][a-z]+)*|[A-Z]+(?:[._-][A-Z]+)*|[A-Z][a-z]+(?:[A-Z][a-z]+)*")


def looks_random(value: str) -> bool:
    """Whether a value looks like a generated secret rather than a word, path, URL or number."""
    value = value.strip("\"'")
    if len(value) < MIN_RANDOM_LENGTH or any(c.isspace() for c in value):
        return False
    if value.startswith(("/", "./", "../", "~/", "$", "%", "@")) or "://" in value:
        return False
    if re.match(r"[A-Za-z]:\\", value) or _NUMBER_OR_VERSION.fullmatch(value):
        return False
    if _WORDISH.fullmatch(value):
        return False
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value),
         any(c.isdigit() for c in value))
    )
    return classes >= 2 and shannon_entropy(value) >= MIN_RANDOM_ENTROPY
