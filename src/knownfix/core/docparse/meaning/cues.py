"""What a piece of a troubleshooting document *looks like*: a problem, a cause, a remedy …

Teams write the same meanings in endless layouts, but with few words: a problem names an error
or a failing behaviour ("fails with", "cannot", "permission denied", an exception type), a cause
explains ("because", "caused by", "this happens when"), a remedy instructs (a sentence that
starts with "Run", "Set", "Upgrade"; "to fix this", "you need to", "the workaround is"), a check
confirms ("to verify", "you should now see"). The cues are data (ordered tables of patterns,
compiled once); each is scored per sentence, so one stray word does not decide a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knownfix.core.docparse.meaning import words as w
from knownfix.core.match.tokens import specials

_LINK = re.compile(r"\[([^\]]{0,300})\]\([^)]{0,500}\)")
_FAILURE = w.phrases(w.FAILURE)
_TROUBLE = w.phrases(w.TROUBLE)
_GENERIC_TROUBLE = w.phrases(w.GENERIC_TROUBLE)
_READER_STATE = w.phrases(w.READER_STATE)
_DESIRE = w.phrases(w.DESIRE)
# "Error: …", "fatal: …", "npm ERR!", "[ERROR] …": the shape of a message a tool prints. PHP
# and others print lesser severities the same way ("PHP Notice: Undefined index …",
# "Deprecated: …"): still a message, quoted as the problem.
_MESSAGE_SHAPE = re.compile(
    r"(?:^|\s)(?:error|fatal|panic|warning|err!|e|exception|failed|failure|notice"
    r"|deprecated)\s*[:!\[(]"
    r"|^\s*\[?(?:error|err|fatal|crit(?:ical)?|fail(?:ed|ure)?)\]?\b",
    re.IGNORECASE,
)
# Codes are written in capitals: 0x80070005, ERR_SSL_PROTOCOL_ERROR, NOT_ENOUGH_REPLICAS,
# HTTP 503, 429 Too Many Requests. A capitalised name without a failure word in it is a setting
# (XDG_CONFIG_HOME, NODE_EXTRA_CA_CERTS), not a code.
_FAILURE_PART = (
    r"ERR|ERROR|ERRORS|FAIL|FAILED|FAILURE|INVALID|DENIED|TIMEOUT|TIMED|REFUSED"
    r"|UNAVAILABLE|EXCEEDED|MISSING|UNKNOWN|BAD|ABORT|ABORTED|CONFLICT|FORBIDDEN|UNAUTHORIZED"
    r"|UNAUTHENTICATED|EXPIRED|EXHAUSTED|CORRUPT|CORRUPTED|OVERFLOW|UNREACHABLE|MISMATCH"
    r"|ILLEGAL|WRONG|DUPLICATE|EXISTS|FATAL|PANIC|OOM|KILLED|CRASH|CRASHED|UNSUPPORTED"
    r"|UNHANDLED|UNEXPECTED|REJECTED|LOCKED|INCOMPATIBLE|UNRESOLVED"
)
_CODE_SHAPE = re.compile(
    rf"\b(?:0x[0-9a-fA-F]{{6,}}|(?:[A-Z0-9]+_)*(?:{_FAILURE_PART})(?:_[A-Z0-9]+)+"
    # NO/NOT open a code only with two more parts (NOT_ENOUGH_REPLICAS, NO_SUCH_HOST) or after
    # one (ERR_NOT_FOUND): NO_PROXY and NO_COLOR are settings.
    r"|(?:[A-Z0-9]+_)*NOT?(?:_[A-Z0-9]+){2,}|(?:[A-Z0-9]+_)+NOT?(?:_[A-Z0-9]+)+"
    rf"|[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)*_(?:{_FAILURE_PART})"
    r"|HTTP \d{3}|[45]\d\d (?:Bad|Not|Forb|Unauth|Internal|Service|Gateway|Request|Too|Payload"
    r"|Conflict|Gone)\w*)\b"
)
_CAUSE = w.phrases(w.CAUSE)
_IMPERATIVE = re.compile(
    rf"^(?:(?:{'|'.join(w.INSTRUCTION_OPENERS)})[,:]?\s+)*(?:{'|'.join(w.REMEDY_VERBS)})\b",
    re.IGNORECASE,
)
# An instruction whose verb opens the sentence ("Specify …", "Set …"), no clause before it.
_BARE_IMPERATIVE = re.compile(rf"^(?:please\s+)?(?:{'|'.join(w.REMEDY_VERBS)})\b", re.IGNORECASE)
# An instruction with a verb the table lacks ("Reconnect the VPN", "Whitelist your IP"): a
# capitalised word that is not a determiner, pronoun or adverb, then the verb's object.
_GUESSED_IMPERATIVE = re.compile(
    rf"^(?:(?:{'|'.join(w.INSTRUCTION_OPENERS)})[,:]?\s+)*"
    r"([A-Za-z][a-z]{2,}(?:-[a-z]+)?)\s+(?:the|a|an|your|it|them|this|that|these|those|all|any"
    r"|each|every|both|its|their|our|my|out|up|down|off|back|over|in|`|\"|'|\w+\.\w+)\b",
    re.IGNORECASE,
)
_HELP_SEEKING = w.phrases(w.HELP_SEEKING)
_META_FAILURE = w.phrases(w.META_FAILURE)
_DIAGNOSTIC_PURPOSE = w.phrases(w.DIAGNOSTIC_PURPOSE)
# "You must authorize USB debugging": a device's setting the fix turns on, not a look.
_DEBUG_FEATURE = re.compile(r"\b(?:[Aa]uthori[sz]e|[Aa]llow|[Gg]rant|[Ee]nable|[Aa]ctivate)"
                            r" (?:the )?[A-Z]{2,} debugging\b")
# "This message indicates …", "This error occurs when …": the text above it is a message.
_NAMES_MESSAGE = re.compile(
    r"^(?:this|the above|that|these) (?:error|message|warning|exception|failure|alert|log line)s?"
    r"(?: message)? (?:\w+ ){0,2}(?:means|indicates|occurs|appears|happens|(?:is|can be|may be"
    r"|gets|will be) (?:shown|raised"
    r"|thrown|printed|returned|displayed|logged|emitted|caused|triggered|reported)|can (?:occur"
    r"|appear|happen|be caused)|usually|typically|often|may|might|shows|suggests)\b",
    re.IGNORECASE,
)
_REMEDY = w.phrases(w.REMEDY)
# What the product does, told with its subject first ("Most Crossplane resources set the
# `Ready` condition", "Crossplane includes a circuit breaker mechanism to prevent …"): a
# remedy's words inside a statement about the tool are no instruction to the reader.
_DESCRIBES = re.compile(
    r"^(?:(?i:most|many|all|some|several|both|each|every|the|these|those|its|their)\s+"
    r"(?:(?!(?:is|are|was|were|be|to|you)\b)[\w`'.-]+\s+){0,3}?"
    rf"(?:{w.DESCRIBING_VERBS}|{w.DESCRIBING_VERBS_THIRD})"
    r"|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?\s+" + w.DESCRIBING_VERBS_THIRD + r")\b")
# … unless it speaks to the reader or says what is required ("The project has to be built").
_ADDRESSES_READER = re.compile(r"\b(?:you|your|users|people|teams|developers|should|must"
                               r"|needs? to|ha(?:ve|s) to|requires?d?)\b", re.IGNORECASE)
# "Review the guide, then restore the checkout with …": an instruction after a look.
_THEN_IMPERATIVE = re.compile(
    rf"(?:,|\band)\s+then\s+(?:re)?(?:{'|'.join(w.REMEDY_VERBS)})\b", re.IGNORECASE)
_VERIFY = w.phrases(w.VERIFY)
_DIAGNOSE_START = w.phrases(w.DIAGNOSE_VERBS, start=True)
_DIAGNOSE = w.phrases(w.DIAGNOSE)
_OFFERED_LOOK = w.phrases(w.OFFERED_LOOK, start=True)
_CONTEXT = w.phrases(w.CONTEXT)
_PROBLEM_LEAD = w.phrases(w.PROBLEM_OPENERS, start=True)
_ANNOUNCES_PROBLEM = w.phrases(w.PROBLEM_ANNOUNCERS, start=True)
_UNDERGOES = re.compile("|".join(w.UNDERGOES), re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(*\[])|\n{2,}")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a blank line or a full stop before a capital ends one)."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def is_code_word(text: str) -> bool:
    """One word that is an error code as written: ``NOT_ENOUGH_REPLICAS``, ``0x80070005``."""
    return bool(_CODE_SHAPE.fullmatch(text.strip()))


def has_special(text: str) -> bool:
    """True when ``text`` names an exception type or an error code (``EACCES``, ``E0308``)."""
    found = specials(text)
    return bool(found.exception_types or found.error_codes)


@dataclass(frozen=True, slots=True)
class Cues:
    """How much of each meaning a text carries, counted in sentences. ``instructions`` counts
    the sentences whose remedy outweighs what they say of the problem."""

    problem: float = 0.0
    instructions: int = 0
    cause: float = 0.0
    remedy: float = 0.0
    verify: float = 0.0
    diagnose: float = 0.0
    context: float = 0.0
    sentences: int = 0

    @property
    def dominant(self) -> str:
        """The strongest meaning ("" when the text carries none)."""
        ranked = sorted(
            (("remedy", self.remedy), ("cause", self.cause), ("problem", self.problem),
             ("verify", self.verify), ("diagnose", self.diagnose), ("context", self.context)),
            key=lambda pair: -pair[1],
        )
        return ranked[0][0] if ranked[0][1] > 0 else ""


def flat_text(text: str) -> str:
    """One line, single spaces, straight apostrophes: how the cue tables are written."""
    text = _LINK.sub(r"\1", text) if "](" in text else text
    return " ".join(text.split()).replace("’", "'").replace("‘", "'")


def has_shape(text: str) -> bool:
    """Whether text carries a message's or a code's shape (not just a failure word)."""
    return bool(has_special(text) or _MESSAGE_SHAPE.search(text) or _CODE_SHAPE.search(text))


def opens_with_verb(text: str) -> bool:
    """Whether text opens with an instruction's verb, openers allowed ("Then run …")."""
    return bool(_IMPERATIVE.match(text))


