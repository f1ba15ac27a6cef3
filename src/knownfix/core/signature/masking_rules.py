"""The masking rules of normalization: named, ordered data (Sentry-style).

Each rule is one regular expression; ``normalize`` joins them, in this order, into one
alternation with a named group per rule and compiles it once. At any position the first rule
that matches wins, so specific shapes come before general ones (UUID before hex before number).

A replacement may refer to the rule's own named groups as ``\\g<name>`` (rewritten per rule when
compiled); a replacement of exactly ``\\g<0>`` makes a *keep* rule that protects its text from
later rules and is not reported as masking.

Linear time: every unbounded repetition is possessive or starts only at the beginning of a run
(a lookbehind forbids starting inside one), so no input makes a rule rescan text many times.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MaskRule:
    """One masking rule: a name, a regex (Python ``re`` syntax) and its replacement.

    ``starts`` says where a match can begin, for speed only: ``d`` a digit, ``w`` another word
    character (both with no word character before), ``p`` a non-word character. The default
    (all three) is always correct; a narrower one lets the joined regex skip the rule elsewhere.
    No rule may begin between two word characters.
    """

    name: str
    pattern: str
    replacement: str
    starts: str = "dwp"
    since: str = ""  # the fingerprint strategy that added it (``versions``); "" = always
    until: str = ""  # the strategy that retired it


KEEP = r"\g<0>"

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_TZ = r"(?:Z|[+-]\d{2}:?\d{2}|\s?UTC|\s?GMT)"
_HEX4 = r"[0-9a-fA-F]{1,4}"
_IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_ISO_DATETIME = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?" + _TZ + "?"
_SEP = r"(?P<s>\s+|\s*[:=]\s*)"


def _hex(count: int) -> str:
    return f"[0-9a-fA-F]{{{count}}}"


# Source file extensions whose ``:line[:col]`` suffix is a location, not a port or a time.
FILE_EXTENSIONS = (
    "asm", "bash", "c", "cc", "cfg", "cjs", "clj", "cmake", "cpp", "cr", "cs", "css", "cts",
    "cxx", "dart", "erl", "ex", "exs", "fs", "go", "gradle", "groovy", "h", "hh", "hpp", "hs",
    "html", "ini", "java", "jl", "js", "json", "jsx", "kt", "kts", "less", "lua", "m", "md",
    "mjs", "mk", "ml", "mm", "mts", "nim", "php", "pl", "pm", "proto", "ps1", "pxd", "py", "pyi",
    "pyx", "r", "rb", "rs", "rst", "s", "sass", "scala", "scss", "sh", "sql", "svelte", "swift",
    "tf", "toml", "ts", "tsx", "txt", "vb", "vue", "xml", "yaml", "yml", "zig",
)
_EXT_ALT = "|".join(sorted(FILE_EXTENSIONS, key=lambda e: (-len(e), e)))
_EXT = "(?P<ext>" + _EXT_ALT + ")"

MASK_RULES: tuple[MaskRule, ...] = (
    # Keep what is already masked (by us or by redaction): normalization must be idempotent.
    MaskRule("redacted", r"\[REDACTED:[a-z0-9-]{1,60}\]", KEEP, starts="p"),
    MaskRule("mask", r"<[a-z]{1,20}>", KEEP, starts="p"),
    # Travis CI's fold and timing markers are markup, not output; they are glued to whatever a
    # step printed last without a newline (``>travis_time:end:…``), in some runs and not others.
    MaskRule("travis-marker", r"\btravis_(?:fold|time):(?:start|end):[\w.:=,-]*+", "",
             starts="w", since="2026-12-13"),
    # URLs: credentials and query strings vary; scheme, host and path stay readable.
    MaskRule("url-userinfo", r"(?<=://)[^\s/@:]{1,256}(?::[^\s/@]{0,256})?@", "<user>@"),
    MaskRule("url-query", r"(?<=[\w/])\?[\w.~%+-]++=[^\s\"'<>()\[\]{}]*+", "?<query>", starts="p"),
    MaskRule("uuid", r"\b" + _hex(8) + "-" + _hex(4) + "-" + _hex(4) + "-" + _hex(4)
             + "-" + _hex(12) + r"\b", "<uuid>", starts="dw"),
    # Dates and times anywhere in a line (a leading timestamp is stripped before masking).
    MaskRule("iso-datetime", r"\b" + _ISO_DATETIME + r"\b", "<ts>", starts="d"),
    MaskRule(
        "rfc2822-datetime",
        r"\b" + _WEEKDAY + r",?\s+\d{1,2}\s+" + _MONTH + r"\s+\d{4}\s+\d{2}:\d{2}:\d{2}"
        r"(?:\s+(?:GMT|UTC|[+-]\d{4}))?\b",
        "<ts>",
        starts="w",
    ),
    MaskRule(
        "syslog-datetime",
        r"\b(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+\d{1,2},?\s+(?:\d{4}\s+)?"
        r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:\s+(?:UTC|GMT|[A-Z][SD]T))?(?:\s+\d{4})?\b",
        "<ts>",
        starts="w",
    ),
    MaskRule(
        "date",
        r"\b(?:19|20)\d{2}(?P<sep>[-/.])\d{1,2}(?P=sep)\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b",
        "<date>",
        starts="d",
    ),
    MaskRule("time", r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\b", "<time>", starts="d"),
    # A time or number glued to an escape sequence of a quoted string ("\n12:58:38.506 [info]",
    # "\t42"): the escape's letter keeps the digits inside a word, where no other rule begins.
    MaskRule("escaped-time", r"(?<=\\)(?P<e>[nrt])\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\b",
             r"\g<e><time>", starts="w", since="2026-12-08"),
    MaskRule("escaped-number", r"(?<=\\)(?P<e>[nrt])\d++(?:[.,]\d++)*+\b", r"\g<e><num>",
             starts="w", since="2026-12-08"),
    # Memory addresses before other hex: Python reprs, Go frames, C pointers.
    MaskRule("mem-addr", r"\b0x[0-9a-fA-F]{6,16}\b", "<addr>", starts="d"),
    MaskRule("hex-literal", r"\b0x[0-9a-fA-F]++\b", "<hex>", starts="d"),
    MaskRule("mac", r"\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b", "<mac>", starts="dw"),
    MaskRule(
        "ipv6",
        r"(?<![\w:.>])(?=[a-fA-F:]*+\d)(?:(?:" + _HEX4 + r":){7}" + _HEX4
        + "|(?:" + _HEX4 + "(?::" + _HEX4 + "){0,6})?::(?:" + _HEX4 + "(?::" + _HEX4 + r"){0,6})?)"
        r"(?![\w:<]|\.[\d<])",
        "<ip>",
    ),
    MaskRule("ipv4-port", r"(?<![\w.>])" + _IPV4 + r":\d{1,5}\b", "<ip>:<port>", starts="d"),
    MaskRule("ipv4", r"(?<![\w.>])" + _IPV4 + r"(?!\.?[\w<])", "<ip>", starts="d"),
    MaskRule("email-2026-12-10", r"(?<![\w.+>-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+\b", "<email>",
             until="2026-12-11"),
    # … whose domain ends in a name: "react@17.0.2", "left-pad@^1.3.0" and Go's "x/y@v1.2.3" are
    # a package at a version (what an npm ERESOLVE or a go.mod failure is about), not an address.
    MaskRule("email", r"(?<![\w.+>-])[\w.+-]++@(?:[\w-]++\.(?=[\w-]))++[A-Za-z][\w-]*+\b",
             "<email>", since="2026-12-11"),
    # Locations in source files: ``foo.py:12:5``, ``Foo.java:42``, ``Foo.cs(12,5)``.
    MaskRule(
        "file-line-col", r"(?<=\w)\." + _EXT + r":\d+:\d+\b", r".\g<ext>:<line>:<col>", starts="p"
    ),
    MaskRule("file-line", r"(?<=\w)\." + _EXT + r":\d+\b", r".\g<ext>:<line>", starts="p"),
    MaskRule(
        "file-line-paren", r"(?<=\w)\." + _EXT + r"\(\d+(?:,\d+)?\)", r".\g<ext>(<line>)",
        starts="p",
    ),
    MaskRule("line-word", r"\b(?P<w>[Ll]ine|LINE)" + _SEP + r"\d+\b", r"\g<w>\g<s><line>",
             starts="w"),
    MaskRule("column-word", r"\b(?P<w>[Cc]ol(?:umn)?)" + _SEP + r"\d+\b", r"\g<w>\g<s><col>",
             starts="w"),
    MaskRule("port-word", r"\b(?P<w>[Pp]ort)" + _SEP + r"\d{1,5}\b", r"\g<w>\g<s><port>",
             starts="w"),
    MaskRule(
        "host-port",
        r"(?<![\w.>-])(?P<host>localhost|(?:[\w-]++\.)+(?!(?:" + _EXT_ALT + r"):)[A-Za-z]{2,})"
        r":\d{2,5}\b",
        r"\g<host>:<port>",
    ),
    # Numbers that name the failure, not the run: exit codes, HTTP statuses, errno.
    MaskRule(
        "status-code",
        r"\b(?:(?:exit(?:ed)?(?:\s+with)?(?:\s+(?:code|status))?|exit_code|return(?:ed)?\s+code"
        r"|returncode|status(?:\s+code)?|status_code|HTTP(?:/\d(?:\.\d)?)?|[Ee]rrno|error\s+code)"
        r"[\s:=]*|\[Errno\s+)\d{1,3}\b",
        KEEP,
        starts="wp",
    ),
    MaskRule(
        "encoding-name",
        r"(?i:\b(?:utf|ucs|iso|sha|cp|latin|windows|x86|arm|base|rfc|ecma)-\d+(?:-\d+)?\b)",
        KEEP,
        starts="w",
    ),
    # A quoted value that ends in a generated number: KeyError: 'user_123'.
    MaskRule(
        "quoted-suffix",
        r"(?<=['\"`])(?P<p>[A-Za-z][\w.-]*?_)\d+(?=['\"`])",
        r"\g<p><num>",
        starts="w",
    ),
    MaskRule("test-param", r"\b(?P<t>[Tt]est\w*)\[[^\[\]\s]*+\]", r"\g<t>[<param>]", starts="w",
             until="2026-12-09"),
    MaskRule(
        "temp-name",
        r"\b(?:tmp[a-z0-9_]{8}|tmp(?=[a-z_]*+\d)[a-z0-9_]{6,12}|tmp\.[A-Za-z0-9]{6,12}"
        r"|pytest-of-[\w.-]++|pytest-\d+|popen-gw\d+|tmp-\d+-\w+)\b",
        "<tmp>",
        starts="w",
    ),
    # Directories vary between machines (home, checkout, temp); the basename stays.
    MaskRule(
        "path-unix",
        r"(?<![\w.:~/\\<>@$%+-])(?:~|\$HOME|\$\{HOME\}|[A-Za-z]:)?(?:/[\w.@+~%,=-]++)+/",
        "<path>/",
        starts="wp",
    ),
    MaskRule(
        "path-windows",
        r"(?<![\w\\/>])[A-Za-z]:\\(?:[^\\/\s\"'<>|:*?]++\\)*",
        "<path>\\",
        starts="w",
    ),
    MaskRule(
        "k8s-pod",
        r"(?<![\w>-])(?P<n>[a-z][a-z0-9]*+(?:-[a-z][a-z0-9]*+)*)-[a-f0-9]{8,10}-[a-z0-9]{5}\b",
        r"\g<n>-<pod>",
        starts="w",
    ),
    MaskRule(
        "duration",
        r"\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)){0,3}\b"
        r"|\b\d+(?:\.\d+)?\s?(?:milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)\b",
        "<duration>",
        starts="d",
    ),
    # "1.14 s", "30 μs" (gulp, tasks that time themselves): a unit after a space
    MaskRule("duration-spaced", r"\b\d+(?:\.\d+)?\s(?:ns|us|µs|μs|ms|s)\b", "<duration>",
             starts="d", since="2026-12-07"),
    MaskRule("size", r"\b\d+(?:\.\d+)?\s?(?:[KMGTPE]i?B|[kKMG]b|bytes?)\b", "<size>", starts="d"),
    MaskRule("size-bytes", r"\b\d+(?:\.\d+)?\sB\b", "<size>", starts="d", since="2026-12-07"),
    MaskRule(
        "version",
        r"(?<![\w.>])v?\d+(?:\.\d+){2,3}(?:[-.]?(?:a|b|rc|alpha|beta|dev|post|pre|SNAPSHOT)\d*)?\b",
        "<version>",
        starts="dw",
    ),
    # Hex ids need a letter and a digit: "deadbeef" and "1234567" are words and numbers.
    MaskRule("hex-id", r"\b(?=[0-9]*+[a-f])(?=[a-f]*+\d)[0-9a-f]{7,}+\b", "<hex>", starts="dw"),
    MaskRule(
        "hex-id-upper", r"\b(?=[0-9]*+[A-F])(?=[A-F]*+\d)[0-9A-F]{8,}+\b", "<hex>", starts="dw"
    ),
    # Opaque generated ids (request ids, random tokens): long, mixed case, several digits.
    MaskRule(
        "opaque-id-2026-12-08",
        r"\b(?=[A-Z0-9]*+[a-z])(?=[a-z0-9]*+[A-Z])(?=(?:[A-Za-z]*+\d){2})[A-Za-z0-9]{16,}+\b",
        "<id>",
        starts="dw",
        until="2026-12-09",
    ),
    # … but not a camel-case name with a number or two in it (``TestParseRFC3339Nano``,
    # ``shouldDecodeBase64Input2``): two capitalised words and at most two runs of digits name a
    # test or a function; a random token of that length has them a few times in a hundred.
    MaskRule(
        "opaque-id",
        r"\b(?=[A-Z0-9]*+[a-z])(?=[a-z0-9]*+[A-Z])(?=(?:[A-Za-z]*+\d){2})"
        r"(?!(?=(?:[A-Za-z]*+\d++){1,2}[A-Za-z]*+\b)"
        r"(?:(?:[a-z0-9]++|[A-Z](?![a-z]{3}))*+[A-Z][a-z]{3}){2})"
        r"[A-Za-z0-9]{16,}+\b",
        "<id>",
        starts="dw",
        since="2026-12-09",
    ),
    MaskRule("number", r"\b\d++(?:[.,]\d++)*\b", "<num>", starts="d"),
)

# Removed, not masked: colour codes and terminal controls never carry meaning.
ANSI_PATTERN = (
    r"\x1b\[[0-?]*+[ -/]*+[@-~]"  # CSI: colours, cursor moves, erase line
    r"|\x1b\][^\x07\x1b]*+(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x1b"
)
CONTROL_PATTERN = r"[\x00-\x08\x0b-\x1f\x7f]+"
# Colour codes whose ESC byte was lost (copied logs, some CI exports): "[31mFAILED[0m". They
# become a space, not nothing, so that removing one never joins its neighbours into another.
ORPHAN_ANSI_PATTERN = r"\[[0-9;]{0,12}[mK](?!\])"

# Stripped from the start of a line, several in a row (CI prefix, then the app's own stamp).
LEADING_TIMESTAMP_PATTERN = (
    r"\A\s*+(?:(?:"
    + _ISO_DATETIME  # ISO 8601, GitHub Actions
    + r"|\d{4}/\d{2}/\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"  # Go log
    r"|(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"
    r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?"  # bare time
    r"|\[[^\]\n]{0,40}?\d{1,2}:\d{2}(?::\d{2})?[^\]\n]{0,20}\]"  # [12:01:02], [2024-... ...]
    r"|\[\s*\d+\.\d+\]"  # dmesg [   12.345678]
    r")(?:\s++|\Z|(?=\W)))++"
)
