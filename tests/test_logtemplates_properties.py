"""Properties of the template miner on arbitrary text (hypothesis).

- nothing raises, whatever the text;
- every line gets a cluster that still exists after all lines are learned;
- identical lines end in the same cluster;
- a line fits its cluster's template: the same number of tokens with every constant equal, or
  else the same number of whitespace-separated chunks with every chunk matching (``<*>`` standing
  for any text). A line spaced differently from its cluster's lines may only fit a template the
  cluster had earlier; those are kept, so ``match`` still finds the cluster (tested here too).
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.logtemplates import TemplateMiner, compile_header_format
from knownfix.core.logtemplates.matching import chunk_matchers, chunks, fits_chunks, fits_tokens
from knownfix.core.logtemplates.tokenize import tokenize

# Log-like text: words, numbers, delimiters, paths and odd characters, in any order.
PIECES = st.sampled_from(
    [
        "user",
        "root",
        "failed",
        "open",
        "=",
        ":",
        ",",
        "(",
        ")",
        "[",
        "]",
        '"',
        "'",
        "/var/log",
        "10.0.0.1",
        "12",
        "0x1f",
        "true",
        "KB",
        "Jul",
        "...",
        "a.b.com",
        "ü",
        "\t",
        "<*>",
        "x=1",
    ]
)
LINES = st.one_of(
    st.text(max_size=60),
    st.lists(PIECES, max_size=12).map(" ".join),
    st.lists(PIECES, max_size=12).map("".join),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=25))
def test_every_line_gets_a_lasting_cluster(lines: list[str]) -> None:
    miner = TemplateMiner()
    returned = [miner.add(line) for line in lines]
    for line, added in zip(lines, returned, strict=True):
        assert miner.cluster(added.cluster_id) is not None
        final = miner.match(line)
        assert final is not None
        assert final.cluster_id == miner.cluster(added.cluster_id).id  # type: ignore[union-attr]
    assert sum(c.size for c in miner.templates()) == len(lines) == miner.lines


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=20), st.data())
def test_identical_lines_share_a_cluster(lines: list[str], data: st.DataObject) -> None:
    repeated = lines + [data.draw(st.sampled_from(lines)) for _ in range(5)]
    miner = TemplateMiner()
    for line in repeated:
        miner.add(line)
    by_line: dict[str, str] = {}
    for line in repeated:
        found = miner.match(line)
        assert found is not None
        assert by_line.setdefault(line, found.cluster_id) == found.cluster_id


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=20))
def test_a_line_fits_its_template(lines: list[str]) -> None:
    miner = TemplateMiner()
    for line in lines:
        miner.add(line)
    state = miner.to_state()
    merged = {number: into for number, into in state["merged"]}  # type: ignore[attr-defined]
    current: dict[int, Template] = {}
    earlier: dict[int, list[Template]] = {}
    for saved in state["clusters"]:  # type: ignore[attr-defined]
        current[saved["number"]] = _template(saved)
    for saved in state["past"]:  # type: ignore[attr-defined]
        owner = merged.get(saved["number"], saved["number"])
        earlier.setdefault(owner, []).append(_template(saved))
    for line in lines:
        found = miner.match(line)
        assert found is not None
        number = int(found.cluster_id[1:])
        line_tokens, line_spaces = tokenize(line)
        if not _fits(line_tokens, line_spaces, current[number]):
            # Only a line spaced unlike its cluster's lines, fitting an earlier template.
            assert any(_fits(line_tokens, line_spaces, t) for t in earlier.get(number, []))


Template = tuple[tuple[str, ...], tuple[bool, ...]]


def _template(saved: dict[str, list[object]]) -> Template:
    return tuple(str(t) for t in saved["tokens"]), tuple(bool(s) for s in saved["spaces"])


def _fits(tokens: tuple[str, ...], spaces: tuple[bool, ...], template: Template) -> bool:
    return fits_tokens(tokens, template[0]) or fits_chunks(
        chunks(tokens, spaces), chunk_matchers(*template)
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(LINES, max_size=15))
def test_state_round_trip_keeps_every_answer(lines: list[str]) -> None:
    miner = TemplateMiner()
    for line in lines:
        miner.add(line)
    restored = TemplateMiner.from_state(json.loads(json.dumps(miner.to_state())))
    assert restored.templates() == miner.templates()
    for line in lines:
        assert restored.match(line) is not None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_header_split_never_raises_and_keeps_the_text(line: str) -> None:
    header = compile_header_format(
        r"<Month> <Day> <Time> <Host> <Component>(\[<Pid>\])?: <Content>"
    )
    fields, content = header.split(line)
    assert content in line.strip()
    if not fields:
        assert content == line.strip()
