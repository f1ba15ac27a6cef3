"""Reading a document for its meaning: the cue words, titles, quoted errors, code blocks, and
the structures that hold several entries (bold leads, Q&A, problem paragraphs, category
headings, a late ``### Solution``). Case tables of our own sentences and small documents."""

from __future__ import annotations

import pytest
from markdown_it.token import Token

from knownfix.core.docparse import parse_markdown
from knownfix.core.docparse.blocks import Fence, Paragraph
from knownfix.core.docparse.markup import strip_site_markup
from knownfix.core.docparse.meaning.cues import problem_strength, sentence_cues, undergoes
from knownfix.core.docparse.meaning.literals import (
    fence_kind,
    is_error_literal,
    literals_in,
    output_lines,
)
from knownfix.core.docparse.meaning.prose_units import prose_title
from knownfix.core.docparse.meaning.titles import read_title
from knownfix.core.records import ParsedDocument


def parse(text: str) -> ParsedDocument:
    return parse_markdown(text.splitlines(keepends=True), "doc.md")


PROBLEMS = [
    ("error word", "Build fails with a linker error", 1.0),
    ("refused", "connection refused by the proxy", 1.0),
    ("does not work", "Hot reload does not work in Docker", 1.0),
    ("stops working", "The watcher stops working after an hour", 1.0),
    ("already in use", "Port already in use", 1.0),
    ("slow", "Why is dependency resolution so slow?", 1.0),
    ("error code shape", "Setup failed with 0x80070005", 1.0),
    ("capitalised code", "producers get NOT_ENOUGH_REPLICAS", 1.0),
    ("trouble only", "Caching issues", 0.5),
    ("setting name is no code", "Set XDG_CONFIG_HOME first", 0.0),
    ("NO_ setting is no code", "The NO_PROXY variable lists hosts to reach directly", 0.0),
    ("evicted", "Pods evicted due to lack of disk space", 1.0),
    ("plain topic", "Installing on Windows", 0.0),
    ("capital E words", "Emergency Escalation Contacts", 0.0),
    ("any error is none in particular", "If you hit any error, upgrade first", 0.0),
    ("what the reader does not know", "If you see icons you don't recognise, run the legend", 0.0),
    ("what the tool does not recognise", "The shell doesn't recognise the flag", 1.0),
    ("a goal is no failure", "When you want to make sure the value doesn't change, pin it", 0.0),
    ("a failure after the goal", "If you need to deploy, the upload fails with a 413", 1.0),
    ("works here but not there", "The plugin works in the editor but not in the terminal", 1.0),
]


@pytest.mark.parametrize(("name", "text", "strength"), PROBLEMS, ids=[c[0] for c in PROBLEMS])
def test_problem_strength(name: str, text: str, strength: float) -> None:
    assert problem_strength(text) == strength


INSTRUCTIONS = [
    ("imperative", "Run `npm ci` again.", True),
    ("after an opener", "To fix this, set `pool_size` to 20.", True),
    ("after a clause", "When testing, run the server with `-D`.", True),
    ("verb not in the table", "Reconnect the VPN and retry.", True),
    ("modal", "You will likely need to disable AppArmor.", True),
    ("help seeking", "Please open an issue on GitHub.", False),
    ("navigation", "Please follow the troubleshooting steps below.", False),
    ("diagnostic purpose", "Set LOG_LEVEL=debug to see more output.", False),
    ("investigation", "Check the logs of the controller.", False),
    ("statement", "Another agent still holds port 7431.", False),
    ("either", "To keep the shims out, either install the tool inside WSL, or turn it off.",
     True),
    ("a possibility", "It is possible to make the collector work harder by setting GOGC to 20.",
     True),
    ("requires you to", "That will require you to run `verman reshim` once.", True),
    ("upgrade to a version", "Upgrade to version 2.4 or later.", True),
    ("release notes", "This release was not published as an automatic update to all users.",
     False),
    ("a pointer", "If you're looking for help with a specific error message, see Errors.",
     False),
    ("a device's debugging setting", "You must authorize USB debugging.", True),
    ("debug logging to look", "Enable debug logging to see what the mirror does.", False),
    ("learning more is looking", "If it fails, you can learn more by setting the log level.",
     False),
    ("strategies that may help", "If `apk update` fails, some of these strategies may help:",
     True),
    ("a state to put right", "Check that the peer addresses in `peers.yml` are correctly "
     "spelled and reachable.", True),
    ("a check that only looks", "Check that the pod logs show the ready line.", False),
    ("a trick to try", "One trick might be to start the terminal from the editor.", True),
    ("a look offered", "You can also see the output of the full build with:", False),
    ("a test offered", "You could test it by hand with `forge shell` first.", False),
    ("what the product does", "Most workers set the `Ready` condition.", False),
    ("a product's safeguard", "The scheduler includes a retry budget to prevent retry storms.",
     False),
    ("what is required", "The project has to be built before the editor loads it.", True),
    ("a statement, then an instruction",
     "The agent includes a guard to prevent this; enable it in the config.", True),
    ("the fix sets a value", "The fix is to set the timeout to 30 seconds.", True),
    ("a tool that fixes", "There is a plugin called pod-fixer which handles the patching.", True),
    ("a tool that only is", "There is an option that controls the cache size.", False),
]