def problem_strength(text: str) -> float:
    """0 (no failure named) … 1 (an error message or a strong failure word)."""
    text = flat_text(text)
    if not text:
        return 0.0
    if has_shape(text):
        return 0.5 if _only_named(text) else 1.0
    text = _DESIRE.sub(" ", _READER_STATE.sub(" ", text))
    generic = _GENERIC_TROUBLE.search(text)
    text = _GENERIC_TROUBLE.sub(" ", text) if generic else text
    if _FAILURE.search(text):
        return 1.0
    if _TROUBLE.search(text) and not generic:  # "encounter any error": no problem in particular
        return 0.5
    return 0.0


# A sentence that reports what a tool printed ("you get `E0432`", "fails with `EACCES`").
_REPORTS = re.compile(
    r"\b(?:see|sees|saw|seeing|get|gets|got|getting|receiv\w+|return\w*|throw\w*|raise[sd]?"
    r"|rais\w+|print\w*|show\w*|says?|report\w*|emit\w*|log(?:s|ged)|complain\w*|encounter\w*"
    r"|hit|run into|message|warning)\b", re.IGNORECASE)


def _only_named(text: str) -> bool:
    """A sentence that only names an error code or an exception type ("… enable fixes for all
    rules except `F401`", "the exception changes from an `IndexError` to `StopIteration`"): a
    name in passing is no report of a failure. A heading that is nothing but the code is one."""
    if _MESSAGE_SHAPE.search(text) or _CODE_SHAPE.search(text):
        return False
    found = specials(text)
    rest = text
    for name in (*found.exception_types, *found.error_codes):
        rest = rest.replace(name, " ")
    if len(re.findall(r"[A-Za-z]{2,}", rest)) < 4:
        return False
    return not _FAILURE.search(rest) and not _REPORTS.search(rest)


