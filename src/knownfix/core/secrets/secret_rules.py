"""The secret rules of redaction: named, ordered data.

Each rule is one regular expression (Python ``re`` syntax). When it has a group named
``secret`` only that part is replaced, so context stays readable (``password=[REDACTED:...]``,
``https://user:[REDACTED:url-password]@host``); otherwise the whole match is replaced.
``keywords`` are lower-case substrings of which every match contains at least one: a line with
none of any rule's keywords is returned untouched without running the regex (most log lines).

Linear time: unbounded repetitions are possessive, and a rule starts only where a token starts
(a lookbehind forbids starting inside one), so no input makes a rule rescan text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SecretRule:
    """One redaction rule: a name (the label in ``[REDACTED:name]``), a regex, its keywords."""

    name: str
    pattern: str
    keywords: tuple[str, ...]


# Names of keys whose value is a secret; a key matches when it *ends* with one of these
# (``DB_PASSWORD``, ``npm_config__authToken``), never when it merely contains one
# (``password_reset_url``, ``token_type``, ``max_tokens``).
SECRET_KEY_ENDINGS = (
    "password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key",
    "accesskey", "access_key", "access-key", "secretkey", "secret_key", "secret-key",
    "privatekey", "private_key", "private-key", "_pwd", "-pwd", ".pwd", "_auth",
    "credentials", "client_secret",
)
_KEY_KEYWORDS = ("pass", "secret", "token", "key", "pwd", "auth", "credentials")


def _ends_with_any(endings: tuple[str, ...]) -> str:
    # Python lookbehinds are fixed-width: one per ending, OR-ed, case-insensitive.
    return "(?:" + "|".join(f"(?i:(?<={re.escape(e)}))" for e in endings) + ")"


_KEY_END = _ends_with_any(SECRET_KEY_ENDINGS)
# In ``key: value`` prose is common ("Unexpected token: }"), so a bare ``:`` needs a compound
# key (``db_password:``) or a key at the start of the line (YAML).
_COMPOUND_KEY_END = _ends_with_any(
    tuple(f"{sep}{e}" for e in SECRET_KEY_ENDINGS if e[0].isalpha() for sep in "_-.")
)
_KEY = r"(?<![\w.-])[\w.-]*+"  # a whole key, consumed without backtracking


def _value(not_first: str = "") -> str:
    """A value: a CI expression ``${{ ... }}``, quoted (escapes allowed; the closing quote
    optional so that a cut line still redacts) or bare up to a space, quote or separator."""
    return (
        r"(?P<secret>\$\{\{[^}\n]*+\}\}|\"(?:[^\"\\\n]|\\.)*+\"?|'[^'\n]*+'?"
        rf"|[^\s\"',;&=<>|{not_first}][^\s\"',;&]*+)"
    )


_VALUE = _value()
_TOKEN_START = r"(?<![A-Za-z0-9_-])"
_TOKEN_END = r"(?![A-Za-z0-9_-])"
_PRIVATE_KEY_HEADER = r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"

SECRET_RULES: tuple[SecretRule, ...] = (
    # A private key on one line (JSON "\n" escapes, or a header followed by the key). Keys that
    # span lines are handled by the line-by-line redactor, which uses the same header.
    SecretRule(
        "private-key",
        _PRIVATE_KEY_HEADER + r"(?P<secret>(?:[^-]|-(?!----))++)",
        ("private key",),
    ),
    SecretRule(
        "aws-access-key",
        _TOKEN_START + r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)"
        r"[A-Z0-9]{16}" + _TOKEN_END,
        ("akia", "asia", "abia", "acca", "agpa", "aida", "aipa", "anpa", "anva", "apka", "aroa",
         "asca"),
    ),
    SecretRule(
        "aws-secret-key",
        r"(?i:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)"
        r"[\"']?\s*+[:=]\s*+[\"']?(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        ("secret",),
    ),
    SecretRule("gcp-api-key", _TOKEN_START + r"AIza[0-9A-Za-z_-]{35}" + _TOKEN_END, ("aiza",)),
    SecretRule(
        "azure-connection-string",
        r"(?i:AccountKey|SharedAccessKey|SharedAccessSignature)=(?P<secret>[^;\"'\s]++)",
        ("accountkey", "sharedaccess"),
    ),
    SecretRule(
        "azure-sas-signature",
        r"[?&;]sig=(?P<secret>[A-Za-z0-9%+/=_-]{16,}+)",
        ("sig=",),
    ),
    SecretRule(
        "github-token",
        _TOKEN_START + r"(?:gh[pousr]_[A-Za-z0-9]{36,}+|github_pat_[A-Za-z0-9_]{22,}+)",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    SecretRule(
        "gitlab-token",
        _TOKEN_START + r"(?:glpat|gldt|glrt|glptt|glcbt|glft|glsoat)-[A-Za-z0-9_-]{20,}+",
        ("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glft-", "glsoat-"),
    ),
    SecretRule(
        "slack-token",
        _TOKEN_START + r"(?:xox[abposre]-[A-Za-z0-9-]{10,}+|xapp-\d-[A-Za-z0-9-]{10,}+)",
        ("xox", "xapp-"),
    ),
    SecretRule(
        "slack-webhook",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[A-Za-z0-9/_-]++)",
        ("hooks.slack.com",),
    ),
    SecretRule(
        "stripe-key",
        _TOKEN_START + r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}+",
        ("sk_live_", "sk_test_", "rk_live_", "rk_test_"),
    ),
    SecretRule("npm-token", _TOKEN_START + r"npm_[A-Za-z0-9]{36,}+", ("npm_",)),
    SecretRule("pypi-token", _TOKEN_START + r"pypi-AgE[A-Za-z0-9_-]{20,}+", ("pypi-age",)),
    SecretRule(
        "jwt",
        _TOKEN_START + r"eyJ[A-Za-z0-9_-]{8,}+\.eyJ[A-Za-z0-9_-]{8,}+\.[A-Za-z0-9_-]*+",
        ("eyj",),
    ),
    # scheme://user:password@host keeps the user and the host. The password runs to the last
    # "@" before the path, so an unescaped "@" in it does not leak the rest.
    SecretRule(
        "url-password",
        r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s:/@]*+:(?P<secret>[^\s/]*)@",
        ("://",),
    ),
    SecretRule(
        "auth-header",
        r"(?i:\b(?:proxy-)?authorization)[\"']?\s*+[:=]\s*+[\"']?"
        r"(?:(?i:bearer|basic|token|digest|bot|negotiate|ntlm|apikey|sso-key)\s++)?"
        r"(?P<secret>[^\s\"',;]++)",
        ("authorization",),
    ),
    SecretRule(
        "bearer-token",
        r"(?i:\bbearer)\s++(?P<secret>[A-Za-z0-9._~+/-]{8,}+=*+)(?![\w=])",
        ("bearer",),
    ),
    SecretRule(
        "basic-auth-flag",
        r"(?<!\S)(?:-u|--user)(?:\s++|=)[\"']?[^\s:'\"\[]++:(?P<secret>[^\s'\"]++)",
        ("-u", "--user"),
    ),
    # key=value in env dumps, CLI flags, .ini/.properties, Python kwargs, query strings.
    SecretRule("secret-assignment", _KEY + _KEY_END + r"[\"']?[ \t]*+=[ \t]*+" + _VALUE,
               _KEY_KEYWORDS),
    # "key": value in JSON and Python reprs.
    SecretRule(
        "secret-quoted-key",
        r"(?<!\w)[\"'][\w.-]*+" + _KEY_END + r"[\"'][ \t]*+:[ \t]*+" + _VALUE,
        _KEY_KEYWORDS,
    ),
    # key: value in YAML (at the start of a line) and headers such as "X-Api-Key: ...".
    SecretRule(
        "secret-yaml-key",
        r"^[ \t]*+(?:-[ \t]++)?[\w.-]*+" + _KEY_END + r"[ \t]*+:[ \t]++" + _VALUE,
        _KEY_KEYWORDS,
    ),
    SecretRule(
        "secret-compound-key",
        _KEY + _COMPOUND_KEY_END + r"[ \t]*+:[ \t]++" + _VALUE,
        _KEY_KEYWORDS,
    ),
    # --password hunter2 / -token abc (a value that is not another flag).
    SecretRule(
        "secret-flag",
        r"(?<!\S)--?[\w-]*+" + _KEY_END + r"[ \t]++" + _value(not_first="-"),
        _KEY_KEYWORDS,
    ),
    SecretRule(
        "secret-xml",
        r"<[\w.-]*+" + _KEY_END + r">(?P<secret>[^<\s][^<]*+)<",
        _KEY_KEYWORDS,
    ),
)

PRIVATE_KEY_BEGIN = _PRIVATE_KEY_HEADER
PRIVATE_KEY_END = r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
# Inside a private-key block: base64 lines, PEM header lines and blank lines, indented or not;
# or a long base64 line after one prefix token (a CI timestamp). Anything else ends the block
# (a key cut short), so the log that follows is not lost.
_PEM_HEADER = r"(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset|MessageID): .*"
PRIVATE_KEY_BODY_LINE = (
    r"(?P<lead>[ \t]*+)(?P<body>[A-Za-z0-9+/=]++|" + _PEM_HEADER + r"|\[REDACTED:private-key\])?"
    r"[ \t]*+"
)
PRIVATE_KEY_PREFIXED_BODY_LINE = (
    r"(?P<lead>[ \t]*+\S++[ \t]++)(?P<body>[A-Za-z0-9+/=]{16,}+|\[REDACTED:private-key\])[ \t]*+"
)

# Values that are not secrets: already redacted, masked by CI, or a placeholder.
PLACEHOLDER_PATTERN = (
    r"\[REDACTED:[a-z-]++\]|\*{3,}|[xX]{3,}|•{3,}|\.{3}"
    r"|\$\{?[A-Z_][A-Z0-9_]*+\}?|\$\{\{.*\}\}|\{\{.*\}\}|<[^<>]*+>|%\(?\w*+\)?s"
    r"|(?i:null|none|nil|true|false|undefined|required|optional)"
)
