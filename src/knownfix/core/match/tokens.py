"""Terms for matching: log lines and doc text cut into comparable, variable-free tokens.

Both sides (a known issue's prose and a raw log line) go through the same function so that
``Can't find revision f5ae8e59ef66`` and ``Can't locate revision identified by 'abc123'`` share
``find`` and ``revision``. What varies between occurrences (numbers, hex ids, UUIDs, hashes) never
becomes a term; what identifies a failure (exception types, error codes such as ``E0308``,
``TS2322``, ``ERESOLVE``, ``WinError 5``) becomes a *special* term that carries extra weight.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from knownfix.core.signature.normalize import normalize_line

# Line ends as the interface contract counts them: \r\n, \n and a lone \r (DESIGN §6).
_LINE_END = re.compile(r"\r\n|\r|\n")

# Bounds that keep matching linear and small on hostile input (a 1 GB line, a million lines).
MAX_LINE_CHARS = 2_000
MAX_LINES = 2_000

# --- special terms: error codes and exception types -------------------------------------------
# Compiler / linter / scanner codes: E0308 (rustc), TS2322 (tsc), B301 (bandit), SC2086, CS0246.
_CODE_ALNUM = re.compile(r"(?<![A-Za-z0-9_-])([A-Z]{1,4}\d{3,5})(?![A-Za-z0-9_])")
# errno / npm codes written as words: ENOSPC, ERESOLVE, EACCES, ECONNREFUSED, ELIFECYCLE. A
# closed family rather than "any word in capitals starting with E" (ENDING, EXPIRED are words).
_CODE_ERRNO = re.compile(
    r"(?<![A-Za-z0-9_])(E(?:NO[A-Z]{2,12}|ACCES|ADDR[A-Z]{4,8}|CONN[A-Z]{5,8}|PERM|RESOLVE"
    r"|LIFECYCLE|TIMEDOUT|INTEGRITY|TARGET|EXIST|ISDIR|PIPE|AGAIN|BADF|BUSY|INVAL|MFILE|NFILE"
    r"|ROFS|XDEV|HOSTUNREACH|NETUNREACH|ALREADY|INPROGRESS|MSGSIZE|OVERFLOW|NAMETOOLONG|LOOP"
    r"|FBIG|PROTO|JSONPARSE|USAGE|BADENGINE|BADPLATFORM|OVERRIDE|AUTH|OTP|PEERINVALID"
    r"|MISSINGSCRIPT|SOCKETTIMEDOUT|HOSTDOWN|TXTBSY|DQUOT|REMOTEIO|STALE|CANCELED|AI_AGAIN))"
    r"(?![A-Za-z0-9_])"
)
# Numbered OS errors: [WinError 5], [Errno 28], CWE-502.
_CODE_NUMBERED = re.compile(r"\b(WinError|Errno|CWE)[\s-]?(\d{1,5})\b", re.IGNORECASE)
# Windows HRESULT / NTSTATUS failures: 32 bits with the severity bit set (0x80070490,
# 0x8A15000F, 0xC0000005). The number is the message: winget, MSIX and the NT kernel print it.
_CODE_HRESULT = re.compile(r"(?<![A-Za-z0-9_])0[xX]([89A-Fa-f][0-9A-Fa-f]{7})(?![A-Za-z0-9_])")
# Exit statuses above 125 name a signal or a shell condition (137 = SIGKILL, 127 = not found);
# small ones (1, 2) say nothing about which failure it was.
_CODE_EXIT = re.compile(
    r"\bexit(?:ed)?\s+(?:code|status|with(?:\s+code)?)[:= ]*(1[2-9]\d|2[0-5]\d)\b", re.IGNORECASE
)
# Prefixes that look like codes but name encodings, hashes or standards, not failures.
_NOT_CODE_PREFIX = ("SHA", "MD", "UTF", "ISO", "RFC", "HTTP", "TLS", "SSL", "AES", "RSA", "CP",
                    "AVX", "PEP", "X", "UCS", "IPV", "TCP", "UDP", "CVE", "GHSA", "PR", "ID")
_EXC_SUFFIX = ("Error", "Exception", "Warning", "Exit", "Interrupt", "Fault", "Failure")
# Exception type names: AttributeError, java.lang.NullPointerException, SAWarning; qualified
# names from an ``exc`` / ``exceptions`` module also count (sqlalchemy.exc.MissingGreenlet).
_EXC_TYPE = re.compile(
    r"(?<![A-Za-z0-9_])([A-Z][A-Za-z0-9]*(?:" + "|".join(_EXC_SUFFIX) + r"))(?![A-Za-z0-9_])"
)
_NOT_EXC_TYPE = frozenset((*_EXC_SUFFIX, "WinError"))
_EXC_PLURAL = re.compile(
    r"(?<![A-Za-z0-9_])([A-Z][A-Za-z0-9]+(?:Error|Exception))s(?![A-Za-z0-9_])"
)
_EXC_QUALIFIED = re.compile(r"\b(?:exc|exceptions|errors)\.([A-Z][A-Za-z0-9]+)\b")

# --- ordinary words ----------------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Plural acronyms (CVEs, IDs, URLs) are one word, not a CamelCase pair.
_ACRONYM_PLURAL = re.compile(r"^([A-Z]{2,})s$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_HAS_DIGIT = re.compile(r"\d")
# Contractions, expanded in place before anything else.
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), repl)
    for pattern, repl in (
        (r"\bcan['’]?t\b", "cannot"),
        (r"\bwon['’]t\b", "will not"),
        (r"n['’]t\b", " not"),
    )
)
# Phrases different tools use for one idea, folded into one term so paraphrases meet. The words
# as written stay the surface of that term, so reasons still say "locate/find".
_CONCEPTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), repl)
    for pattern, repl in (
        (r"\btime[sd]?[\s-]+out\b", "timeout"),
        (r"\b(?:does|do|did)\s+not\s+match\b", "mismatch"),
        (r"\bout\s+of\s+memory\b", "oom memory"),
        (r"\bsegmentation\s+fault\b|\bcore\s+dumped\b", "segfault"),
        # "Can't find", "can't locate", "not found", "no such": one idea, *missing*.
        (r"\b(?:cannot|not|unable\s+to|failed\s+to)\s+(?:be\s+)?(?:find|found|locate|located)\b",
         "missing"),
        (r"\bi/o\b", "inputoutput"),  # "i/o timeout": single letters are never terms
        (r"\bno\s+such\b", "missing"),
        (r"\bdoes\s+not\s+exist\b", "missing"),
    )
)
# The messages operating systems print for errno codes: a doc that says "address already in
# use" and a log that says EADDRINUSE name one failure. The words stay terms as well.
_ERRNO_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), code)
    for pattern, code in (
        (r"\baddress\s+already\s+in\s+use\b|\bport\s+(?:is\s+)?already\s+in\s+use\b",
         "eaddrinuse"),
        (r"\btoo\s+many\s+open\s+files\b", "emfile"),
        (r"\bno\s+space\s+left\b|\bwatchers?\s+limit\b", "enospc"),
        (r"\bconnection\s+refused\b", "econnrefused"),
        (r"\bconnection\s+reset\b", "econnreset"),
        (r"\bpermission\s+denied\b", "eacces"),
        (r"\bno\s+such\s+file\s+or\s+directory\b", "enoent"),
        (r"\bbroken\s+pipe\b", "epipe"),
        (r"\bis\s+a\s+directory\b", "eisdir"),
        (r"\bread-only\s+file\s+system\b", "erofs"),
        (r"\bnetwork\s+is\s+unreachable\b", "enetunreach"),
        (r"\bno\s+route\s+to\s+host\b", "ehostunreach"),
        (r"\bfile\s+exists\b", "eexist"),
    )
)
ERRNO_TERMS = frozenset(code for _, code in _ERRNO_MESSAGES)
_COPULA = re.compile(r"\s+is\s+", re.IGNORECASE)


def _any_of(rules: tuple[tuple[re.Pattern[str], str], ...]) -> re.Pattern[str]:
    """One search for "does any of these apply?": most lines hold none of the phrases, and one
    pass over a line costs a fraction of one pass per phrase (the rules still apply in order)."""
    return re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in rules), re.IGNORECASE)


_ANY_CONTRACTION = _any_of(_CONTRACTIONS)
_ANY_CONCEPT = _any_of(_CONCEPTS)
_ANY_ERRNO = _any_of(_ERRNO_MESSAGES)
# Names that carry digits but no variable part: x509, ipv6, utf8, ec2, md5, and numeronyms
# (k3s, k8s, k3d, i18n): products are named so, and a log that says k3s names its tool.
_NAME_WITH_DIGITS = re.compile(r"^(?:[a-z]\d{2,4}|[a-z]{2,4}\d|[a-z]\d{1,2}[a-z])$")
# A placeholder left by ``normalize_line`` (<num>, <hex>, <path>): never a term.
_PLACEHOLDER = re.compile(r"<[a-z_]+>")
_PATHLIKE = re.compile(r"(?<![\w.@+-])[\w.@+-]*(?:[\\/][\w.@+-]+){2,}")
# Stands in for a folded phrase until words are split (letters only, so _WORD keeps it whole).
_MARK = "qqkfmark"
_MARK_WORD = re.compile(_MARK + r"([a-z]+)qq")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """a an the is are was were be been being am to of in on at for with by from as and or nor not
    no it its this that these those has have had do does did doing can cannot could would should
    will shall may might must but if then than so such into onto over under after before during
    when while which who whom whose what where there here their our we you they he she i me my
    your his her them us also only just very too more most some same other both each few own
    again once about above below between through via per vs etc e g ie eg s t d ll re ve m o
    let lets yet still even ever how why because since until unless upon within without up
    down off non"""
)

# Words documentation uses for example values (`C:\foo\bar&baz\vite.js`, `xxx.internal`): a
# real log prints the user's own names there, so they are never terms; as rare words of the
# knowledge base they would otherwise weigh most in the very phrase that quotes the message.
EXAMPLE_VALUES = _words("foo bar baz qux quux foobar xxx yyy zzz hoge fuga piyo")
# Placeholders of any length (`XXXXXX bytes`, `nnnn`): where the log prints a number or a name.
_PLACEHOLDER_RUN = re.compile(r"([xyzn])\1{2,}")

# Log and CI boilerplate: present in almost every failure, so it proves little (low weight).
_BOILERPLATE_WORDS = _words(
    """error errors err fail failed failing failure failures exception exceptions
    traceback line lines file files test tests testing build builds exit exited code codes status
    warning warn warnings info debug trace run runs running ran call called calls last recent
    process return returned value values module modules function functions object objects true
    false null none python lib site packages package usr local home src py main self args kwargs
    init get set raise raised check checks checking job jobs step steps command commands result
    results output message messages log logs logging type types data name names new old time
    please see issue issues occurred occur during caused cause using use used unable
    problem problems unexpected fatal critical abort aborted stack frame frames line_no
    java js ts go rs rb cs cpp yml yaml json txt md html exe dll bin sh bash cmd ok done start
    started finished version default app application script scripts exc http https www
    com org io net github gitlab"""
)

# Verbs and nouns that different tools use for one idea; folded after stemming.
_SYNONYMS = {
    "locat": "find", "found": "find", "lookup": "find",
    "absent": "miss", "nonexist": "miss", "nonexistent": "miss",
    "forbidden": "deni", "refus": "refus",
    "crashe": "crash", "segfault": "crash",
    "vulnerabl": "vulnerabiliti", "vuln": "vulnerabiliti",
    "mismatche": "mismatch",
    "dir": "directori", "folder": "directori",
    "db": "databas", "databas": "databas",
    "config": "configur", "configur": "configur", "configurat": "configur", "setting": "configur",
}


def stem(word: str) -> str:
    """Fold inflections (plural, -ing, -ed, -ation) so doc prose and log text share terms."""
    w = word
    if len(w) <= 3:
        return w
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, repl in (("ations", "ate"), ("ation", "ate"), ("ator", "ate"), ("tion", "t"),
                         ("ing", ""), ("ied", "i"), ("ed", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + repl
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 2 and w.endswith("y"):
        w = w[:-1] + "i"
    return _SYNONYMS.get(w, w)


BOILERPLATE = frozenset(stem(w) for w in _BOILERPLATE_WORDS)


def split_lines(text: str) -> list[str]:
    """Split on \\r\\n, \\n and a lone \\r (DESIGN §6), bounded to ``MAX_LINES`` lines."""
    lines = _LINE_END.split(text, maxsplit=MAX_LINES)
    return [line[:MAX_LINE_CHARS] for line in lines[:MAX_LINES]]


@dataclass(frozen=True, slots=True)
class Specials:
    """Identifying terms of a text: exception type names and error codes, as written."""

    exception_types: frozenset[str]
    error_codes: frozenset[str]


def error_codes(text: str) -> set[str]:
    """Error codes in ``text`` in canonical spelling (``E0308``, ``ENOSPC``, ``WinError 5``)."""
    codes: set[str] = set()
    for m in _CODE_ALNUM.finditer(text):
        code = m.group(1)
        if not code.startswith(_NOT_CODE_PREFIX):
            codes.add(code)
    for m in _CODE_ERRNO.finditer(text):
        codes.add(m.group(1))
    for m in _CODE_NUMBERED.finditer(text):
        prefix = {"winerror": "WinError", "errno": "Errno", "cwe": "CWE"}[m.group(1).lower()]
        codes.add(f"{prefix} {m.group(2)}")
    for m in _CODE_EXIT.finditer(text):
        codes.add(f"exit {m.group(1)}")
    for m in _CODE_HRESULT.finditer(text):
        codes.add(f"0x{m.group(1).lower()}")
    return codes


def exception_types(text: str) -> set[str]:
    """Exception type names in ``text``, unqualified (``NullPointerException``)."""
    found = {m.group(1) for m in _EXC_TYPE.finditer(text) if m.group(1) not in _NOT_EXC_TYPE}
    # "returns ParallelSaveErrors": the plural names the same type.
    found.update(m.group(1) for m in _EXC_PLURAL.finditer(text))
    found.update(m.group(1) for m in _EXC_QUALIFIED.finditer(text))
    return found


def specials(text: str) -> Specials:
    """The exception types and error codes a text names."""
    return Specials(frozenset(exception_types(text)), frozenset(error_codes(text)))


def special_term(name: str) -> str:
    """The term under which an exception type or error code is indexed."""
    return name.lower().replace(" ", "")


@functools.lru_cache(maxsize=1 << 16)
def _word_terms(word: str) -> tuple[tuple[str, str], ...]:
    terms: list[tuple[str, str]] = []
    acronym = _ACRONYM_PLURAL.match(word)
    if acronym:
        word = acronym.group(1)
    parts = [p for chunk in word.split("_") for p in _CAMEL.split(chunk) if p]
    if len(parts) > 1 and len(word) >= 6 and not _HAS_DIGIT.search(word):
        # The compound keeps identifiers (greenlet_spawn, TrustedHostMiddleware) specific.
        terms.append((word.lower().strip("_"), word))
    for part in parts:
        low = part.lower()
        if (len(low) < 2 or low in STOPWORDS or low in EXAMPLE_VALUES
                or _PLACEHOLDER_RUN.fullmatch(low)):
            continue
        if _HAS_DIGIT.search(low):
            if _NAME_WITH_DIGITS.match(low) and len(parts) == 1:
                terms.append((low, part))
            continue
        terms.append((stem(low), part))
    return tuple(terms)


def tokenize_with_surface(text: str) -> list[tuple[str, str]]:
    """``(term, word as written)`` pairs of one line, in order; error codes come first."""
    text = text[: MAX_LINE_CHARS * 4]
    return list(_cached_terms(text) if len(text) <= _CACHED_CHARS else _surface_terms(text))


def _surface_terms(text: str) -> tuple[tuple[str, str], ...]:
    terms = [(special_term(c), c) for c in sorted(error_codes(text))]
    if _ANY_ERRNO.search(text):
        terms += [(code, m.group(0)) for rx, code in _ERRNO_MESSAGES for m in rx.finditer(text)]
    # The project's masking (timestamps, ANSI, numbers, ids, temp names ...) first; it folds a
    # path into its file name, so the directories (celery/, billiard/, asyncio/) that say which
    # library failed are added back as words.
    text = _PLACEHOLDER.sub(" ", normalize_line(text)) + " " + _path_words(text)
    if _ANY_CONTRACTION.search(text):
        for rx, repl in _CONTRACTIONS:
            text = rx.sub(repl, text)
    folded: list[tuple[str, str]] = []

    def mark(m: re.Match[str], repl: str) -> str:
        folded.append((repl, " ".join(m.group(0).split())))
        return f" {_MARK}{_index_word(len(folded) - 1)}qq "

    if _ANY_CONCEPT.search(text):
        for rx, repl in _CONCEPTS:
            text = rx.sub(functools.partial(mark, repl=repl), text)
    if not folded:  # most lines: no word can be a marker
        for word in _WORD.findall(text):
            terms += _word_terms(word)
        return tuple(terms)
    for word in _WORD.findall(text):
        marked = _MARK_WORD.fullmatch(word)
        index = _word_index(marked.group(1)) if marked else -1
        if 0 <= index < len(folded):
            repl, original = folded[index]
            terms.extend((term, original) for term, _ in _plain_terms(repl))
        else:
            terms.extend(_word_terms(word))
    return tuple(terms)


# An issue's fields, phrases and focus tokenize the same lines several times over, and a
# knowledge base repeats lines across issues ("Restart the service"): at import, tokenizing
# (the masking regex above all) was most of the time spent on an issue. Short lines only, so
# the cache stays a few MB whatever the lines.
_CACHED_CHARS = 400
_cached_terms = functools.lru_cache(maxsize=4096)(_surface_terms)


def _path_words(text: str) -> str:
    return " ".join(m.group(0).replace("\\", " ").replace("/", " ")
                    for m in _PATHLIKE.finditer(text))


def _plain_terms(text: str) -> list[tuple[str, str]]:
    return [t for m in _WORD.finditer(text) for t in _word_terms(m.group(0))]


def _index_word(n: int) -> str:
    # Letters only: a digit would make the marker look like a variable part.
    return "".join(chr(ord("a") + int(d)) for d in str(n))


def _word_index(word: str) -> int:
    digits = "".join(str(ord(c) - ord("a")) for c in word)
    return int(digits) if len(digits) < 6 and all(c in "abcdefghij" for c in word) else -1


def tokenize(text: str) -> list[str]:
    """Terms of one line or paragraph, in order: error codes first, then stemmed words."""
    return [term for term, _ in tokenize_with_surface(text)]


def special_terms(text: str) -> frozenset[str]:
    """Terms of the exception types and error codes ``text`` names (they weigh more)."""
    found = specials(text)
    return frozenset(special_term(n) for n in found.exception_types | found.error_codes)


def identifier_terms(text: str) -> list[str]:
    """Compound identifiers of ``text`` (greenlet_spawn, TrustedHostMiddleware), lowercased."""
    found: list[str] = []
    for m in _WORD.finditer(text[: MAX_LINE_CHARS * 4]):
        word = m.group(0)
        terms = _word_terms(word)
        compound = "_" in word.strip("_") or bool(_CAMEL.search(word))
        if compound and terms and terms[0][1] == word:
            found.append(terms[0][0])
    return found


def content_terms(terms: Iterable[str]) -> list[str]:
    """Drop boilerplate, keeping order: what is left is evidence about *which* failure."""
    return [t for t in terms if t not in BOILERPLATE]


def errno_message_words(text: str) -> frozenset[str]:
    """The terms of the operating system's messages ``text`` holds ("address already in use",
    "connection refused"): every program prints them, so on their own they say what kind of
    failure, not whose. Read past a copula ("address is already in use"), which the fold
    itself does not take: documents write the message so, logs never do."""
    text = _COPULA.sub(" ", text)
    if not _ANY_ERRNO.search(text):
        return frozenset()
    return frozenset(t for rx, _ in _ERRNO_MESSAGES for m in rx.finditer(text)
                     for t in tokenize(m.group(0)))
