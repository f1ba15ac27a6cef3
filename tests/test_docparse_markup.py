"""Site-generator markup: one table of constructs, read line by line, and their properties.

Each case is ``(name, source lines, expected lines)``: the stripper keeps the count of lines (a
line that is only markup becomes empty), so every expected list is as long as its source.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knownfix.core.docparse.containers import dedent, read_opener
from knownfix.core.docparse.markup import strip_site_markup


def strip(text: str) -> list[str]:
    return list(strip_site_markup(text.splitlines(keepends=True)))


CASES: list[tuple[str, str, list[str]]] = [
    (
        "mkdocs collapsible question: the title is a heading below the section, the body text",
        '## Install\n??? question "Why does `pip` fail with `EACCES`?"\n\n    Use a venv.\n',
        ["## Install\n", "### Why does `pip` fail with `EACCES`?\n", "\n", "Use a venv.\n"],
    ),
    (
        "mkdocs open collapsible (???+) of a failure kind, under a level-3 section",
        '### Build\n???+ failure "If you see `command not found: adb`"\n    Add it to PATH.\n',
        ["### Build\n", "#### If you see `command not found: adb`\n", "Add it to PATH.\n"],
    ),
    (
        "mkdocs callout title is decoration: the body joins the section as text",
        '## Cache\n!!! warning "Cache poisoning security risk"\n    Do not cache releases.\n',
        ["## Cache\n", "\n", "Do not cache releases.\n"],
    ),
    (
        "collapsible exhibit (logs, code) is not a question",
        '## Crash\n??? console "Logs"\n\n    ```console\n    RuntimeError: boom\n    ```\n',
        ["## Crash\n", "\n", "\n", "```console\n", "RuntimeError: boom\n", "```\n"],
    ),
    (
        "mkdocs content tabs: labels go, bodies are text, not indented code",
        '=== "Linux"\n\n    Run `apt install foo`.\n\n=== "macOS"\n\n    Run `brew install foo`.\n',
        ["\n", "\n", "Run `apt install foo`.\n", "\n", "\n", "\n", "Run `brew install foo`.\n"],
    ),
    (
        "nested admonition: its body is deeper than the enclosing one's",
        '??? question "Why?"\n    Because.\n    !!! note\n        Inner.\nAfter.\n',
        ["## Why?\n", "Because.\n", "\n", "Inner.\n", "After.\n"],
    ),
    (
        "untitled error admonition keeps its body as printed output (a code block)",
        "!!! error\n    --cache cannot be used here.\nText.\n",
        ["\n", "    --cache cannot be used here.\n", "Text.\n"],
    ),
    (
        "docusaurus / vitepress details container with a title is a heading",
        "## FAQ\n:::details Why does `npm ci` fail?\nAlign the versions.\n:::\n",
        ["## FAQ\n", "### Why does `npm ci` fail?\n", "Align the versions.\n", "\n"],
    ),
    (
        "callout containers (:::tip[Title], ::: warning Title) lose marker and title",
        ":::tip[Use the lockfile]\nCommit it.\n:::\n::: warning Careful\nBack up.\n:::\n",
        ["\n", "Commit it.\n", "\n", "\n", "Back up.\n", "\n"],
    ),
    (
        "a container inside a list item keeps the list: no heading there",
        "1. Styles\n\n   :::details Why?\n   Isolation.\n   :::\n",
        ["1. Styles\n", "\n", "\n", "   Isolation.\n", "\n"],
    ),
    (
        "GitHub alert: marker goes, the body is unquoted text (code inside stays code)",
        "> [!IMPORTANT]\n> Rebuild Mesa:\n> ```bash\n> -Dvideo-codecs=h264enc\n> ```\nAfter.\n",
        ["\n", "Rebuild Mesa:\n", "```bash\n", "-Dvideo-codecs=h264enc\n", "```\n", "After.\n"],
    ),
    (
        "Obsidian foldable callout with a title is a question heading",
        "## Login\n> [!faq]- Why does login fail with `invalid_grant`?\n> Sync the clock.\n",
        ["## Login\n", "### Why does login fail with `invalid_grant`?\n", "Sync the clock.\n"],
    ),
    (
        "a plain quotation is not an alert and stays quoted",
        "> Refused to execute inline script\n",
        ["> Refused to execute inline script\n"],
    ),
    (
        "Hugo details shortcode pair: the title is a heading",
        '## Deploy\n{{< details "Why `502 Bad Gateway`?" >}}\nRaise the timeout.\n'
        "{{< /details >}}\n",
        ["## Deploy\n", "### Why `502 Bad Gateway`?\n", "Raise the timeout.\n", "\n"],
    ),
    (
        "Docsy alert shortcode: the title is decoration",
        '{{% alert title="Note" color="info" %}}\nText.\n{{% /alert %}}\n',
        ["\n", "Text.\n", "\n"],
    ),
    (
        "MDX: a JSX tag over several lines and a multi-line import are blank",
        "import {\n  Aside,\n} from '~/components';\n<Tabs\n  values={[\n    {label: 'A'},\n"
        "  ]}>\n<TabItem value=\"a\">\nText.\n</TabItem>\n",
        ["\n"] * 8 + ["Text.\n", "\n"],
    ),
    (
        "MDX: Markdown indented inside JSX components is text, not indented code",
        "<Tabs>\n  <TabItem value=\"npm\">\n\n    Fix the prefix:\n\n    ```bash\n"
        "    npm config set prefix ~/.npm\n    ```\n  </TabItem>\n</Tabs>\n    code after\n",
        ["\n", "\n", "\n", "Fix the prefix:\n", "\n", "```bash\n", "npm config set prefix ~/.npm\n",
         "```\n", "\n", "\n", "    code after\n"],
    ),
    (
        "MDX collapsible component with a title (Mintlify's Accordion), one or several lines",
        "## Auth\n<Accordion title=\"Why `401 Unauthorized`?\">\nRenew the key.\n</Accordion>\n"
        "<Accordion\n  title='Why `EINTEGRITY`?'>\nClean the cache.\n</Accordion>\n",
        ["## Auth\n", "### Why `401 Unauthorized`?\n", "Renew the key.\n", "\n", "\n",
         "### Why `EINTEGRITY`?\n", "Clean the cache.\n", "\n"],
    ),
    (
        "Hugo shortcode over several lines is blank",
        '{{< figure\n  src="/img/a.png"\n  caption="A" >}}\nText.\n',
        ["\n", "\n", "\n", "Text.\n"],
    ),
    (
        "Jekyll and Hugo highlight blocks are code fences (a # comment is no heading)",
        "{% highlight bash %}\n# start\nrun\n{% endhighlight %}\n{{< highlight go >}}\n"
        "// x\n{{< /highlight >}}\n",
        ["```bash\n", "# start\n", "run\n", "```\n", "```go\n", "// x\n", "```\n"],
    ),
    (
        "MyST directive fences hold Markdown; a dropdown's title is a heading; code stays code",
        "## Docs\n````{dropdown} Why does `make docs` fail?\n:class: warning\nInstall it.\n"
        "```bash\npip install x\n```\n````\n```{note} Read first.\n```\n```{code-block} sh\n"
        "# c\n```\n",
        ["## Docs\n", "### Why does `make docs` fail?\n", "\n", "Install it.\n", "```bash\n",
         "pip install x\n", "```\n", "\n", "Read first.\n", "\n", "```{code-block} sh\n",
         "# c\n", "```\n"],
    ),
    (
        "HTML heading is an ATX heading; an anchor line above a heading does not swallow it",
        '<h3 id="x">Error: <code>connection refused</code></h3>\n<a name="oom"></a>\n'
        "### Killed\n",
        ["### Error: connection refused\n", "\n", "### Killed\n"],
    ),
    (
        "an HTML heading inside an aside is the callout's title, not a section",
        '<aside class="note warning">\n\n<h1>Warning</h1>\n\nClean up first.\n\n</aside>\n',
        ['<aside class="note warning">\n', "\n", "\n", "\n", "Clean up first.\n", "\n",
         "</aside>\n"],
    ),
    (
        "presentational wrappers go, their text stays",
        '<div align="center">\n  <img src="logo.png" width="80">\n</div>\nText.\n',
        ["\n", "\n", "\n", "Text.\n"],
    ),
    (
        "Doxygen alias blocks: markers go, the fence inside opens and closes at column 0",
        "@tabs{\n  @tab{Linux | ```bash\n    sunshine --creds a b\n    ```\n  }\n}\nText.\n",
        ["\n", "```bash\n", "sunshine --creds a b\n", "```\n", "\n", "\n", "Text.\n"],
    ),
    (
        "table-of-contents and snippet markers are blank",
        '[TOC]\n[[toc]]\n--8<-- "includes/abbreviations.md"\n',
        ["\n", "\n", "\n"],
    ),
    (
        "attribute lists go (heading ids, classes, image sizes); code spans keep braces",
        '### Title {: #abi3}\n![s](a.png){ width="300" }\nUse `{ width="1" }` and {answer}.\n',
        ["### Title\n", "![s](a.png)\n", 'Use `{ width="1" }` and {answer}.\n'],
    ),
    (
        "markers inside fenced code are code",
        '```markdown\n!!! note\n    Some text.\n??? question "Q"\n> [!NOTE]\n```\n',
        ["```markdown\n", "!!! note\n", "    Some text.\n", '??? question "Q"\n', "> [!NOTE]\n",
         "```\n"],
    ),
]


@pytest.mark.parametrize(("name", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_markup_construct(name: str, source: str, expected: list[str]) -> None:
    got = strip(source)
    assert len(got) == source.count("\n")
    assert got == expected


OPENERS: list[tuple[str, tuple[str, str, str, bool] | None]] = [
    ('??? question "Why?"', ("indented", "question", "Why?", True)),
    ('!!! tab examples "pyproject.toml"', ("indented", "tab", "pyproject.toml", False)),
    ("!!! note", ("indented", "note", "", False)),
    ('=== "Linux"', ("indented", "tab", "Linux", False)),
    (":::caution[Heads up]", ("fenced", "caution", "Heads up", False)),
    ("::: details Why not? {open}", ("fenced", "details", "Why not?", True)),
    (":::{note} Title", ("fenced", "note", "Title", False)),
    (":::", None),
    ("> [!NOTE]", ("quoted", "note", "", False)),
    ("> [!question]+ Why?", ("quoted", "question", "Why?", True)),
    ('{{< expand "Why?" >}}', ("fenced", "expand", "Why?", True)),
    ("Just text with !!! in it", None),
    ("> quoted text", None),
]


@pytest.mark.parametrize(("line", "expected"), OPENERS, ids=[c[0] for c in OPENERS])
def test_read_opener(line: str, expected: tuple[str, str, str, bool] | None) -> None:
    opener = read_opener(line + "\n")
    got = None if opener is None else (opener.style, opener.kind, opener.title,
                                       opener.collapsible)
    assert got == expected


def test_titles_that_name_problems() -> None:
    def names(line: str) -> bool:
        opener = read_opener(line)
        assert opener is not None
        return opener.names_problem

    assert names('??? note "Why does X fail?"')  # any titled collapsible
    assert names('!!! bug "Crash on start"')  # a failure kind
    assert not names('!!! warning "Cache poisoning"')  # a callout
    assert not names('??? example "Workaround"')  # an exhibit
    assert not names('=== "Linux"')  # a tab
    assert not names("??? question")  # no title


@pytest.mark.parametrize(("line", "columns", "expected"), [
    ("    text\n", 4, "text\n"), ("\ttext\n", 4, "text\n"), ("  \ttext\n", 4, "text\n"),
    ("      text\n", 4, "  text\n"), ("  text\n", 4, "text\n"), ("\ttext\n", 2, "  text\n"),
])
def test_dedent_counts_a_tab_as_four_columns(line: str, columns: int, expected: str) -> None:
    assert dedent(line, columns) == expected


# -- properties ----------------------------------------------------------------------------

_PIECES = [
    "## Section\n", "### Sub {#id}\n", "Text with `code` and {answer}.\n", "\n",
    '??? question "Why does `x` fail?"\n', "    Answer line.\n", "        deeper\n",
    "!!! error\n", '!!! note "Title"\n', '=== "Linux"\n', "\tTabbed body\n",
    "```bash\n", "```\n", ":::details Why?\n", ":::tip[T]\n", ":::\n", "> [!NOTE]\n",
    "> quoted\n", "<Tabs\n", "  values={[{a: 1}]}>\n", "</Tabs>\n", "import {\n",
    "} from 'x';\n", "<h3>Error: boom</h3>\n", '<a name="x"></a>\n', "@tabs{\n",
    "  @tab{L | ```bash\n", "  }\n", "}\n", "[TOC]\n", '{{< details "Q?" >}}\n',
    "{{< /details >}}\n", "{% include x.html %}\n", '![a](b.png){ width="3" }\n',
    '<Accordion title="Q?">\n', "</Accordion>\n", "{{< figure\n", '  src="a" >}}\n',
    "{% highlight bash %}\n", "{% endhighlight %}\n", "```{note}\n", "````{dropdown} Q?\n",
    "````\n", ":class: tip\n",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
@settings(max_examples=300, deadline=None)
def test_stripping_documents_of_constructs_is_idempotent(pieces: list[str]) -> None:
    once = list(strip_site_markup(pieces))
    assert len(once) == len(pieces)
    assert list(strip_site_markup(once)) == once


@given(st.lists(st.text(max_size=60).map(lambda s: s.replace("\n", " ") + "\n"), max_size=30))
@settings(max_examples=300, deadline=None)
def test_stripping_any_text_never_raises_and_keeps_lines(lines: list[str]) -> None:
    out = list(strip_site_markup(lines))
    assert len(out) == len(lines)
    assert all(line.endswith("\n") for line in out)


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
@settings(max_examples=200, deadline=None)
def test_stripped_markers_never_survive_outside_code(pieces: list[str]) -> None:
    fence = ""  # the open fence's backticks; only a bare run as long closes it (CommonMark)
    for line in strip_site_markup(pieces):
        stripped = line.strip()
        if fence:
            if set(stripped) == {"`"} and len(stripped) >= len(fence):
                fence = ""
            continue
        if stripped.startswith("```"):
            fence = stripped[: len(stripped) - len(stripped.lstrip("`"))]
            continue
        if not line.startswith("    "):
            assert not stripped.startswith(("!!!", "???", "===", ":::", "> [!", "@tab"))