@pytest.mark.parametrize(("sentence", "literals"), [
    ("If `npm ci` fails with `EACCES: permission denied`, run it as the owner",
     ["EACCES: permission denied"]),
    ("If the `shell doctor` command says that the runtime is not installed", []),
    ("When running `jekyll serve` fails", []),
])
def test_error_text_in_a_sentence_is_not_a_command_it_names(sentence: str,
                                                             literals: list[str]) -> None:
    assert literals_in(sentence) == literals


@pytest.mark.parametrize(("text", "title"), [
    ("As such, a long string stays as it is.", "A long string stays as it is"),
    ("However, the watcher stops after an hour.", "The watcher stops after an hour"),
    ("If the cache is corrupt, run `tool clean`.", "If the cache is corrupt"),
])
def test_a_prose_title_skips_the_word_that_ties_it_to_the_paragraph_before(text: str,
                                                                          title: str) -> None:
    assert prose_title(Paragraph(line=1, inline=[Token("text", "", 0, content=text)])) == title


@pytest.mark.parametrize(("title", "howto"), [
    ("Ignoring errors", True), ("Error handling", True), ("On validation failure", True),
    ("Build errors", False), ("Fixing permission errors", False),
])
def test_what_one_does_with_failures_is_no_failure(title: str, howto: bool) -> None:
    reading = read_title(title)
    assert (reading.problem == 0.0 and reading.topic) is howto


@pytest.mark.parametrize(("title", "advice"), [
    ("Do not use the shared directive", True), ("Never run the agent as root", True),
    ("circuit_breaker_opens_total", True), ("lint.fixable", True),
    ("disk_full", False), ("serialization_failure", False), ("Do builds fail on Windows?", False),
])
def test_advice_and_reference_names_head_no_problem(title: str, advice: bool) -> None:
    reading = read_title(title)
    assert (reading.topic and not reading.question) is advice


def test_an_operation_name_is_no_alert_name() -> None:
    assert not read_title("FromCompositeFieldPath").alert
    assert read_title("KubePodCrashLooping").alert


def test_a_failure_word_in_an_instructions_condition_reports_nothing() -> None:
    assert sentence_cues("Specify the runner environment, if not running in a browser.").problem < 1
    assert sentence_cues("If `npm ci` fails, run it again with --verbose.").problem == 1.0


@pytest.mark.parametrize(("condition", "suffered"), [
    ("If you experience unusual mouse behavior,", True),
    ("If you notice choppy playback on laptops,", True),
    ("If you forgot your credentials to the web UI,", True),
    ("When users keep getting logged out,", True),
    ("If you see a prompt,", False),  # seeing is not undergoing
    ("If you want a custom profile,", False),
])
def test_a_condition_the_reader_undergoes(condition: str, suffered: bool) -> None:
    assert undergoes(condition) is suffered


@pytest.mark.parametrize(("name", "text", "instructs"), INSTRUCTIONS,
                         ids=[c[0] for c in INSTRUCTIONS])
def test_instructions(name: str, text: str, instructs: bool) -> None:
    assert bool(sentence_cues(text).instructions) is instructs


