"""Admin analytics: the figures of DESIGN.md section 8 for a period and program, with charts
drawn on the server and CSV exports of the summary and the daily series."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from issuer import analytics, clock, programs
from issuer.analytics import Filters, Summary
from issuer.errors import Invalid
from webapp.admin import analytics_export
from webapp.admin.blueprint import bp
from webapp.admin.charts import Bar, column_chart, row_chart
from webapp.database import session
from webapp.i18n import gettext, money


@bp.get("/analytics/", endpoint="analytics")
def analytics_dashboard() -> ResponseReturnValue:
    """The dashboard; bad filters are all reported, with what was typed kept."""
    try:
        filters = _filters()
    except Invalid as problem:
        return _page(None, dict(request.args), problem.errors), 422
    summary = analytics.summarize(session(), filters.period, filters.program_id)
    return _page(summary, _values(filters), {})


@bp.get("/analytics/summary.csv")
def analytics_summary_csv() -> ResponseReturnValue:
    """Every figure of the summary as CSV."""
    return _export("summary", analytics_export.summary_csv)


@bp.get("/analytics/days.csv")
def analytics_days_csv() -> ResponseReturnValue:
    """Orders and revenue per day and currency as CSV."""
    return _export("days", analytics_export.days_csv)


def _filters() -> Filters:
    return analytics.read_filters(session(), request.args, clock.now().date())


def _values(filters: Filters) -> dict[str, str]:
    period = filters.period
    program = "" if filters.program_id is None else str(filters.program_id)
    return {"since": period.since.isoformat(), "until": period.until.isoformat(),
            "program_id": program}  # fmt: skip


def _page(summary: Summary | None, values: Mapping[str, str], errors: dict[str, str]) -> str:
    return render_template(
        "admin/analytics/index.html",
        summary=summary,
        charts=_charts(summary) if summary else {},
        values=values,
        errors=errors,
        programs=programs.list_programs(session()),
    )


def _export(name: str, write: Callable[[Summary], str]) -> ResponseReturnValue:
    try:
        filters = _filters()
    except Invalid as problem:
        lines = [f"{field}: {message}" for field, message in sorted(problem.errors.items())]
        return Response("\n".join(lines) + "\n", 422, mimetype="text/plain")
    summary = analytics.summarize(session(), filters.period, filters.program_id)
    period = filters.period
    filename = f"tessera-{name}-{period.since.isoformat()}-{period.until.isoformat()}.csv"
    return Response(
        write(summary),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


Chart = tuple[str, Markup]


def _charts(summary: Summary) -> dict[str, list[Chart]]:
    return {
        "revenue": [_revenue_chart(summary, t.currency) for t in summary.totals],
        "tiers": _tier_charts(summary),
        "abc": [_abc_chart(summary, t.currency) for t in summary.totals],
    }


def _revenue_chart(summary: Summary, currency: str) -> Chart:
    found = {d.day: d.revenue for d in summary.days if d.currency == currency}
    bars = [
        Bar(day.isoformat(), found.get(day, 0), money(found.get(day, 0), currency))
        for day in summary.period.days
    ]
    title = gettext("Revenue per day, %(currency)s", currency=currency)
    description = gettext(
        "Net revenue of each day from %(since)s to %(until)s; reversals show below the line.",
        since=summary.period.since.isoformat(),
        until=summary.period.until.isoformat(),
    )
    return title, column_chart(title, description, bars)


def _tier_charts(summary: Summary) -> list[Chart]:
    charts = []
    for program_id in dict.fromkeys(t.program_id for t in summary.tiers):
        tiers = [t for t in summary.tiers if t.program_id == program_id]
        bars = [Bar(t.tier_name, t.accounts, str(t.accounts)) for t in tiers]
        title = gettext("Accounts per tier: %(program)s", program=tiers[0].program_name)
        description = gettext("How many accounts are at each tier.")
        charts.append((title, row_chart(title, description, bars)))
    return charts


def _abc_chart(summary: Summary, currency: str) -> Chart:
    bars = []
    for segment in ("A", "B", "C"):
        members = [p for p in summary.partners if p.currency == currency and p.segment == segment]
        revenue = sum(p.revenue for p in members)
        text = gettext("%(revenue)s, partners: %(count)s", revenue=money(revenue, currency),
                       count=len(members))  # fmt: skip
        label = gettext("Class %(segment)s", segment=segment)
        bars.append(Bar(label, revenue, text, f"bar {segment.lower()}"))
    title = gettext("ABC segments by revenue, %(currency)s", currency=currency)
    description = gettext(
        "A: the partners making the top %(a)s of revenue; B: the next %(b)s; C: the rest.",
        a="80 %",
        b="15 %",
    )
    return title, row_chart(title, description, bars)
