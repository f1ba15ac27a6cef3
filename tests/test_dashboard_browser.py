"""The dashboard in a real browser: Debian's chromium driven by Playwright against the real app
served by uvicorn on a free loopback port, over a SQLite store seeded through the services.

Screenshots of every page visited land in ``test-artifacts/dashboard/`` (or the folder named by
``KNOWNFIX_TEST_ARTIFACTS``); each test records where under its ``screenshots`` property.
Chromium comes from the system (``apt-get install -y chromium``; ``.ci/run`` installs it), never
from ``playwright install``. Without it the tests fail under ``CI=true`` and are skipped elsewhere.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import require_server
from dashboard_seed import Seeded, dashboard_app, seeded_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("KNOWNFIX_TEST_ARTIFACTS")
                 or Path(__file__).resolve().parent.parent / "test-artifacts") / "dashboard"
STARTUP_SECONDS = 30.0
NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Live:
    base: str
    seeded: Seeded

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The whole app under uvicorn on 127.0.0.1:<free port>, in a thread of this process."""
    import uvicorn

    seeded = seeded_store(tmp_path_factory.mktemp("dashboard"))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(dashboard_app(seeded), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:  # a readiness wait, not a timing assumption
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield Live(f"http://127.0.0.1:{port}", seeded)
    server.should_exit = True
    thread.join(timeout=STARTUP_SECONDS)
    listener.close()
    seeded.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        require_server("chromium", f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_server("Playwright", "the playwright package is missing (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


Shot = Callable[["Page", str], None]


@pytest.fixture
def shot(request: pytest.FixtureRequest, record_property: Callable[[str, Any], None]) -> Shot:
    """Save a full-page screenshot as ``<test>-<name>.png`` in the artefacts folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    record_property("screenshots", str(ARTIFACTS))
    prefix = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")

    def take(page: Page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name}.png"), full_page=True)

    return take


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport=WIDE)  # type: ignore[arg-type]
    yield opened
    opened.close()


def sign_in(page: Page, live: Live, token: str, then: str = "/") -> None:
    page.goto(live.url(f"/login?next={then}"))
    page.fill("#token", token)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(re.compile(re.escape(live.url(then)) + "$"))


def overflows(page: Page) -> bool:
    """True when the page is wider than the window (something does not fit a narrow screen)."""
    return bool(page.evaluate(
        "document.documentElement.scrollWidth > window.innerWidth + 1"))


def csrf_on(page: Page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value") or ""


def test_sign_in_and_the_overview(live: Live, context: BrowserContext, shot: Shot) -> None:
    page = context.new_page()
    page.goto(live.url("/"))
    page.wait_for_url(re.compile(r"/login\?next="))
    shot(page, "login")
    sign_in(page, live, live.seeded.writer)
    assert page.locator(".who .user").inner_text().startswith("alice")
    unresolved = page.locator("#open-by-severity .card.total .count").inner_text()
    assert int(unresolved) == len(live.seeded.incidents)
    assert page.locator("#status-matrix tbody tr").count() >= 1
    assert page.locator("#occurrence-chart svg").count() == 1
    shot(page, "overview")
    page.set_viewport_size(NARROW)
    page.reload()
    assert not overflows(page)
    shot(page, "overview-narrow")


def test_filter_search_and_open_an_incident(live: Live, context: BrowserContext,
                                            shot: Shot) -> None:
    page = context.new_page()
    sign_in(page, live, live.seeded.viewer, "/incidents")
    everything = page.locator("#incident-list tbody tr").count()
    page.select_option("select[name=severity]", "High")
    page.click("button:has-text('Filter')")
    page.wait_for_url(re.compile(r"severity=High"))
    badges = page.locator("#incident-list tbody tr .sev").all_inner_texts()
    assert badges
    assert set(badges) == {"High"}
    assert len(badges) < everything
    shot(page, "filtered")

    page.fill("input[name=q]", "ERESOLVE")
    page.select_option("select[name=severity]", "")
    page.click("button:has-text('Filter')")
    rows = page.locator("#incident-list tbody tr")
    assert rows.count() == 1
    rows.locator("a").first.click()
    incident = live.seeded.incidents["npm-eresolve.log"]
    page.wait_for_url(re.compile(f"/incidents/{incident}$"))
    numbers = page.locator("#excerpt td.ln").all_inner_texts()
    assert [n for n in numbers if n.isdigit()], "the excerpt shows log line numbers"
    assert "npm ERR! code ERESOLVE" in page.locator("#excerpt").inner_text()
    assert page.locator("#matches li").first.inner_text().startswith("KF-0001")
    assert "npm explain react" in page.locator("#fix").inner_text()
    assert "viewer token" in page.locator("#read-only").inner_text()
    assert page.locator("button:has-text('Acknowledge')").count() == 0
    shot(page, "incident")
    page.set_viewport_size(NARROW)
    page.reload()
    assert not overflows(page)
    shot(page, "incident-narrow")


def test_acknowledge_resolve_and_merge(live: Live, context: BrowserContext, shot: Shot) -> None:
    store = live.seeded.store
    incident = live.seeded.incidents["pytest-fixture-not-found.log"]
    page = context.new_page()
    sign_in(page, live, live.seeded.writer, f"/incidents/{incident}")

    page.fill("form[action$='/acknowledge'] input[name=note]", "looking")
    page.click("button:has-text('Acknowledge')")
    page.wait_for_url(re.compile(r"notice=acknowledged"))
    assert "Acknowledged" in page.locator(".banner.notice").inner_text()
    assert page.locator(".badges .status").inner_text() == "investigating"
    assert "by web:alice" in page.locator("#timeline").inner_text()
    shot(page, "acknowledged")

    page.click("button:has-text('Resolve')")
    page.wait_for_url(re.compile(r"notice=resolved"))
    assert page.locator(".badges .status").inner_text() == "resolved"
    assert page.locator("button:has-text('Reopen')").count() == 1
    assert store.get_incident(incident).status == "resolved"
    shot(page, "resolved")

    source = live.seeded.incidents["go-test-failure.log"]
    target = live.seeded.incidents["github-actions-ansi.log"]
    before = store.get_incident(target).count
    page.goto(live.url(f"/incidents/{source}"))
    page.fill("input[name=into]", target)
    page.click("button:has-text('Merge into')")
    page.wait_for_url(re.compile(f"/incidents/{target}\\?notice=merged"))
    assert int(page.locator("#occurrence-count").inner_text()) == before + 1
    shot(page, "merged")
    page.goto(live.url(f"/incidents/{source}"))
    assert page.locator("button:has-text('Unmerge')").count() == 1
    assert store.get_incident(source).merged_into == target


def test_a_viewer_cannot_act_and_posts_without_csrf_are_refused(
    live: Live, browser: Browser, context: BrowserContext, shot: Shot
) -> None:
    store = live.seeded.store
    incident = live.seeded.incidents["alembic-missing-revision.log"]
    action = live.url(f"/incidents/{incident}/acknowledge")

    viewer = context.new_page()
    sign_in(viewer, live, live.seeded.viewer, f"/incidents/{incident}")
    assert viewer.locator("form[action$='/acknowledge']").count() == 0
    refused = context.request.post(action, form={"csrf_token": csrf_on(viewer)})
    assert refused.status == 403
    assert "only a writer token can change incidents" in refused.text()
    shot(viewer, "viewer")

    writer_context = browser.new_context(viewport=WIDE)  # type: ignore[arg-type]
    try:
        writer = writer_context.new_page()
        sign_in(writer, live, live.seeded.writer, f"/incidents/{incident}")
        for form in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf_on(viewer)}):
            answer = writer_context.request.post(action, form=form)
            assert answer.status == 403, form
            assert "Form expired" in answer.text()
        assert store.get_incident(incident).status == "open"
        assert writer.locator("form[action$='/acknowledge']").count() == 1
    finally:
        writer_context.close()


def test_known_issue_search_and_the_report(live: Live, context: BrowserContext,
                                           shot: Shot) -> None:
    page = context.new_page()
    sign_in(page, live, live.seeded.viewer, "/known-issues")
    page.fill("input[name=q]", "alembic revision")
    page.click("button:has-text('Search')")
    hits = page.locator("#search-hits > li")
    assert hits.count() >= 1
    assert page.locator("#search-hits mark").count() >= 1
    shot(page, "search")
    hits.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/known-issues/"))
    assert "alembic" in page.locator("h1").inner_text().lower()
    shot(page, "known-issue")

    page.click("nav >> text=Reports")
    page.wait_for_url(re.compile(r"/reports$"))
    frame = page.frame_locator("#report-frame")
    assert "Executive summary" in frame.locator("body").inner_text()
    shot(page, "report")


def test_hostile_log_text_stays_text(live: Live, context: BrowserContext, shot: Shot) -> None:
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live, live.seeded.viewer, f"/incidents/{live.seeded.incidents['hostile']}")
    assert page.locator("script").count() == 0
    assert page.locator("main img, main b").count() == 0
    assert page.title() != "pwned"
    assert '<script>document.title="pwned"</script>' in page.locator("#excerpt").inner_text()
    assert "<img src=x onerror=alert(1)>" in page.locator("#excerpt-heading").inner_text()
    page.goto(live.url("/known-issues/XSS-1"))
    assert "<i>Web</i>" in page.locator(".facts").inner_text()
    assert page.locator("main i, main script").count() == 0
    assert dialogs == []
    shot(page, "hostile")


def test_signing_out(live: Live, context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, live, live.seeded.viewer)
    page.click("button:has-text('Sign out')")
    page.wait_for_url(re.compile(r"/login$"))
    page.goto(live.url("/incidents"))
    page.wait_for_url(re.compile(r"/login\?next="))
