"""Fingerprints 2026-12-13: what one run of a failure prints and its rerun does not.

Under a generic title (xUnit's ``Assert.Equal() Failure``) every context line of the excerpt
joins the loose fingerprint, so a line that only some runs print split reruns of one failure
into two incidents: a .NET frame that names its source file first (``File.cs(445,0): at …``,
printed when the build has symbols) and Travis CI's timing marker glued to a step's last output
(``>travis_time:end:…``). The first is a frame now, the second is stripped by normalization.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.signature.fingerprint import compat_loose_fingerprints, fingerprint_excerpt
from knownfix.core.signature.normalize import normalize_line

XUNIT = """\
    Nancy.Testing.Tests.BrowserFixture.Should_return_JSON_serialized_form [FAIL]
      Assert.Equal() Failure
      Expected: 1
      Actual:   0
      Stack Trace:
{located}
           at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw()
           at System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccess(Task task)
  Finished: Nancy.Testing.Tests
>{marker}
"""
LOCATED = (
    "        /home/travis/build/NancyFx/Nancy/test/Nancy.Testing.Tests/BrowserFixture.cs(445,0): "
    "at Nancy.Testing.Tests.BrowserFixture.<Should_return_JSON_serialized_form>d__24.MoveNext()"
)
MARKER = "travis_time:end:0e6c2f10:start=1532010934,finish=1532011104,duration=170"


def _excerpt(located: str = "", marker: str = "", test: str = "form") -> str:
    text = XUNIT.format(located=located, marker=marker)
    return text.replace("serialized_form", f"serialized_{test}")


def test_a_located_dotnet_frame_is_a_frame() -> None:
    assert "(3 frames)" in fingerprint_excerpt(_excerpt(located=LOCATED)).reasons[1]
    assert "(3 frames)" not in fingerprint_excerpt(
        _excerpt(located=LOCATED), version="2026-12-12").reasons[1]
    assert fingerprint_excerpt(_excerpt(located=LOCATED)).loose_fingerprint == (
        fingerprint_excerpt(_excerpt()).loose_fingerprint
    )


def test_the_older_strategy_split_them_and_finds_its_incident() -> None:
    with_frame, without = _excerpt(located=LOCATED), _excerpt()
    old = [fingerprint_excerpt(e, version="2026-12-12").loose_fingerprint
           for e in (with_frame, without)]
    assert old[0] != old[1]  # what this strategy fixes
    current = fingerprint_excerpt(with_frame)
    assert old[0] in compat_loose_fingerprints(with_frame, current)


def test_a_travis_marker_glued_to_output_moves_no_fingerprint() -> None:
    plain, marked = _excerpt(), _excerpt(marker=MARKER)
    assert fingerprint_excerpt(plain).loose_fingerprint == (
        fingerprint_excerpt(marked).loose_fingerprint
    )
    assert fingerprint_excerpt(plain).fingerprint == fingerprint_excerpt(marked).fingerprint
    assert fingerprint_excerpt(plain, version="2026-12-12").loose_fingerprint != (
        fingerprint_excerpt(marked, version="2026-12-12").loose_fingerprint
    )


def test_another_failing_test_is_still_another_incident() -> None:
    one = fingerprint_excerpt(_excerpt(located=LOCATED, marker=MARKER))
    other = fingerprint_excerpt(_excerpt(located=LOCATED, marker=MARKER, test="querystring"))
    assert one.loose_fingerprint != other.loose_fingerprint


def test_a_located_compiler_error_is_no_frame() -> None:
    # The same "File.cs(line,col):" shape followed by a diagnostic stays the failure's title.
    line = "Extensions/CollectionExtensions.cs(12,9): error CS0103: The name 'key' does not exist"
    assert fingerprint_excerpt(line).title.startswith("Extensions/CollectionExtensions.cs")


@settings(max_examples=60, deadline=None)
@given(
    # The marker follows what the step printed last; masking never starts inside a word, and
    # what Travis glues it to ends in a prompt, a stop or a colour code (stripped before).
    prefix=st.text(alphabet="ab .>:$", max_size=12).filter(lambda p: not p[-1:].isalnum()),
    kind=st.sampled_from(["fold", "time"]),
    edge=st.sampled_from(["start", "end"]),
    label=st.from_regex(r"[a-z0-9]{1,8}(:start=[0-9]{1,10},finish=[0-9]{1,10})?", fullmatch=True),
)
def test_travis_markers_are_stripped_wherever_they_are_glued(
    prefix: str, kind: str, edge: str, label: str
) -> None:
    marker = f"travis_{kind}:{edge}:{label}"
    assert normalize_line(prefix + marker) == normalize_line(prefix)
