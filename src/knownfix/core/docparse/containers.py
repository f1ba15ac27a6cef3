"""Containers that documentation sites wrap around Markdown, read with one model.

MkDocs admonitions and collapsibles (``!!! note``, ``??? question "Why …?"``, ``???+``), MkDocs
content tabs (``=== "Linux"``), Docusaurus / VitePress / Starlight containers (``:::tip``,
``::: details Why …?``, ``:::caution[Title]``, closed by ``:::``) and GitHub / DocFX / Obsidian
alerts (``> [!NOTE]``, ``> [!faq]- Why …?``) all open with a marker that has a kind and an
optional title, and hold a body. The body is page text: it is dedented (MkDocs indents it four
columns) or unquoted (alerts) so that the reader sees prose and code, not an indented code block
or a quotation.

A title that can name a problem becomes a heading one level below the section it sits in, so that
the title is read as the problem and the body as its remedy, like any heading section: the title
of a collapsible (FAQ pages fold each answer under its question) or of a question / failure kind.
Other titles ("Note", "Cache poisoning security risk", a tab's "Linux") are decoration and go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds whose title is a question or a failure (MkDocs Material's question/faq/help, failure/fail/
# missing, bug; an error admonition).
PROBLEM_KINDS = frozenset({"question", "faq", "help", "failure", "fail", "missing", "bug", "error"})
# Kinds whose untitled body is what the failure prints: kept indented, a code block
# ("!!! error" then "    --skip-update cannot be specified …").
PRINTED_KINDS = frozenset({"error", "failure", "fail", "missing", "bug"})
# Tabs are alternatives of one step ("Linux", "macOS"): never a problem of their own.
TAB_KINDS = frozenset({"tab", "tabs", "code-group"})
COLLAPSIBLE_KINDS = frozenset({"details", "collapse", "collapsible", "spoiler", "accordion"})
# Kinds that fold away an exhibit (a code sample, logs, an example), not an answer: vLLM's
# ``??? console "Logs"``, mkdocstrings' ``??? example "JavaScript workaround"``.
EXHIBIT_KINDS = frozenset({"example", "code", "console", "abstract", "quote", "cite", "output",
                           "log", "logs", "snippet", "source", "summary", "tldr"})

_MKDOCS = re.compile(
    r"^(?P<indent>[ ]*)(?P<mark>!!!|\?\?\?\+?)[ \t]*(?P<kind>[A-Za-z][\w-]*)"
    r"(?P<rest>[^\n]{0,300}?)[ \t]*$"
)
_MKDOCS_TITLE = re.compile(r'^(?:[ \t]+[\w-]+)*[ \t]*"(?P<title>[^"]*)"$')
_TAB = re.compile(r'^(?P<indent>[ ]*)===[+!]?[ \t]+"(?P<title>[^"]*)"[ \t]*$')
_COLONS = re.compile(
    r"^(?P<indent>[ \t]*):{3,}[ \t]*(?:\{(?P<myst>[A-Za-z][\w-]*)\}|(?P<kind>[A-Za-z][\w-]*))?"
    r"(?:\[(?P<btitle>[^\]\n]{0,300})\])?[ \t]*(?P<title>[^\n{]{0,300}?)[ \t]*"
    r"(?:\{[^}\n]*\})?[ \t]*$"
)
_ALERT = re.compile(
    r"^(?P<indent>[ ]{0,3})>[ \t]?\[!(?P<kind>[A-Za-z][\w-]*)\](?P<fold>[+-]?)"
    r"[ \t]*(?P<title>[^\n]{0,300}?)[ \t]*$"
)
_QUOTED = re.compile(r"^[ ]{0,3}>[ ]?")
# A Hugo shortcode pair around a body (``{{< details "Why …?" >}}`` … ``{{< /details >}}``,
# Docsy's ``{{% alert title="…" %}}``): the title is the first quoted argument or ``title=``.
_SHORTCODE_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)\{\{[<%][ \t]*(?P<kind>[A-Za-z][\w-]*)(?P<args>[^{}\n]{0,300}?)"
    r"[ \t]*[>%]\}\}[ \t]*$"
)
_SHORTCODE_TITLE = re.compile(r'(?:^|\s)(?:(?:title|summary|header)=)?"(?P<title>[^"]*)"')


# JSX components that fold an answer under a title (Mintlify's ``<Accordion title="…">``,
# ``<Details summary="…">``, ``<Expandable>``), and the attributes that carry the title.
_COMPONENT = re.compile(r"^\s*<(?P<name>[A-Z][\w.]*)\b(?P<attrs>[^<>]*?)\s*>\s*$", re.DOTALL)
_COMPONENT_TITLE = re.compile(
    r"\b(?:title|summary|question|label|header)=(?:\"(?P<d>[^\"]*)\"|'(?P<s>[^']*)'"
    r"|\{[\"'`](?P<b>[^\"'`]*)[\"'`]\})"
)
COMPONENT_COLLAPSIBLES = frozenset({"accordion", "details", "collapse", "collapsible",
                                    "expandable", "disclosure", "faq", "question", "spoiler"})
# MyST (Sphinx Markdown) directives written as fences: ```{note} … ```. These hold Markdown;
# the ones below hold code or machinery, and stay fences.
_MYST = re.compile(r"^(?P<indent>[ ]{0,3})(?P<mark>`{3,}|~{3,})\{(?P<kind>[\w:-]+)\}[ \t]*"
                   r"(?P<args>[^\n]{0,300}?)[ \t]*$")
MYST_CODE = frozenset({"code-block", "code", "sourcecode", "code-cell", "literalinclude", "math",
                       "mermaid", "eval-rst", "raw", "csv-table", "list-table", "graphviz",
                       "plantuml", "jupyter-execute", "ipython", "doctest", "testcode",
                       "testoutput", "toctree", "include", "image", "figure", "automodule",
                       "autoclass", "autofunction", "literal"})
MYST_TITLED = frozenset({"admonition", "dropdown", "tab-item", "card", "topic", "sidebar"})


@dataclass(frozen=True, slots=True)
class Opener:
    """A container's opening line, read.

    ``style`` says how its body is written: "indented" (MkDocs: four columns deeper than the
    marker), "fenced" (``:::`` … ``:::``: the lines up to a closing marker, as they are) or
    "quoted" (alerts: the ``>`` lines that follow).
    """

    style: str
    kind: str  # casefolded: "note", "question", "details", "tab" …
    title: str
    collapsible: bool
    indent: int  # columns before the marker

    @property
    def names_problem(self) -> bool:
        """Whether the title is read as a heading: it may name the problem the body answers."""
        if not self.title.strip() or self.kind in TAB_KINDS or self.kind in EXHIBIT_KINDS:
            return False
        return self.collapsible or self.kind in PROBLEM_KINDS

    @property
    def printed(self) -> bool:
        """Whether an untitled body of this kind is printed output (an error admonition)."""
        return not self.title.strip() and self.kind in PRINTED_KINDS


def read_opener(line: str) -> Opener | None:
    """The container that ``line`` opens, or None (a ``:::`` closing line opens nothing)."""
    text = line.rstrip("\n")
    if "!!!" in text or "???" in text:
        found = _MKDOCS.match(text)
        if found:
            rest = _MKDOCS_TITLE.match(found["rest"])
            return Opener("indented", found["kind"].casefold(), rest["title"] if rest else "",
                          found["mark"].startswith("???"), len(found["indent"]))
    if "===" in text:
        tab = _TAB.match(text)
        if tab:
            return Opener("indented", "tab", tab["title"], False, len(tab["indent"]))
    if ":::" in text:
        colons = _COLONS.match(text)
        if colons and (colons["kind"] or colons["myst"]):
            kind = (colons["kind"] or colons["myst"]).casefold()
            title = colons["btitle"] or colons["title"] or ""
            return Opener("fenced", kind, title, kind in COLLAPSIBLE_KINDS,
                          len(colons["indent"].expandtabs(4)))
    if "{{" in text:
        code = _SHORTCODE_OPEN.match(text)
        if code:
            kind = code["kind"].casefold()
            named = _SHORTCODE_TITLE.search(code["args"])
            return Opener("fenced", kind, named["title"] if named else "",
                          kind in COLLAPSIBLE_KINDS or kind == "expand",
                          len(code["indent"].expandtabs(4)))
    if "[!" in text:
        alert = _ALERT.match(text)
        if alert:
            return Opener("quoted", alert["kind"].casefold(), alert["title"],
                          bool(alert["fold"]), len(alert["indent"]))
    return None


def read_component(tag: str) -> Opener | None:
    """A JSX component that folds its body under a title (``<Accordion title="Why …?">``)."""
    found = _COMPONENT.match(tag)
    if found is None or found["attrs"].rstrip().endswith("/"):
        return None
    kind = found["name"].rsplit(".", 1)[-1].casefold()
    if kind not in COMPONENT_COLLAPSIBLES:
        return None
    named = _COMPONENT_TITLE.search(found["attrs"])
    title = next((g for g in named.groups() if g is not None), "") if named else ""
    return Opener("component", kind, title, True, indentation(tag))


def read_myst(line: str) -> tuple[str, Opener, str] | None:
    """``(closing mark, opener, first content line)`` for a MyST directive fence that holds
    Markdown (```{note}``, ````{dropdown} Why …?``), else None."""
    found = _MYST.match(line.rstrip("\n"))
    if found is None:
        return None
    kind = found["kind"].casefold()
    if kind in MYST_CODE or kind.startswith(("auto", "code")):
        return None
    args = found["args"]
    titled = kind in MYST_TITLED
    opener = Opener("myst", kind, args if titled else "", kind == "dropdown",
                    len(found["indent"]))
    return found["mark"], opener, "" if titled else args


def is_closing_colons(line: str) -> bool:
    """True for a line that is only colons (``:::``, ``::::``): a fenced container's end."""
    stripped = line.strip()
    return len(stripped) >= 3 and set(stripped) == {":"}


def heading_for(title: str, section_level: int) -> str:
    """An ATX heading line for a container title, one level below the enclosing section."""
    level = min(max(section_level, 1) + 1, 6)
    return "#" * level + " " + " ".join(title.split()) + "\n"


def unquote(line: str) -> str | None:
    """An alert body line without its ``>`` (None when the line is not quoted: the body ended)."""
    found = _QUOTED.match(line)
    if found is None:
        return None
    rest = line[found.end():]
    return rest if rest.strip() else "\n"


def dedent(line: str, columns: int) -> str:
    """``line`` without ``columns`` columns of leading whitespace (a tab is four columns)."""
    width = 0
    index = 0
    while index < len(line) and width < columns and line[index] in " \t":
        width = (width // 4 + 1) * 4 if line[index] == "\t" else width + 1
        index += 1
    rest = line[index:]
    return " " * (width - columns) + rest if width > columns else rest


def indentation(line: str) -> int:
    """Columns of leading whitespace (a tab is four columns)."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width = (width // 4 + 1) * 4
        else:
            break
    return width
