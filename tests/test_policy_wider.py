"""A weak policy decision reads the log's lines around the excerpt (core/policy/wider.py,
services/triage_window.py): evidence just outside the excerpt is found, a stray word far from
the failure is not, and the excerpt's own evidence always ranks first."""

from __future__ import annotations

from knownfix.core.extract import read_log
from knownfix.core.match import MatchIndex
from knownfix.core.policy import FailureFacts, default_policy
from knownfix.core.policy.wider import WIDER_LINES, decide_wider, window_lines
from knownfix.services.triage import triage_source
from knownfix.services.triage_window import RecentBlocks


def travis_log(*, findings: bool, stray_gap: int | None = None) -> str:
    """An ``npm test`` step whose script failed on a parse error (the line extraction keeps),
    with markdownlint's findings under it or not, and a stray ``markdownlint`` word in the
    install step ``stray_gap`` lines above the test step."""
    install = ["travis_fold:start:install", "$ npm ci", "added 106 packages in 3.5s"]
    if stray_gap is not None:
        install += ["added markdownlint-cli 0.31.1 to the cache"]
        install += [f"copied asset {i}.png" for i in range(stray_gap)]
    step = ["travis_fold:end:install", "travis_time:start:20baaa46", "$ npm test", "",
            "> site@1.0.0 test /home/travis/build/o/site", "> node scripts/build-pages.js", "",
            "Checking 212 pages", "Error: Parse error on line 12:",
            "... as the sourcedir.**Common builders:**...", "---------------------^",
            "Expecting 'BACKTICK', got 'TEXT'"]
    if findings:
        step += ["pages/common/sphinx-build.md:3: MD041 First line in a file should be a "
                 "top-level heading",
                 "pages/common/sphinx-build.md:9: MD012 Multiple consecutive blank lines"]
    end = ["npm ERR! Test failed.  See above for more details.",
           'The command "npm test" exited with 1.', "", "Done. Your build exited with 1."]
    return "\n".join(install + step + end) + "\n"


def triage(text: str) -> str:
    result = triage_source(None, "build.log", [text.encode()], policy=default_policy(),
                           match_index=MatchIndex.build([]), record=False, history={})
    return result.decision.category


def excerpt_decision(text: str) -> str:
    """What the policy decides on the excerpt and the step alone (before this mechanism)."""
    reading = read_log([text.encode()])
    facts = FailureFacts(text=reading.excerpt.text, step=reading.step, source="build.log")
    return default_policy().decide(facts).category


def test_evidence_only_outside_the_excerpt_is_found() -> None:
    log = travis_log(findings=True)
    assert "MD041" not in read_log([log.encode()]).excerpt.text  # the premise
    assert excerpt_decision(log) != "lint"
    assert triage(log) == "lint"


def test_a_stray_word_far_from_the_failure_does_not_decide() -> None:
    near = travis_log(findings=False, stray_gap=0)
    far = travis_log(findings=False, stray_gap=3 * WIDER_LINES)
    assert triage(near) == "lint"  # the same word beside the failure is read
    assert triage(far) == "test"  # npm's "Test failed." under the excerpt, not the stray word


def test_the_excerpts_own_evidence_ranks_first() -> None:
    asked: list[bool] = []

    def window() -> str:
        asked.append(True)
        return "psql: error: connection to server failed: Connection refused"

    facts = FailureFacts(text="OSError: [Errno 28] No space left on device", step="make test")
    assert decide_wider(default_policy(), facts, window).category == "disk"
    assert not asked  # a decision on the excerpt's evidence never reads the window


def test_a_weak_decision_stands_when_the_window_holds_no_evidence() -> None:
    facts = FailureFacts(text="make: *** [all] Error 2", step="npm test")
    policy = default_policy()
    weak = policy.decide(facts)
    assert decide_wider(policy, facts, lambda: "Building\nmake: *** [all] Error 2\n") == weak
    assert decide_wider(policy, facts, lambda: None) == weak
    filled = decide_wider(policy, facts, lambda: "fatal: unable to access 'https://x/': "
                          "Could not resolve host: github.com")
    assert filled.category == "network"


def test_window_lines_widen_merge_and_clamp() -> None:
    assert window_lines([(50, 52)], total=100, radius=10) == [(40, 62)]
    assert window_lines([(5, 5), (20, 21)], total=24, radius=10) == [(1, 24)]
    assert window_lines([(90, 90), (10, 12)], total=95, radius=3) == [(7, 15), (87, 93)]


def test_recent_blocks_number_lines_as_extraction_does() -> None:
    data = b"one\r\ntwo\rthree\nfour\r\nfive\nsix"
    for size in (1, 2, 3, 7, len(data)):
        blocks = [data[i:i + size] for i in range(0, len(data), size)]
        recent = RecentBlocks(blocks, keep_bytes=1 << 20)
        assert list(recent) == blocks
        assert recent.lines([(2, 3), (6, 6)]) == ["two", "three", "six"]


def test_recent_blocks_keep_the_end_and_refuse_what_they_let_go() -> None:
    lines = [f"line {i}" for i in range(1, 201)]
    data = ("\r\n".join(lines) + "\r\n").encode()
    blocks = [data[i:i + 97] for i in range(0, len(data), 97)]  # cuts fall inside \r\n too
    recent = RecentBlocks(blocks, keep_bytes=500)
    list(recent)
    assert recent.lines([(195, 200)]) == lines[194:200]
    assert recent.lines([(1, 3)]) is None


def test_recent_blocks_read_any_kept_window_whatever_the_cuts() -> None:
    # every line end, blank lines too (a blank line after a lone \r would read as \r\n)
    lines = ["" if k % 3 == 1 and k % 4 == 0 else f"l{k}" for k in range(120)]
    ends = ["\n", "\r\n", "\r"]
    data = "".join(line + ends[i % 3] for i, line in enumerate(lines)).encode()
    for size in (1, 4, 9, 64):
        blocks = [data[i:i + size] for i in range(0, len(data), size)]
        recent = RecentBlocks(blocks, keep_bytes=200)
        list(recent)
        for low in range(1, 121, 7):
            got = recent.lines([(low, low + 3)])
            assert got is None or got == lines[low - 1:low + 3], (size, low)
        assert recent.lines([(117, 120)]) == lines[116:120]


def test_the_window_is_read_redacted() -> None:
    from knownfix.core.policy import Conditions, Policy, Rule
    from knownfix.core.records import TriageDecision

    token = "ghp_" + "a1B2c3D4e5" * 3 + "F6g7h8"
    log = travis_log(findings=False).replace(
        "Checking 212 pages", f"Checking 212 pages with GITHUB_TOKEN={token}")
    assert token not in read_log([log.encode()]).excerpt.text  # only the window holds it
    policy = Policy("p", rules=(
        Rule("saw-the-token", Conditions(any_regex=(token,)),
             TriageDecision(category="leak", severity="high")),
        Rule("saw-the-window", Conditions(any_regex=("Expecting 'BACKTICK'",)),
             TriageDecision(category="window", severity="low")),
    ))
    result = triage_source(None, "build.log", [log.encode()], policy=policy,
                           match_index=MatchIndex.build([]), record=False, history={})
    assert result.decision.category == "window"
