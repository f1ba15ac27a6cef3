"""What a heading (or a bold lead) says about its section: a failure, a topic or how-to, a
question, an alert name. Split from ``cues`` (which reads sentences) because a title is read
in its own way: a headline drops words ("Device not detected"), asks how to do something, or
names an alert in CamelCase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knownfix.core.docparse.meaning import words as w
from knownfix.core.docparse.meaning.cues import (
    flat_text,
    has_shape,
    opens_with_verb,
    problem_strength,
    sentence_cues,
)

_DIAGNOSE_START = w.phrases(w.DIAGNOSE_VERBS, start=True)
_HELP_SEEKING = w.phrases(w.HELP_SEEKING)
_PARENTHESIS = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
_DIAGNOSTIC_TITLE = re.compile(
    rf"^(?:{'|'.join(w.DIAGNOSE_VERBS)}|locate|locating|collect\w*|gather\w*|get(?:ting)?"
    r"|retriev\w+|export\w*|captur\w+|access\w*|view\w*|read\w*|find\w*)\b[^.?!]{0,60}?"
    r"\b(?:logs?|logging|dumps?|traces?|diagnostics?|debug\w*|events|metrics|core ?files?)\s*$",
    re.IGNORECASE,
)
_ASKS_TO_DEBUG = re.compile(r"\bhow (?:can|do|should|could) (?:i|we|you|one) (?:debug|diagnose"
                            r"|troubleshoot|investigate)\b", re.IGNORECASE)
_WITHOUT = re.compile(r"\bwithout\b.*$", re.IGNORECASE)
_HEADLINE_NEGATION = re.compile(r"\bnot (?:being )?(?!needed|required|recommended|intended"
                                r"|related|covered|listed|used)[a-z]+(?:ed|en)\b", re.IGNORECASE)
# "Completions don't cycle when Tab is pressed": something that should happen does not (a
# subject first: "Don't run as root" instructs, "I don't have Docker" states a setup).
_NOT_DOING = re.compile(r"^(?!(?:don'?t|do not|never|i|we|you)\b)(?:[\w.`'-]+ ){1,6}(?:doesn'?t"
                        r"|don'?t|does not|do not|won'?t|will not)\s+(?!need|have|want|require"
                        r"|know|like|mind|care|understand|recogni[sz]e|matter)\w+", re.IGNORECASE)
_ASKS_TO_FIX = re.compile(r"^how (?:do|can|should|to) (?:i |we |you )?(?:fix|resolve|solve"
                          r"|get rid of|silence|suppress)\b", re.IGNORECASE)
_TOPIC_TITLE = re.compile(rf"^(?:{'|'.join(w.TOPIC_TITLES)})$", re.IGNORECASE)
_HOWTO_TITLE = w.phrases(w.HOWTO_TITLES, start=True)
# What a program or the reader does with failures is a feature or a how-to, not a failure:
# "Ignoring errors", "Error handling", "On validation failure" (a hook that runs then).
_HANDLES_FAILURES = re.compile(
    r"^(?:(?:ignoring|handling|suppressing|silencing|catching|throwing|raising|reporting"
    r"|logging|customi[sz]ing|formatting|displaying|testing|mocking|simulating|surfacing)"
    r" (?:[\w-]+ ){0,2}|on (?:[\w-]+ ){0,2})(?:errors?|exceptions?|failures?|warnings?"
    r"|timeouts?)$"
    r"|^(?:[\w-]+ )?(?:errors?|exceptions?|failures?|warnings?) (?:handling|handlers?"
    r"|reporting|logging|suppression|boundar(?:y|ies)|callbacks?|hooks?)$", re.IGNORECASE)
# Advice, not trouble: a prohibition ("Do not use the @entangle directive", "Never use async
# actions if …") and a lone setting or metric name (`circuit_breaker_opens_total`,
# `lint.fixable`) that names no failure head guidance and reference entries.
_PROHIBITION = re.compile(r"^(?:do not|don'?t|never) (?:use|run|call|put|store|mix|install|modify"
                          r"|change|set|add|edit|commit|expose|rely|share|import|pass|mount|delete"
                          r"|remove|mutate|nest|wrap|return|leave|enable|disable)\b", re.IGNORECASE)
# (Three parts or a dotted path: a two-part name may be an error's, `disk_full`.)
_SETTING_NAME = re.compile(r"^`?[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}`?$|^`?[a-z][\w-]*(?:\.[\w-]+)+`?$")
_QUOTE_MARK = re.compile(r"[\"“”`]")
# Questions that ask what something is or which way to choose, not what went wrong.
_CONCEPT_QUESTION = re.compile(r"^(?:what (?:is|are)|should (?:i|we|you))\b.*\?$", re.IGNORECASE)
# An alert name as runbooks title their sections: one CamelCase identifier of three or more
# words (KubePodCrashLooping, CDIDefaultStorageClassDegraded, etcdMembersDown). Two-word names
# are too often products (JavaScript, GitHub, CockroachDB) to count.
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9]{7,}$")
# Words of an alert's state, for alert names in lower camel case (etcdMembersDown).
_ALERT_STATES = frozenset((
    "down", "failing", "failed", "failure", "failures", "error", "errors", "high", "low",
    "degraded", "unhealthy", "insufficient", "missing", "stuck", "lag", "latency", "slow",
    "full", "fillingup", "filling", "restarting", "throttling", "pending", "unavailable",
    "unreachable", "absent", "expiring", "expired", "mismatch", "overcommit", "crashlooping",
    "notready", "ready", "leader", "quorum", "exhausted", "saturated", "timeout", "timeouts",
))
# First words of settings and flags (passWithNoTests, useAtomics, dangerouslyIgnoreErrors).
_SETTING_VERBS = frozenset((
    "use", "pass", "enable", "disable", "allow", "ignore", "dangerously", "log", "show", "print",
    "skip", "include", "exclude", "max", "min", "is", "has", "no", "auto", "default", "strict",
    "silent", "watch", "test", "run", "set", "keep", "retry", "report", "fail", "bail",
))
# First words of operations and API names (FromCompositeFieldPath, CombineToEnvironment,
# GetObjectAttributes): an alert names a subject and its state, never a verb or a direction.
_OPERATION_LEADS = frozenset((
    "from", "to", "into", "with", "combine", "get", "set", "put", "create", "update", "delete",
    "list", "patch", "map", "match", "convert", "parse", "read", "write", "new", "make", "load",
    "use", "apply", "add", "remove", "copy", "move", "transform", "merge", "split", "join",
))
_CAMEL_WORD = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_QUESTION = re.compile(r"\?\s*$|^(?:q(?:uestion)?\s*[:.)-]|why|what|how|is|are|can|does|do)\b",
                       re.IGNORECASE)
# A gerund phrase as the subject of what it outputs: "Running `x --info` produces HTML output".
_GERUND_STATEMENT = re.compile(
    r"^[A-Za-z]+ing\b[^.?!:]{1,60}?\s(?:produces|prints|outputs|returns|shows|displays|emits)"
    r"\s\S", re.IGNORECASE)



def is_alert_name(text: str) -> bool:
    """One CamelCase identifier of three or more words, at least two of them capitalised.
    One in lower camel case is a setting (``testNamePattern``, ``passWithNoTests``) unless it
    names a state (``etcdMembersDown``) and does not open with a setting's verb
    (``dangerouslyIgnoreUnhandledErrors``)."""
    if not _IDENTIFIER.match(text) or text.isupper() or text.islower():
        return False
    words = _CAMEL_WORD.findall(text)
    capitalised = sum(1 for word in words if word[:1].isupper() and word[1:2].islower())
    if len(words) < 3 or capitalised < 2 or words[0].lower() in _OPERATION_LEADS:
        return False
    if text[0].islower():
        return (words[0].lower() not in _SETTING_VERBS
                and any(word.lower() in _ALERT_STATES for word in words[1:]))
    return True


@dataclass(frozen=True, slots=True)
class TitleReading:
    """What a heading (or a bold lead) says about its section."""

    problem: float  # 0 … 1, as ``problem_strength``
    topic: bool  # names a topic or a how-to, not a failure
    question: bool
    alert: bool  # an alert name (runbooks)
    howto: bool = False  # a topic only because it reads as an instruction or how-to


def read_title(title: str) -> TitleReading:
    """Read a heading: does it name a failure, a topic, a question, an alert?"""
    text = title.strip().strip("*_").strip()
    alert = is_alert_name(text)
    text = _PARENTHESIS.sub(" ", text) if "(" in text else text  # "(e.g. `date.setMonth(1)`)"
    # "Locate failure logs", "Collect crash dumps": where to look, whatever the logs are of;
    # "… something unexpected, how can I debug it?": asks how to look, not for a fix.
    advice = bool(_PROHIBITION.match(text)) or bool(_SETTING_NAME.match(text)) and (
        problem_strength(re.sub(r"[_.`]", " ", text)) == 0)  # `serialization_failure` is one
    looks = bool(_DIAGNOSTIC_TITLE.match(text) or _ASKS_TO_DEBUG.search(text)
                 or _HANDLES_FAILURES.match(text.rstrip(":").strip())) or advice
    if _HOWTO_TITLE.match(text):
        # "How to upgrade without dropping connections?": what to avoid is the goal, no failure.
        text = _WITHOUT.sub("", text)
    problem = 0.0 if looks else problem_strength(text)
    if not looks and problem < 1.0 and (
        _HEADLINE_NEGATION.search(text) or _NOT_DOING.match(text)
    ):
        problem = 1.0  # "Device not detected": a headline drops the "is" of "is not detected"
    if _ASKS_TO_FIX.match(text) and (problem >= 0.5 or _QUOTE_MARK.search(text)):
        # "How do I resolve `some/resource configured` events spam?": what it asks to be rid
        # of is the problem when it names trouble at all ("resolve a dependency" does not).
        problem = 1.0
    if problem and _CONCEPT_QUESTION.match(text) and not (
        has_shape(flat_text(text)) or _QUOTE_MARK.search(text)
    ):
        # "What is failure tolerance?", "Should I add a member before removing an unhealthy
        # member?": a definition or a choice, whatever words it uses, unless it quotes text.
        problem = 0.0
    if _GERUND_STATEMENT.match(text):
        # "Running `wp --info` produces HTML output": a sentence about what an action does, not
        # a how-to ("Running the server"): trouble, to be confirmed by a fix below it.
        return TitleReading(problem=max(problem, 0.5), topic=False,
                            question=bool(_QUESTION.search(text)), alert=False, howto=False)
    howto = problem < 1.0 and (
        bool(_HOWTO_TITLE.match(text)) or bool(_DIAGNOSE_START.match(text)) or looks
        or bool(_HELP_SEEKING.search(text)) or instructs_title(text)
    )
    named_topic = bool(_TOPIC_TITLE.match(text.rstrip(":").strip()))
    return TitleReading(
        problem=1.0 if alert else problem,
        topic=(named_topic or howto) and not alert,
        question=bool(_QUESTION.search(text)) and not advice,
        alert=alert,
        howto=howto and not named_topic and not alert,
    )


def instructs_title(title: str) -> bool:
    """A heading that is an instruction ("Enable reachable IP address", "Using a port other than
    8081", "Terminating a process on port 8081"): what is under it is a fix."""
    text = title.strip()
    if sentence_cues(text).instructions and problem_strength(text) < 1.0:
        return True
    first = text.split(maxsplit=1)[0].lower() if text else ""
    if not first.endswith("ing") or len(first) < 6:
        return False
    stem = first[:-3]
    candidates = {stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    return any(opens_with_verb(f"{c} x") for c in candidates) and problem_strength(text) < 1.0