def sentence_cues(sentence: str) -> Cues:
    """The meanings of one sentence; a sentence may carry several (cause and remedy)."""
    text = flat_text(sentence).lstrip("-*>•0123456789.) ").strip()
    helpless = bool(_HELP_SEEKING.search(text))
    instructs = not helpless and (bool(_IMPERATIVE.match(text)) or _guessed_imperative(text))
    offers = not helpless and bool(_REMEDY.search(text) or _THEN_IMPERATIVE.search(text))
    if offers and not instructs and describes(text):
        offers = False
    remedy = 1.0 if instructs or offers else 0.0
    verify = 1.0 if _VERIFY.search(text) else 0.0
    looks = bool(_DIAGNOSE_START.match(text))
    diagnose = 1.0 if looks or _DIAGNOSE.search(text) else 0.0
    purpose = _DIAGNOSTIC_PURPOSE.search(_DEBUG_FEATURE.sub(" ", text)) if remedy else None
    if (looks and not offers) or purpose or (_OFFERED_LOOK.match(text) and not instructs):
        # "Check the logs", "set VLLM_LOGGING_LEVEL=DEBUG to see more": investigation, not a fix.
        remedy, instructs, diagnose = 0.0, False, 1.0
    if verify and not instructs:
        remedy *= 0.5
    problem = problem_strength(text)
    if (problem > 0 and _ANNOUNCES_PROBLEM.match(text)) or names_message(text):
        problem = 1.0
    if problem and _META_FAILURE.search(text):
        problem = 0.0  # "If these instructions don't work": the page's advice, not the tool
    if (instructs or offers) and problem and not _FAILURE.search(_without_remedy(text)):
        problem *= 0.5  # "Fix the missing header" instructs; it does not report a failure
    elif problem and _BARE_IMPERATIVE.match(text):
        # "Specify the environment, if not running in the browser": a failure word in the
        # condition of an instruction that opens the sentence scopes it; it reports nothing.
        problem *= 0.5
    return Cues(
        problem=problem,
        instructions=int(remedy > 0 and remedy >= problem),
        cause=1.0 if _CAUSE.search(text) else 0.0,
        remedy=remedy,
        verify=verify,
        diagnose=diagnose,
        context=1.0 if _CONTEXT.search(text) else 0.0,
        sentences=1,
    )


