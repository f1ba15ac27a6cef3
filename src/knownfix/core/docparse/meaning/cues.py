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

_FAILURE = w.phrases(w.FAILURE)
_TROUBLE = w.phrases(w.TROUBLE)
# "Error: …", "fatal: …", "npm ERR!", "[ERROR] …": the shape of a message a tool prints.
_MESSAGE_SHAPE = re.compile(
    r"(?:^|\s)(?:error|fatal|panic|warning|err!|e|exception|failed|failure)\s*[:!\[(]"
    r"|^\s*\[?(?:error|err|fatal|crit(?:ical)?|fail(?:ed|ure)?)\]?\b",
    re.IGNORECASE,
)
# Codes are written in capitals: 0x80070005, ERR_SSL_PROTOCOL, HTTP 503, 429 Too Many Requests.
_CODE_SHAPE = re.compile(
    r"\b(?:0x[0-9a-fA-F]{4,}|[A-Z][A-Z0-9]{2,}_[A-Z0-9_]+|HTTP \d{3}|[45]\d\d (?:Bad|Not|Forb"
    r"|Unauth|Internal|Service|Gateway|Request|Too|Payload|Conflict|Gone)\w*)\b"
)
_CAUSE = w.phrases(w.CAUSE)
_IMPERATIVE = re.compile(
    rf"^(?:(?:{'|'.join(w.INSTRUCTION_OPENERS)})[,:]?\s+)*(?:{'|'.join(w.REMEDY_VERBS)})\b",
    re.IGNORECASE,
)
# An instruction with a verb the table lacks ("Reconnect the VPN", "Whitelist your IP"): a
# capitalised word that is not a determiner, pronoun or adverb, then the verb's object.
_GUESSED_IMPERATIVE = re.compile(
    r"^([A-Z][a-z]{2,}(?:-[a-z]+)?)\s+(?:the|a|an|your|it|them|this|that|these|those|all|any"
    r"|each|every|both|its|their|our|my|out|up|down|off|back|over|in|`|\"|'|\w+\.\w+)\b"
)
_REMEDY = w.phrases(w.REMEDY)
_VERIFY = w.phrases(w.VERIFY)
_DIAGNOSE_START = w.phrases(w.DIAGNOSE_VERBS, start=True)
_DIAGNOSE = w.phrases(w.DIAGNOSE)
_CONTEXT = w.phrases(w.CONTEXT)
_PROBLEM_LEAD = w.phrases(w.PROBLEM_OPENERS, start=True)
_TOPIC_TITLE = re.compile(rf"^(?:{'|'.join(w.TOPIC_TITLES)})$", re.IGNORECASE)
_HOWTO_TITLE = w.phrases(w.HOWTO_TITLES, start=True)
# An alert name as runbooks title their sections: one CamelCase identifier (KubePodCrashLooping).
_ALERT_NAME = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*){2,}$")
_QUESTION = re.compile(r"\?\s*$|^(?:q(?:uestion)?\s*[:.)-]|why|what|how|is|are|can|does|do)\b",
                       re.IGNORECASE)
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


def problem_strength(text: str) -> float:
    """0 (no failure named) … 1 (an error message or a strong failure word)."""
    if not text.strip():
        return 0.0
    if has_special(text) or _MESSAGE_SHAPE.search(text) or _CODE_SHAPE.search(text):
        return 1.0
    if _FAILURE.search(text):
        return 1.0
    if _TROUBLE.search(text):
        return 0.5
    return 0.0


def sentence_cues(sentence: str) -> Cues:
    """The meanings of one sentence; a sentence may carry several (cause and remedy)."""
    text = sentence.strip().lstrip("-*>•0123456789.) ").strip()
    instructs = bool(_IMPERATIVE.match(text)) or _guessed_imperative(text)
    offers = bool(_REMEDY.search(text))
    remedy = 1.0 if instructs or offers else 0.0
    verify = 1.0 if _VERIFY.search(text) else 0.0
    looks = bool(_DIAGNOSE_START.match(text))
    diagnose = 1.0 if looks or _DIAGNOSE.search(text) else 0.0
    if looks and not offers:
        remedy = 0.0  # "Check the logs" investigates; it does not fix
    if verify and not instructs:
        remedy *= 0.5
    problem = problem_strength(text)
    if problem < 1.0 and _PROBLEM_LEAD.match(text) and problem > 0:
        problem = 1.0
    if instructs and problem:
        problem *= 0.5  # "Fix the missing header" instructs; it does not report a failure
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
    return bool(first) and bool(_PROBLEM_LEAD.match(first[0])) and problem_strength(first[0]) > 0


@dataclass(frozen=True, slots=True)
class TitleReading:
    """What a heading (or a bold lead) says about its section."""

    problem: float  # 0 … 1, as ``problem_strength``
    topic: bool  # names a topic or a how-to, not a failure
    question: bool
    alert: bool  # an alert name (runbooks)


def read_title(title: str) -> TitleReading:
    """Read a heading: does it name a failure, a topic, a question, an alert?"""
    text = title.strip().strip("*_").strip()
    alert = bool(_ALERT_NAME.match(text))
    problem = problem_strength(text)
    howto = bool(_HOWTO_TITLE.match(text)) and problem < 1.0
    topic = bool(_TOPIC_TITLE.match(text.rstrip(":").strip())) or howto
    return TitleReading(
        problem=1.0 if alert else problem,
        topic=topic and not alert,
        question=bool(_QUESTION.search(text)),
        alert=alert,
    )


def opens_with_instruction(text: str) -> bool:
    """Whether the first sentence of ``text`` instructs ("Open UDP 8472 …", "To fix it, run …")."""
    first = sentences(text)[:1]
    return bool(first) and sentence_cues(first[0]).instructions > 0


def sets_up(text: str) -> bool:
    """A sentence that introduces a check or a reproduction ("To see it, run:")."""
    cues = text_cues(text)
    return bool(cues.diagnose or cues.context) and not cues.problem