TITLES = [
    ("failure", "Dev server dies with too many open files", (1.0, False, False)),
    ("alert name", "QueueConsumerLagHigh", (1.0, False, False)),
    ("alert led by an acronym", "CDIDefaultStorageClassDegraded", (1.0, False, False)),
    ("alert led by lower case", "etcdMembersDown", (1.0, False, False)),
    ("a product, not an alert", "CockroachDB", (0.0, False, False)),
    ("topic", "Troubleshooting", (0.0, True, False)),
    ("how-to", "How do I schedule posts?", (0.0, True, True)),
    ("instruction", "Enable reachable IP address", (0.0, True, False)),
    ("help", "Ask for help", (0.0, True, False)),
    ("failing question", "Why is my build slow?", (1.0, False, True)),
    ("what to avoid is the goal", "How do I rotate keys without dropping sessions?",
     (0.0, True, True)),
    ("asks how to look", "The prompt does something unexpected, how can I debug it?",
     (0.0, True, True)),
    ("a headline drops its 'is'", "Sensor not detected", (1.0, False, False)),
    ("not needed is no failure", "Root not required", (0.0, False, False)),
    ("changes undone by another party", "Why are my edits rolled back by the operator?",
     (1.0, False, True)),
    ("asks to be rid of something", "How do I resolve `resource changed` events spam?",
     (1.0, False, True)),
    ("a resource occupied", "Web server ports already occupied", (1.0, False, False)),
    ("something that does not happen", "Suggestions don't refresh when a file changes",
     (1.0, False, False)),
    ("what a test does not need", "The tests don't need a database", (0.0, False, False)),
]


@pytest.mark.parametrize(("name", "title", "expected"), TITLES, ids=[c[0] for c in TITLES])
def test_read_title(name: str, title: str, expected: tuple[float, bool, bool]) -> None:
    reading = read_title(title)
    assert (reading.problem, reading.topic, reading.question) == expected


LITERALS = [
    ("message", "x509: certificate signed by unknown authority", True, True),
    ("code word", "NOT_ENOUGH_REPLICAS", False, True),
    ("command", "npm install --save left-pad", True, False),
    ("path", "C:\\Program Files", True, False),
    ("file name", "pyproject.toml", True, False),
    ("words without failure", "hello world", False, False),
    ("state name when framed", "ImagePullBackOff", True, True),
]


@pytest.mark.parametrize(("name", "text", "framed", "literal"), LITERALS,
                         ids=[c[0] for c in LITERALS])
def test_error_literals(name: str, text: str, framed: bool, literal: bool) -> None:
    assert is_error_literal(text, framed=framed) is literal


FENCES = [
    ("output", "text", "Error: cannot set up namespace\nexit status 1", "output"),
    ("transcript", "console", "$ podlet run alpine\nError: permission denied", "transcript"),
    ("commands", "bash", "sudo dnf reinstall shadow-utils\nsystemctl restart podlet", "commands"),
    ("config", "yaml", "exclude:\n  - vendor", "config"),
    ("a program that prints an error", "go",
     'err := app.Run(&options.App{\n\tTitle:  "notes",\n\tWidth:  1024,\n\tHeight: 768,\n'
     '\tMac: &mac.Options{\n\t\tOnOpen: func(url string) { println(url) },\n\t},\n})\n'
     'if err != nil {\n\tprintln("Error:", err.Error())\n}', "code"),
    ("traceback", "python", 'Traceback (most recent call last):\n  File "x.py", line 1, in <m>\n'
                            "ValueError: bad", "output"),
]


@pytest.mark.parametrize(("name", "info", "code", "kind"), FENCES, ids=[c[0] for c in FENCES])
def test_fence_kinds(name: str, info: str, code: str, kind: str) -> None:
    assert fence_kind(Fence(line=1, info=info, content=code + "\n")) == kind


def test_a_traceback_gives_its_message_not_its_source_lines() -> None:
    trace = ('  File "/usr/lib/python3.12/bdb.py", line 125, in dispatch_line\n'
             "    if self.quitting: raise BdbQuit\n"
             "    raise ValueError(\n"
             "bdb.BdbQuit\n")
    assert output_lines(trace) == ["bdb.BdbQuit"]


