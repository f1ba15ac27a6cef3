"""knownfix's own secret rules, and the shape of the provider rules taken from gitleaks.

Two kinds of rules, both named, ordered data:

* :data:`SECRET_RULES`, written here in Python ``re`` syntax: secrets recognised by where they
  stand rather than by their provider (passwords in URLs, ``Authorization`` headers, bearer
  tokens, ``curl -u``, ``docker login -p``, cookies, private keys, JWTs, ``key = value`` in env
  dumps, CLI flags, JSON, YAML and XML), and well-known token prefixes matched leniently
  (a ``ghp_`` token of an unexpected length is still a token). Unbounded repetitions are
  possessive and a rule starts only where a token starts, so no input makes a rule rescan text.
* :class:`ProviderRule` rules, generated from gitleaks' rule set into
  :mod:`knownfix.core.secrets.provider_rules` (RE2 syntax, linear time by construction).

When a rule has a group named ``secret`` (own rules) or a capture group (provider rules), only
that part is replaced, so context stays readable (``password=[REDACTED:secret-assignment]``).
``keywords`` are lower-case substrings of which every match holds at least one: a line with
none of a rule's keywords is never given to that rule's regex.

A rule with a group named ``key`` is a *keyed* rule: its regex finds every ``key = value``
shape, and the key decides (:mod:`knownfix.core.secrets.secret_keys`): a key that ends with a
secret word (``DB_PASSWORD``, ``_authToken``) masks any value but a placeholder; a key that only
holds one (``GITHUB_TOKEN_RW``, ``SECRET_KEY_BASE``, ``x-api-key-prod``) masks a value only when
it looks random (length, character classes, entropy); any other key masks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecretRule:
    """One own rule: a name (the label in ``[REDACTED:name]``), a regex, its keywords."""

    name: str
    pattern: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ProviderRule:
    """One rule converted from gitleaks (RE2 syntax); see ``scripts/generate_provider_rules.py``.

    The secret is group ``secret_group``, else the first non-empty group, else the whole match
    (always the whole match with ``whole_match``). A secret whose Shannon entropy is at most
    ``entropy`` is not one; nor is one matched by an ``allow_*`` regex (tested against the
    secret, the whole match or the line) or holding a stop word.
    """

    name: str
    regex: str
    keywords: tuple[str, ...]
    entropy: float = 0.0
    secret_group: int = 0
    whole_match: bool = False
    allow_secret: tuple[str, ...] = ()
    allow_match: tuple[str, ...] = ()
    allow_line: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()


# Every keyed rule's line holds one of these (see the keyword prefilter of SecretRule).
_KEY_KEYWORDS = (
    "pass", "secret", "token", "key", "pwd", "auth", "cred", "private", "signature", "session",
    "sid",
)


# ---- value grammar ------------------------------------------------------------------------
# A value: a CI expression ``${{ ... }}``; a quoted string (escapes allowed; the closing quote
# optional, so that a cut line still redacts); or bare text up to white space. Bare text is the
# secret *whole*, whatever punctuation it holds (``Tr0ub4dor&3xyz``): ``&``, ``;`` and ``,``
# end it only when the next ``key=`` follows (a query string, a connection string) or white
# space does, and a quote ends it only where a quoted string around it closes.
_SEPARATOR_INSIDE = r"[&;,](?![\w.\[\]-]*+=|\s)"
_QUOTE_INSIDE = r"[\"'](?![\s,;)\]}]|$)"
# A terminal colour code or an escaped line end (``\n`` in a JSON string) ends a value too.
_BACKSLASH_INSIDE = r"\\(?![nrt])"


def _value(not_first: str = "") -> str:
    return (
        r"(?P<secret>\$\{\{[^}\n]*+\}\}|\"(?:[^\"\\\n]|\\.)*+\"?|'[^'\n]*+'?"
        rf"|[^\s\"',;&=<>|\x1b\\{not_first}]"
        rf"(?:[^\s\"'&;,\x1b\\]|{_SEPARATOR_INSIDE}|{_QUOTE_INSIDE}|{_BACKSLASH_INSIDE})*+)"
    )


_VALUE = _value()
_KEY = r"(?<![\w.-])(?P<key>[\w.-]*+)"  # a whole key, consumed without backtracking
_TOKEN_START = r"(?<![A-Za-z0-9_-])"
_TOKEN_END = r"(?![A-Za-z0-9_-])"
_PRIVATE_KEY_HEADER = r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"

# Tokens whose prefix names their provider, matched leniently (any length from a floor): the
# provider rules want exact lengths, and a token cut or grown by a provider must not leak.
PREFIXED_TOKENS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("github-token", r"gh[pousr]_[A-Za-z0-9_]{20,}+|github_pat_[A-Za-z0-9_]{20,}+",
     ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    ("gitlab-token",
     r"gl(?:pat|dt|rt|ptt|cbt|ft|soat|imt|agent|oas|ffct)-[A-Za-z0-9_.-]{20,}+", ("gl",)),
    ("slack-token", r"xox[abposre]-[A-Za-z0-9-]{10,}+|xapp-\d-[A-Za-z0-9-]{10,}+",
     ("xox", "xapp-")),
    ("stripe-key", r"[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,}+",
     ("k_live_", "k_test_", "k_prod_")),
    ("npm-token", r"npm_[A-Za-z0-9]{30,}+", ("npm_",)),
    ("pypi-token", r"pypi-AgE[A-Za-z0-9_-]{20,}+", ("pypi-age",)),
    ("openai-key", r"sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}+|sk-[A-Za-z0-9]{40,}+",
     ("sk-",)),
    ("anthropic-key", r"sk-ant-(?:api|admin|oat|ort|sid)\d\d-[A-Za-z0-9_-]{20,}+", ("sk-ant-",)),
    ("ai-provider-key",
     r"gsk_[A-Za-z0-9]{32,}+|xai-[A-Za-z0-9]{40,}+|r8_[A-Za-z0-9]{30,}+|pplx-[A-Za-z0-9]{40,}+",
     ("gsk_", "xai-", "r8_", "pplx-")),
    ("huggingface-token", r"hf_[A-Za-z0-9]{30,}+", ("hf_",)),
    ("vault-token", r"hv[sbr]\.[A-Za-z0-9_-]{20,}+", ("hvs.", "hvb.", "hvr.")),
    ("digitalocean-token", r"do[opr]_v1_[a-f0-9]{32,}+", ("_v1_",)),
    ("shopify-token", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32,}+", ("shp",)),
    ("square-token", r"sq0(?:atp|csp|idp)-[A-Za-z0-9_-]{20,}+", ("sq0",)),
    ("sendgrid-key", r"SG\.[A-Za-z0-9_-]{16,}+\.[A-Za-z0-9_-]{16,}+", ("sg.",)),
    ("twilio-key", r"SK[0-9a-f]{32}", ("sk",)),
    ("mailgun-key", r"(?:pub)?key-[0-9a-f]{32}", ("key-",)),
    ("terraform-token", r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{40,}+", (".atlasv1.",)),
    ("google-oauth-token", r"ya29\.[A-Za-z0-9_-]{20,}+|1//0[A-Za-z0-9_-]{30,}+",
     ("ya29.", "1//0")),
    ("discord-bot-token", r"[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}",
     (".",)),
    # In a URL the token follows "bot" with nothing between (api.telegram.org/bot<token>/).
    ("telegram-bot-token", r"(?:(?<=/bot)|(?<![A-Za-z0-9_-]))[0-9]{8,10}:AA[A-Za-z0-9_-]{33}",
     (":aa",)),
    ("docker-hub-token", r"dckr_pat_[A-Za-z0-9_-]{20,}+", ("dckr_pat_",)),
    ("braintree-token", r"access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}",
     ("access_token$",)),
)


def _prefixed_rules() -> tuple[SecretRule, ...]:
    return tuple(
        SecretRule(
            name,
            ("" if pattern.startswith("(?:(?<=") else _TOKEN_START) + f"(?:{pattern})" + _TOKEN_END,
            keywords,
        )
        for name, pattern, keywords in PREFIXED_TOKENS
    )


# Commands whose ``-p`` takes a password: registry and cluster logins (``docker login -u ci -p
# hunter2``, ``helm registry login``, ``crane auth login``), sshpass and twine. Elsewhere ``-p``
# is a port (``docker run -p 8080:80``) or a flag (``mkdir -p``).
_LOGIN_COMMANDS = (
    "docker", "podman", "buildah", "skopeo", "nerdctl", "oras", "helm", "crane", "regctl", "cf",
    "oc", "argocd", "az", "heroku", "singularity", "apptainer",
)
_PASSWORD_P_COMMANDS = ("sshpass", "twine")
_MYSQL_COMMANDS = ("mysql", "mysqladmin", "mysqldump", "mariadb", "mysqlimport", "mysqlcheck")


def _command(names: tuple[str, ...]) -> str:
    return r"(?<![\w.-])(?:" + "|".join(names) + r")(?![\w.-])"


# The order names a secret two rules find: the first of the provider rules, SECRET_RULES and
# FALLBACK_RULES that matches where it starts (a provider's name says the most).
SECRET_RULES: tuple[SecretRule, ...] = (
    # A private key on one line (JSON "\n" escapes, or a header followed by the key). Keys that
    # span lines are handled by the line-by-line redactor, which uses the same header.
    SecretRule(
        "private-key",
        _PRIVATE_KEY_HEADER + r"(?P<secret>(?:[^-]|-(?!----))++)",
        ("private key",),
    ),
    SecretRule(
        "aws-secret-key",
        r"(?i:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)"
        r"[\"']?\s*+[:=]\s*+[\"']?(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        ("secret",),
    ),
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
        "discord-webhook",
        r"(?i:discord(?:app)?\.com/api/webhooks/)\d++/(?P<secret>[A-Za-z0-9_-]++)",
        ("discord",),
    ),
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
    # docker login -u ci -p hunter2 (and the other commands whose -p is a password).
    SecretRule(
        "login-password",
        r"(?:" + _command(_LOGIN_COMMANDS) + r"(?:[ \t]++[\w-]++){0,2}?[ \t]++login(?![\w-])|"
        + _command(_PASSWORD_P_COMMANDS) + r")[^\n]{0,300}?(?<!\S)-p(?:[ \t]++|=)" + _value("-"),
        ("-p",),
    ),
    # mysql -uroot -phunter2: the password glued to -p.
    SecretRule(
        "mysql-password",
        _command(_MYSQL_COMMANDS) + r"[^\n]{0,300}?(?<!\S)-p(?P<secret>[^\s\-][^\s]*+)",
        ("mysql", "mariadb"),
    ),
    # Set-Cookie: session=...; Path=/ masks the cookie's value (attributes stay); a Cookie
    # header masks every value it sends.
    SecretRule(
        "cookie",
        r"(?i:\bset-cookie)[\"']?[ \t]*+:[ \t]*+[^=;\s]++=(?P<secret>[^;\s]++)",
        ("set-cookie",),
    ),
    # A Cookie header: at the start of a line (after curl's "> "), in -H "Cookie: ...", or
    # "Cookie:" as HTTP spells it anywhere ("Array cookie: ac" is a test's prose).
    SecretRule(
        "cookie-header",
        r"(?:(?:^[ \t>*]*+|-H[ \t]*+[\"']?|[\"'])(?i:cookie)|(?<![\w-])Cookie)[\"']?[ \t]*+:[ \t]*+"
        r"(?P<secret>[^=;\s\"'](?:[^\r\n\"']|[\"'](?![\s,;)]|$))*+)",
        ("cookie",),
    ),
    # ~/.netrc: machine github.com login ci password hunter2
    SecretRule(
        "netrc-password",
        r"(?<![\w-])machine[ \t]++\S++[^\n]{0,300}?(?<!\S)password[ \t]++(?P<secret>\S++)",
        ("machine",),
    ),
    SecretRule(
        "cookie-flag",
        r"(?<!\S)--cookie(?:[ \t]++|=)" + _value("-"),
        ("--cookie",),
    ),
)
FALLBACK_RULES: tuple[SecretRule, ...] = (
    *_prefixed_rules(),
    # key=value in env dumps, CLI flags, .ini/.properties, Python kwargs, query strings.
    SecretRule("secret-assignment", _KEY + r"[\"']?[ \t]*+:?=[ \t]*+" + _VALUE, _KEY_KEYWORDS),
    # "key": value in JSON, Python reprs; 'key' => value in Ruby and PHP.
    SecretRule(
        "secret-quoted-key",
        r"(?<!\w)[\"'](?P<key>[\w.-]*+)[\"'][ \t]*+(?::|=>)[ \t]*+" + _VALUE,
        _KEY_KEYWORDS,
    ),
    # key: value in YAML (at the start of a line) and headers such as "X-Api-Key: ...".
    SecretRule(
        "secret-yaml-key",
        r"^[ \t]*+(?:-[ \t]++)?(?P<key>[\w.-]*+)[ \t]*+:[ \t]++" + _VALUE,
        _KEY_KEYWORDS,
    ),
    # key: value in the middle of a line: only a compound key (see key_strength).
    SecretRule(
        "secret-compound-key",
        _KEY + r"[ \t]*+:[ \t]++" + _VALUE,
        _KEY_KEYWORDS,
    ),
    # --password hunter2 / -token abc (a value that is not another flag).
    SecretRule(
        "secret-flag",
        r"(?<!\S)--?(?P<key>[\w-]*+)[ \t]++" + _value(not_first="-"),
        _KEY_KEYWORDS,
    ),
    # aws configure set aws_secret_access_key ..., git config credential.password ...
    SecretRule(
        "secret-config-set",
        r"(?i:\bconfig(?:ure)?(?:[ \t]++|:)set|\bgit[ \t]++config)[ \t]++(?:--?[\w-]++[ \t]++)*+"
        r"(?P<key>[\w.:/-]++)(?:[ \t]++|=)" + _VALUE,
        _KEY_KEYWORDS,
    ),
    SecretRule(
        "secret-xml",
        r"<(?P<key>[\w.-]*+)>(?P<secret>[^<\s][^<]*+)<",
        _KEY_KEYWORDS,
    ),
)
COMPOUND_ONLY = frozenset({"secret-compound-key"})
"""Keyed rules whose key must be compound (see :func:`key_strength`)."""

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

LABEL_PATTERN = r"\[REDACTED:[a-z0-9-]++\]"
# Values that are not secrets: already redacted, masked by CI, or a placeholder.
PLACEHOLDER_PATTERN = (
    LABEL_PATTERN + r"|\*{3,}|[xX]{3,}|•{3,}|\.{3}|\[secure\]|\[MASKED\]|\[FILTERED\]"
    r"|\$\{?[A-Za-z_][A-Za-z0-9_]*+\}?|\$\{\{.*\}\}|\{\{.*\}\}|<[^<>]*+>|%\(?\w*+\)?s"
    r"|%[A-Za-z_][A-Za-z0-9_]*+%"
    r"|(?i:null|none|nil|true|false|undefined|required|optional)"
)