def _without_remedy(text: str) -> str:
    """A sentence without its instruction's object: "not recommended as it causes issues" keeps
    "causes issues"; "Fix the missing header" keeps nothing."""
    match = _IMPERATIVE.match(text)
    if match is None:
        return text
    rest = text[match.end():]
    clause = re.split(r"[,;]\s|\s(?:as|because|since|or|which)\s", rest, maxsplit=1)
    return clause[1] if len(clause) > 1 else ""


def describes(text: str) -> bool:
    """A statement of what the product does, subject first, not addressed to the reader."""
    return bool(_DESCRIBES.match(text)) and not _ADDRESSES_READER.search(text) and not (
        re.search(r"[;:]\s", text))  # "…; enable it": an instruction after the statement


def names_message(text: str) -> bool:
    """A sentence that says the text it follows is an error ("This message indicates …")."""
    return bool(_NAMES_MESSAGE.match(text.strip()))


def _guessed_imperative(text: str) -> bool:
    match = _GUESSED_IMPERATIVE.match(text)
    if match is None:
        return False
    word = match.group(1).lower()
    if word in w.NOT_VERBS or word.endswith(("ing", "ed", "ly")):
        return False
    return not (word.endswith("s") and not word.endswith("ss"))


def text_cues(text: str) -> Cues:
    """Summed cues of every sentence in ``text``."""
    totals = Cues()
    for sentence in sentences(text):
        one = sentence_cues(sentence)
        totals = Cues(
            problem=totals.problem + one.problem,
            instructions=totals.instructions + (one.remedy > 0 and one.remedy >= one.problem),
            cause=totals.cause + one.cause,
            remedy=totals.remedy + one.remedy,
            verify=totals.verify + one.verify,
            diagnose=totals.diagnose + one.diagnose,
            context=totals.context + one.context,
            sentences=totals.sentences + 1,
        )
    return totals


def starts_with_problem(text: str) -> bool:
    """A sentence that opens by stating a problem: "If you see …", "When … fails"."""
    first = sentences(text)[:1]
    if not first or _META_FAILURE.search(flat_text(first[0])):
        return False
    if _ANNOUNCES_PROBLEM.match(first[0]):
        return problem_strength(first[0]) > 0
    return bool(_PROBLEM_LEAD.match(first[0])) and problem_strength(first[0]) >= 1.0


def undergoes(condition: str) -> bool:
    """A condition whose subject undergoes trouble ("If you experience stuttering, …")."""
    return bool(_UNDERGOES.match(flat_text(condition)))


def opens_with_condition(text: str) -> bool:
    """A sentence that opens with a condition ("When …", "If …", "After …")."""
    return bool(_PROBLEM_LEAD.match(text))


def opens_with_instruction(text: str) -> bool:
    """Whether the first sentence of ``text`` instructs ("Open UDP 8472 …", "To fix it, run …")."""
    first = sentences(text)[:1]
    return bool(first) and sentence_cues(first[0]).instructions > 0


def sets_up(text: str) -> bool:
    """A sentence that introduces a check or a reproduction ("To see it, run:")."""
    cues = text_cues(text)
    return bool(cues.diagnose or cues.context) and not cues.problem


def seeks_help(text: str) -> bool:
    """A sentence that sends the reader elsewhere for help ("Ask on the forums", "File an
    issue"): not a fix."""
    return bool(_HELP_SEEKING.search(flat_text(text)))