def test_site_markup_is_stripped_and_lines_are_kept() -> None:
    lines = ["+++\n", 'title = "x"\n', "+++\n", "## Title {#custom-id}\n",
             "{% include copy.html %}\n", "Text {{< relref \"a\" >}} and `{% raw %}` stay.\n",
             "```\n", "{% raw %}\n", "echo {{ x }}\n", "```\n"]
    out = list(strip_site_markup(lines))
    assert len(out) == len(lines)
    assert out[:3] == ["\n", "\n", "\n"]
    assert out[3] == "## Title\n"
    assert out[4] == "\n"
    assert out[5] == "Text  and `{% raw %}` stay.\n"
    assert out[7] == "\n"
    assert out[8] == "echo {{ x }}\n"


def test_admonition_bodies_are_text_and_an_error_admonition_is_printed_output() -> None:
    lines = ["!!! error\n", "    ```bash\n", "    $ scan image\n",
             "    FATAL scan error: 2 errors occurred:\n", "\t* docker error: no socket\n",
             "    ```\n", "\n", "## Next\n", "!!! error\n",
             "    --cache cannot be used with the old schema.\n", "\n", "!!! note\n",
             "    Read the docs.\n", "Text.\n"]
    out = list(strip_site_markup(lines))
    assert len(out) == len(lines)
    # A fenced body is dedented whole, tab-indented output lines too: the fence closes.
    assert out[1:6] == ["```bash\n", "$ scan image\n", "FATAL scan error: 2 errors occurred:\n",
                        "* docker error: no socket\n", "```\n"]
    assert out[7] == "## Next\n"
    # A plain error body stays indented: a code block, what the failure prints.
    assert out[9] == "    --cache cannot be used with the old schema.\n"
    assert out[12] == "Read the docs.\n"  # any other kind is prose
    assert out[13] == "Text.\n"


def test_mdx_modules_and_components_are_stripped_and_lines_are_kept() -> None:
    lines = ["import Tabs from '@theme/Tabs';\n", "import { Aside } from '~/components';\n",
             "\n", "<Tabs>\n", '<TabItem value="npm" label="npm">\n', "Run `npm ci`.\n",
             "</TabItem>\n", "</Tabs>\n", "{/* translators: keep */}\n", "<DontEditWarning />\n",
             "<details>\n", "```js\n", "import x from 'y'\n", "```\n"]
    out = list(strip_site_markup(lines))
    assert len(out) == len(lines)
    assert out[:5] == ["\n"] * 5
    assert out[5] == "Run `npm ci`.\n"
    assert out[6:10] == ["\n"] * 4
    assert out[10] == "<details>\n"  # HTML, not a JSX component: the Markdown reader's business
    assert out[12] == "import x from 'y'\n"  # code stays code


def test_a_heading_that_the_text_calls_an_error_is_its_symptom() -> None:
    doc = parse("## Common errors\n\n### Expected a default export\n\n"
                "This error can be thrown when trying to import or render an invalid component.\n\n"
                "**Solution**: Look for errors in the components you import and render.\n")
    (issue,) = doc.issues
    assert issue.title == "Expected a default export"
    assert issue.symptoms[0] == "Expected a default export"


def test_heading_that_is_the_error_needs_no_labels() -> None:
    doc = parse("## Error: `x509: certificate signed by unknown authority`\n\n"
                "The proxy re-signs TLS traffic with its own authority.\n\n"
                "Point the runtime at the proxy's certificate:\n\n"
                "```bash\nexport NODE_EXTRA_CA_CERTS=/etc/ssl/proxy.pem\n```\n")
    (issue,) = doc.issues
    assert issue.symptoms == ["x509: certificate signed by unknown authority"]
    assert issue.root_cause.startswith("The proxy re-signs")
    assert issue.commands == ["export NODE_EXTRA_CA_CERTS=/etc/ssl/proxy.pem"]
    assert "Point the runtime" in issue.resolution


def test_a_heading_without_a_fix_is_reported_with_why() -> None:
    doc = parse("## Builds fail on Fridays\n\nNobody knows why yet.\n")
    assert not doc.issues
    assert "names a problem but gives no fix" in doc.skipped[0].reason


def test_category_headings_named_like_fields_group_issues() -> None:
    doc = parse("# Notes\n\n## CLI\n\n### `tool` exits with \"context deadline exceeded\"\n\n"
                "Reconnect the VPN, or raise the timeout with `--timeout 2m`.\n\n"
                "## Errors\n\n### Error: `ImagePullBackOff`\n\n"
                "The registry token expired. Recreate the `regcred` secret.\n")
    assert len(doc.issues) == 2
    assert all(not i.commands or "tool" not in i.commands for i in doc.issues)
    reasons = " ".join(s.reason for s in doc.skipped)
    assert "'Errors' is not an issue: a heading that groups 1 issue(s)" in reasons


