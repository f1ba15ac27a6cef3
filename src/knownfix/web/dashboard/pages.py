"""The dashboard's read pages: overview, incidents, one incident, known issues, reports, login.

Each route reads its filters, calls a service and renders a template; nothing here decides
anything a service already does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from knownfix.core.report.model import parse_since
from knownfix.errors import ConfigError, NotFound
from knownfix.services import incidents, knowledge, reports
from knownfix.services.analysis import process_triage_session
from knownfix.services.overview import DEFAULT_DAYS, MAX_DAYS, build_overview
from knownfix.services.tokens import Principal
from knownfix.web.dashboard.charts import occurrence_chart_markup
from knownfix.web.dashboard.route import (
    DashboardRoute,
    Refused,
    local_target,
    page,
    reader,
    visit_of,
)

PAGE_SIZE = 50
OCCURRENCES_SHOWN = 20
SEARCH_LIMIT = 50
SLA_ROWS = 20
Reader = Annotated[Principal | None, Depends(reader)]
Text = Annotated[str, Query(max_length=200)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
NOTICES = {
    "acknowledged": "Acknowledged: the incident is now investigating.",
    "resolved": "Resolved. Its next occurrence will reopen it.",
    "reopened": "Reopened.",
    "merged": "Merged: the other incident's occurrences now count here.",
    "unmerged": "Unmerged: the incident has its own occurrences back.",
    "linked": "Known issue link saved.",
}
REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}

router = APIRouter(route_class=DashboardRoute, tags=["dashboard"],
                   default_response_class=HTMLResponse)


@dataclass(frozen=True, slots=True)
class Paged:
    """One page of a longer list."""

    items: list[Any]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def paged(items: list[Any], number: int) -> Paged:
    start = (number - 1) * PAGE_SIZE
    return Paged(items[start:start + PAGE_SIZE], number, len(items))


@router.get("/", name="overview", summary="Dashboard: open incidents, SLA breaches, status "
            "matrix and occurrences per day")
def overview_page(request: Request, user: Reader,
                  days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = DEFAULT_DAYS) -> Response:
    overview = build_overview(visit_of(request).context.store, days=days)
    return page(request, "overview.html", nav="overview", overview=overview, sla_rows=SLA_ROWS,
                chart=occurrence_chart_markup(overview.daily, overview.severities))


@router.get("/incidents", name="incidents", summary="Dashboard: incidents, filtered and searched")
def incidents_page(request: Request, user: Reader, status: Text | None = None,
                   severity: Text = "", category: Text = "", scope: Text = "", q: Text = "",
                   overdue: bool = False,
                   page_number: Annotated[PageNumber, Query(alias="page")] = 1) -> Response:
    store = visit_of(request).context.store
    # No status asked: the ones still owed work. An empty one (the form's "any"): all.
    wanted = incidents.UNRESOLVED if status is None else status
    found = incidents.list_incidents(store, wanted or None, severity=severity,
                                     category=category, scope=scope or None, query=q,
                                     past_sla_at=datetime.now(UTC) if overdue else None)
    filters = {"status": wanted, "severity": severity, "category": category, "scope": scope,
               "q": q, "overdue": "1" if overdue else ""}
    return page(request, "incidents.html", nav="incidents", filters=filters,
                statuses=incidents.STATUS_FILTERS, results=paged(found, page_number),
                facets=incidents.incident_facets(incidents.list_incidents(store)))


@router.get("/incidents/{display_id}", name="incident", summary="Dashboard: one incident")
def incident_page(request: Request, user: Reader,
                  display_id: Annotated[str, Path(max_length=64)],
                  notice: Annotated[str, Query(max_length=40)] = "") -> Response:
    return render_incident(request, display_id, notice=NOTICES.get(notice))


def render_incident(request: Request, display_id: str, *, notice: str | None = None,
                    error: str | None = None, status: int = 200) -> Response:
    """The incident page; actions call it too, to show why a change was refused."""
    context = visit_of(request).context
    store = context.store
    detail = incidents.show_incident(store, display_id)
    # The process's compiled knowledge base, the one the workers triage with.
    index = process_triage_session(store, context.settings).match_index
    ranked = incidents.incident_matches(store, index, detail)
    linked = None
    if detail.incident.known_issue_id:
        try:
            linked = knowledge.show_issue(store, detail.incident.known_issue_id)
        except NotFound:  # linked by hand to an issue deleted from the store since
            linked = None
    latest = detail.occurrences[-1] if detail.occurrences else None
    return page(request, "incident.html", status=status, nav="incidents", detail=detail,
                incident=detail.incident, latest=latest, ranked=ranked, linked=linked,
                occurrences=detail.occurrences[::-1][:OCCURRENCES_SHOWN],
                notice=notice, error=error)


@router.get("/known-issues", name="known_issues", summary="Dashboard: known issues and search")
def known_issues_page(request: Request, user: Reader, q: Text = "", category: Text = "",
                      page_number: Annotated[PageNumber, Query(alias="page")] = 1) -> Response:
    store = visit_of(request).context.store
    every = knowledge.list_issues(store)
    hits = knowledge.search(store, q, limit=SEARCH_LIMIT, category=category) if q.strip() else None
    listed = knowledge.list_issues(store, category=category) if category.strip() else every
    shown = paged(listed if hits is None else [], page_number)
    return page(request, "known_issues.html", nav="known_issues", q=q, category=category,
                categories=knowledge.issue_categories(every), hits=hits, results=shown,
                filters={"q": q, "category": category})


@router.get("/known-issues/{issue_id:path}", name="known_issue",
            summary="Dashboard: one known issue")
def known_issue_page(request: Request, user: Reader,
                     issue_id: Annotated[str, Path(max_length=300)]) -> Response:
    store = visit_of(request).context.store
    issue = knowledge.show_issue(store, issue_id)
    return page(request, "known_issue.html", nav="known_issues", issue=issue,
                incidents=incidents.list_incidents(store, known_issue=issue.id))


@router.get("/reports", name="reports", summary="Dashboard: the status report")
def reports_page(request: Request, user: Reader, since: Text = "", title: Text = "") -> Response:
    if since.strip():
        parse_since(since, datetime.now(UTC))  # a bad period is said here, not in the frame
    return page(request, "reports.html", nav="reports",
                params={"since": since.strip(), "title": title.strip()})


@router.get("/reports/status.{fmt}", name="report_file",
            summary="Dashboard: the status report as HTML, Markdown or PDF")
def report_file(request: Request, user: Reader, fmt: Literal["html", "md", "pdf"],
                since: Text = "", title: Text = "") -> Response:
    now = datetime.now(UTC)
    model = reports.build_report(
        visit_of(request).context.store, title=title or None, now=now,
        since=parse_since(since, now) if since.strip() else None,
    )
    try:
        content = reports.render_report(model, fmt)
    except ConfigError as error:  # the PDF needs the optional WeasyPrint
        raise Refused(501, "Not available here", error.message) from None
    headers = {}
    if fmt != "html":
        stamp = now.strftime("%Y%m%d")
        headers["Content-Disposition"] = f'attachment; filename="knownfix-report-{stamp}.{fmt}"'
    return Response(content, media_type=REPORT_TYPES[fmt], headers=headers)


@router.get("/login", name="login_form", summary="Dashboard: sign in with an API token")
def login_form(request: Request,
               next_page: Annotated[str, Query(alias="next", max_length=2000)] = "/") -> Response:
    return page(request, "login.html", nav="login", next=local_target(next_page), error=None)
