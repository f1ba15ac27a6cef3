"""How blocks grow and join: the lines that tell two failures apart stay in the excerpt."""

from __future__ import annotations

import pytest

from knownfix.core.extract import extract_excerpt_from_text

FILLER = "".join(f"Processed page {i} of 40\n" for i in range(40))
"""Output before the failure: a short step's output would be shown whole."""


def _travis(command: str, output: str, status: int = 1) -> str:
    return (
        f"travis_time:start:0a\n$ {command}\n{FILLER}{output}"
        "travis_time:end:0a:start=1,finish=2,duration=1\n"
        f'The command "{command}" exited with {status}.\n'
    )


def _npm(script: str, output: str) -> str:
    """A step whose tool prints its errors, then npm's lifecycle boilerplate."""
    return _travis(
        f"npm run {script}",
        f"\n> site@1.0.0 {script} /build\n> {script}-tool\n{FILLER}\n{output}"
        "npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\n",
    )


def test_a_count_of_errors_is_joined_by_the_errors_it_counts() -> None:
    errors = "".join(
        f'ERROR 2019/08/01 15:12:45 [en] REF_NOT_FOUND: Ref "/docs/page-{i}": "/site/a.md:1:1"\n'
        for i in range(60)
    )
    log = _npm(
        "docs",
        f"Building sites … {errors}Total in 1326 ms\n"
        "Error: Error building site: logged 60 error(s)\n",
    )
    excerpt = extract_excerpt_from_text(log, max_lines=40)
    assert excerpt.text.splitlines()[-1] == "Error: Error building site: logged 60 error(s)"
    # The budget goes to the errors nearest the count, which name what failed.
    assert 'Ref "/docs/page-59"' in excerpt.text
    assert sum(last - first + 1 for first, last in excerpt.spans) == 40


def test_a_count_takes_the_paragraph_above_it_when_no_failure_word_is_there() -> None:
    log = _npm(
        "links",
        "  [404] http://localhost:5422/docs/missing.html\n\n\n"
        "ERROR: Detected 1 broken links. Scanned 12 links in 0.06 seconds.\n",
    )
    excerpt = extract_excerpt_from_text(log)
    assert excerpt.text.splitlines()[0].strip() == "[404] http://localhost:5422/docs/missing.html"
    assert "Detected 1 broken links" in excerpt.text
    # Only the nearest paragraph: the output above it is not what it counts.
    assert "Processed page" not in excerpt.text


def test_a_line_that_is_not_a_count_takes_no_paragraph_above() -> None:
    log = _npm(
        "links",
        "  checked http://localhost:5422/docs/index.html\n\n"
        "ERROR: the link checker could not start\n",
    )
    excerpt = extract_excerpt_from_text(log)
    assert "checked http://" not in excerpt.text


def test_a_thin_error_is_joined_by_the_weak_lines_around_it() -> None:
    # The location and the message are weak lines; the strong line alone says little.
    log = _travis(
        "./export-docs.sh",
        'error in process sentinel: (error Malformed response:{"text":"current-buffer: a.org\n'
        "current-file: /tmp/docs/a.org\n"
        'error: File "/tmp/docs/a.org" has no "Features:" list in its description\n'
        'See "https://example.org/templates/README.org.template"\n'
        '"})\n'
        "Exporting failed.\n\n",
        status=2,
    )
    excerpt = extract_excerpt_from_text(log)
    assert "error in process sentinel" in excerpt.text
    assert "Exporting failed." in excerpt.text


def test_a_long_best_block_is_not_joined_by_its_neighbours() -> None:
    trace = "".join(f"    at frame{i} (/src/app.js:{i}:1)\n" for i in range(6))
    log = _travis(
        "npm test",
        "warning: something unrelated happened\n"
        f"TypeError: Cannot read property 'x' of undefined\n{trace}",
    )
    excerpt = extract_excerpt_from_text(log)
    assert "TypeError: Cannot read property 'x'" in excerpt.text
    assert "something unrelated" not in excerpt.text


@pytest.mark.parametrize(
    ("announced", "shown"),
    [
        # What the message announces with a colon, over a blank line, less indented than itself.
        (
            "\n  In Podfile:\n\n    App (from `/build/App`) depends on\n\n      Lib (= 10.0.0)\n",
            True,
        ),
        # Not indented: a new paragraph of other output, not the message's continuation.
        ("\nAnalyzed 3 podspecs.\n", False),
    ],
)
def test_a_message_ending_in_a_colon_continues_over_what_it_announces(
    announced: str, shown: bool
) -> None:
    log = _travis(
        "pod lib lint App.podspec",
        " -> App (10.0.0)\n\n"
        "    - ERROR | [OSX] unknown: Encountered an unknown error (CocoaPods could not find "
        'compatible versions for pod "Lib":\n' + announced,
    )
    excerpt = extract_excerpt_from_text(log)
    assert "could not find compatible versions" in excerpt.text
    first = announced.strip().splitlines()[0]
    assert (first in excerpt.text) is shown
    if shown:
        assert "Lib (= 10.0.0)" in excerpt.text


def test_a_vague_block_that_runs_into_the_step_end_is_shown_from_its_start() -> None:
    # Only a failure word ("fail:") opens it: too vague to win alone, so the step's last lines
    # are shown; they are this block's end, and its first line says what failed.
    frames = "".join(
        f"\t[string \"bundle:libs/m{i}.lua\"]:{i}: in function 'f{i}'\n" for i in range(14)
    )
    log = _travis("make", f"fail: No such hash: 31b8c996c762\nstack traceback:\n{frames}")
    excerpt = extract_excerpt_from_text(log)
    assert excerpt.text.splitlines()[0] == "fail: No such hash: 31b8c996c762"
    assert "in function 'f13'" in excerpt.text


def test_a_script_that_fails_on_purpose_shows_the_command_yarn_echoed() -> None:
    check = (
        "$ gulp && git status | grep 'working directory clean' >/dev/null"
        " || (echo 'Please commit all changes generated by building'; exit 1)"
    )
    log = (
        f"travis_time:start:0a\n$ yarn test\nyarn run v1.3.2\n{check}\n{FILLER}"
        "Please commit all changes generated by building\n"
        "error Command failed with exit code 1.\n"
        "travis_time:end:0a:start=1,finish=2,duration=1\n"
        'The command "yarn test" exited with 1.\n'
    )
    excerpt = extract_excerpt_from_text(log)
    assert check in excerpt.text
    assert excerpt.text.splitlines()[-1] == "Please commit all changes generated by building"