def test_a_solution_at_the_entrys_own_level_belongs_to_it() -> None:
    doc = parse("### 2) Containers lose network after sleep\n\n#### Symptom\n\n"
                "`curl` inside a container hangs after resume.\n\n"
                "### Solution\n\nRestart the user network stack.\n\n"
                "### 3) Next entry\n\n#### Symptom\n\nIt fails.\n\n#### Solution\n\nFix it.\n")
    first = doc.issues[0]
    assert first.title == "Containers lose network after sleep"
    assert first.resolution == "Restart the user network stack."


def test_bold_leads_make_one_issue_each() -> None:
    doc = parse("# Install problems\n\n- **Setup failed with error 0x80070005**\n\n"
                "  Run the installer as administrator.\n\n"
                "- **The service stops after a few seconds**\n\n"
                "  Uninstall the old agent, then reboot.\n")
    assert [i.title for i in doc.issues] == ["Setup failed with error 0x80070005",
                                            "The service stops after a few seconds"]


def test_problem_paragraphs_under_an_area_heading_are_entries() -> None:
    doc = parse("## Installation\n\n"
                "If `gem install` fails with `ERROR: Failed to build gem native extension`, "
                "install the headers:\n\n```sh\nsudo apt-get install ruby-dev\n```\n\n"
                "If you see `Permission denied` on `/var/lib/gems`, install gems into your home "
                "directory instead:\n\n```sh\nexport GEM_HOME=$HOME/gems\n```\n")
    assert len(doc.issues) == 2
    assert doc.issues[0].symptoms == ["ERROR: Failed to build gem native extension"]


def test_questions_that_describe_no_problem_are_not_issues() -> None:
    doc = parse("**Q: Why does `lint --fix` print `Parse error: unexpected token`?**\n\n"
                "A: Set `languageLevel: 2022` in `.lintrc`.\n\n"
                "**Q: Is there a VS Code extension?**\n\nA: Yes, search the marketplace.\n")
    assert [i.symptoms for i in doc.issues] == [["Parse error: unexpected token"]]
    assert doc.issues[0].resolution.startswith("Set `languageLevel")


def test_reproduction_commands_are_context_not_symptoms() -> None:
    doc = parse("## Pods cannot reach each other\n\n**Symptoms:**\n\n"
                "```console\n$ ip addr\n$ export TARGET=10.0.0.7\n$ curl -m 5 $TARGET\n"
                "curl: (28) Connection timed out after 5001 milliseconds\n```\n\n"
                "**Cause:** the firewall drops VXLAN traffic.\n\n"
                "Open UDP 8472 between the node subnets.\n")
    (issue,) = doc.issues
    assert issue.symptoms == ["curl: (28) Connection timed out after 5001 milliseconds"]
    assert "ip addr" in issue.extra["Context"]
    assert issue.resolution == "Open UDP 8472 between the node subnets."
    assert issue.root_cause == "the firewall drops VXLAN traffic."


def test_site_front_matter_with_only_an_id_is_not_knownfix_format() -> None:
    site = parse("---\nid: troubleshooting\ntitle: Troubleshooting\n---\n\nIntro text.\n\n"
                 "### Port already in use\n\nKill the process on port 8081 with `kill -9`.\n")
    assert site.shape != "knownfix"
    assert [i.title for i in site.issues] == ["Port already in use"]
    ours = parse("---\nid: KF-9\n---\n\n# Disk full\n\n## Symptoms\n\n- `ENOSPC`\n\n"
                 "## Resolution\n\nFree space.\n")
    assert ours.shape == "knownfix"
    assert ours.issues[0].id == "KF-9"


def test_numbers_of_any_size_leave_titles() -> None:
    doc = parse("## 1700. ansible-lint failure on the example playbook\n\n"
                "`ansible-lint` reports `yaml[truthy]` errors.\n\nReplace `yes` with `true`.\n")
    assert doc.issues[0].title == "ansible-lint failure on the example playbook"
