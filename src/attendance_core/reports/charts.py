"""The officer's charts: weekly attendance against national and target, absence by reason,
persistent absence by year group and the spread of pupils' attendance, as inline SVG.

Each chart is a report section too: its table holds the very figures drawn, so Markdown, text,
JSON and CSV reports carry them, and the HTML page shows the table under the drawing for anyone
who cannot see it. The SVG is plain text written here (deterministic, no script, no request to
any other site); it has a ``<title>`` and ``<desc>`` and every piece of text is escaped, so no
value read from a school's files can add markup.

Sources: DfE "Pupil absence in schools in England" methodology (rates are sessions over possible
sessions, pooled; persistent absence per enrolment); DfE "Pupil attendance in schools" (the
national figures, :mod:`attendance_core.reports.benchmarks`); bands from the policy.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

import attrs

from attendance_core.codes import Category
from attendance_core.policy import Policy
from attendance_core.register import Register
from attendance_core.reports._sections import ReportSection
from attendance_core.rules.bands import band_index
from attendance_core.rules.statistics import AttendanceSummary, display_percent

__all__ = [
    "Chart",
    "ChartSection",
    "absence_by_reason",
    "attendance_distribution",
    "chart_sections",
    "persistent_absence_by_year_group",
    "render_svg",
    "weekly_attendance",
    "weekly_attendance_chart",
]

DFE_SOURCE = "DfE 'Pupil absence in schools in England' methodology"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Value = Fraction | int


@attrs.frozen
class Chart:
    """What a chart draws: one value per label, and horizontal reference lines.

    ``percent`` charts hold rates in [0, 1] (exact fractions); the others hold counts.
    """

    title: str
    kind: Literal["line", "bars"]
    x_label: str
    y_label: str
    points: tuple[tuple[str, Value], ...]
    percent: bool = True
    references: tuple[tuple[str, Fraction], ...] = ()
    """Horizontal lines (national, target) as ``(label, rate)``; percent charts only."""
    ticks: tuple[str, ...] = ()
    """Shorter labels for the x axis, one per point (default: the labels themselves)."""

    def __attrs_post_init__(self) -> None:
        if self.ticks and len(self.ticks) != len(self.points):
            raise ValueError(f"chart {self.title!r}: one tick label per point")
        values = [v for _, v in self.points] + [r for _, r in self.references]
        if any(v < 0 or (self.percent and v > 1) for v in values):
            raise ValueError(f"chart {self.title!r}: values must be counts or rates in [0, 1]")
        if self.references and not self.percent:
            raise ValueError(f"chart {self.title!r}: reference lines are rates")

    def shown(self, value: Value) -> str:
        """A value as the table and the drawing show it: a rate to one decimal place."""
        return display_percent(Fraction(value)) if self.percent else str(value)

    def description(self) -> str:
        """One sentence for people who cannot see the drawing (``<desc>``)."""
        if not self.points:
            return f"{self.title}: no data."
        values = [v for _, v in self.points]
        low = min(range(len(values)), key=values.__getitem__)
        high = max(range(len(values)), key=values.__getitem__)
        text = (
            f"{self.title}: {len(values)} values of {self.y_label.lower()} by "
            f"{self.x_label.lower()}, lowest {self.shown(values[low])} "
            f"({self.points[low][0]}), highest {self.shown(values[high])} ({self.points[high][0]})"
        )
        refs = "; ".join(f"{label} {self.shown(rate)}" for label, rate in self.references)
        return f"{text}; {refs}." if refs else f"{text}."


@attrs.frozen
class ChartSection(ReportSection):
    """A report section whose table is a chart's data; the HTML report draws the chart above it."""

    chart: Chart | None = None


# -- the figures -----------------------------------------------------------------------------


def _academic_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def weekly_attendance(
    register: Register, up_to: dt.date | None = None
) -> tuple[tuple[dt.date, int, int], ...]:
    """``(Monday, attended, possible)`` for each week with possible sessions, pooled over every
    enrolment, from the start of the academic year (1 August) of ``up_to`` (the register's last
    session by default) to ``up_to`` inclusive.

    The week's columns of all rows are joined and counted per code, so a whole school costs one
    ``bytes.count`` per code and week.
    """
    if not register.sessions:
        return ()
    last = up_to or register.sessions[-1].date
    first = _academic_year_start(last)
    attended_values = [
        k
        for k, code in enumerate(register.alphabet, start=1)
        if code.category in (Category.PRESENT, Category.APPROVED_EDUCATIONAL_ACTIVITY)
    ]
    absent_values = [
        k
        for k, code in enumerate(register.alphabet, start=1)
        if code.category in (Category.AUTHORISED_ABSENCE, Category.UNAUTHORISED_ABSENCE)
    ]
    weeks: dict[dt.date, list[int]] = {}
    for column, session in enumerate(register.sessions):
        if first <= session.date <= last:
            monday = session.date - dt.timedelta(days=session.date.weekday())
            weeks.setdefault(monday, []).append(column)
    result = []
    for monday, columns in weeks.items():
        start, end = columns[0], columns[-1] + 1  # sessions are sorted: a week is a run
        cells = b"".join(row[start:end] for row in register.rows)
        attended = sum(cells.count(k) for k in attended_values)
        possible = attended + sum(cells.count(k) for k in absent_values)
        if possible:
            result.append((monday, attended, possible))
    return tuple(result)


def weekly_attendance_chart(
    weeks: Sequence[tuple[dt.date, int, int]], benchmarks: Sequence[Mapping[str, Any]] = ()
) -> ChartSection:
    """The school's weekly pooled attendance, with the national rate and the target as lines."""
    references = tuple(
        (f"{b['level']}: {b['area']}", Fraction(str(b["attendance_rate"])))
        for b in benchmarks
        if b.get("attendance_rate") is not None and b["level"] in ("National", "Target")
    )
    chart = Chart(
        "Weekly attendance this school year",
        "line",
        "Week beginning",
        "Attendance",
        tuple((monday.isoformat(), Fraction(att, pos)) for monday, att, pos in weeks),
        references=references,
        ticks=tuple(f"{monday.day} {_MONTHS[monday.month - 1]}" for monday, _, _ in weeks),
    )
    rows = [
        (monday.isoformat(), att, pos, chart.shown(Fraction(att, pos)))
        for monday, att, pos in weeks
    ]
    return ChartSection(
        chart.title,
        ("Week beginning", "Attended sessions", "Possible sessions", "Attendance"),
        rows,
        notes=(
            "Each week's attended sessions over its possible sessions, pooled over every "
            "enrolment.",
            *(f"{label}: {chart.shown(rate)}." for label, rate in references),
        ),
        source=DFE_SOURCE,
        chart=chart,
    )


def absence_by_reason(
    summaries: Mapping[str, AttendanceSummary], register: Register
) -> ChartSection:
    """Absence sessions by code, most first (authorised and unauthorised codes only)."""
    meaning: dict[str, str] = {}
    for code in register.alphabet:
        if code.category in (Category.AUTHORISED_ABSENCE, Category.UNAUTHORISED_ABSENCE):
            meaning.setdefault(code.code, code.meaning)
    totals = AttendanceSummary.pool(summaries.values()).sessions_by_code
    counts = sorted(
        ((n, code) for code, n in totals.items() if code in meaning), key=lambda c: (-c[0], c[1])
    )
    chart = Chart(
        "Absence by reason",
        "bars",
        "Code",
        "Sessions",
        tuple((code, n) for n, code in counts),
        percent=False,
    )
    return ChartSection(
        chart.title,
        ("Code", "Reason", "Sessions"),
        [(code, meaning[code], n) for n, code in counts],
        notes=("Sessions of each absence code, summed over every enrolment.",),
        source=DFE_SOURCE,
        chart=chart,
    )


def _year_group_order(group: str) -> tuple[int, int, str]:
    """Nursery, reception, then years 1 to 14 in order, then anything else by name."""
    name = group.strip().upper().removeprefix("YEAR").strip().removeprefix("Y")
    early = {"N": -3, "N1": -3, "N2": -2, "R": -1}
    if name in early:
        return (0, early[name], "")
    if name.isdigit() and len(name) <= 2:
        return (0, int(name), "")
    return (1, 0, group)


def persistent_absence_by_year_group(
    summaries: Mapping[str, AttendanceSummary],
    pupils: Mapping[str, Mapping[str, str]],
    benchmarks: Sequence[Mapping[str, Any]] = (),
) -> ChartSection:
    """The persistent-absence rate of each year group: persistent absentees over enrolments
    with possible sessions, pooled within the group (without year groups, a note says so)."""
    by_group: dict[str, list[AttendanceSummary]] = {}
    for pupil_id, summary in summaries.items():
        group = pupils.get(pupil_id, {}).get("year_group", "")
        if group:
            by_group.setdefault(group, []).append(summary)
    title = "Persistent absence by year group"
    if not by_group:
        return ChartSection(
            title,
            notes=("Not drawn: no pupil has a year group (give --pupils with a year_group).",),
        )
    pooled = {g: AttendanceSummary.pool(s) for g, s in by_group.items()}
    groups = sorted((g for g in pooled if pooled[g].enrolments), key=_year_group_order)
    references = tuple(
        (f"{b['level']}: {b['area']}", Fraction(str(b["persistent_absence_rate"])))
        for b in benchmarks
        if b.get("persistent_absence_rate") is not None and b["level"] == "National"
    )
    chart = Chart(
        title,
        "bars",
        "Year group",
        "Persistent absence",
        tuple((g, Fraction(pooled[g].persistent_absentees, pooled[g].enrolments)) for g in groups),
        references=references,
    )
    rows = [
        (g, pooled[g].enrolments, pooled[g].persistent_absentees, chart.shown(v))
        for g, (_, v) in zip(groups, chart.points, strict=True)
    ]
    unknown = sum(1 for p in summaries if not pupils.get(p, {}).get("year_group"))
    return ChartSection(
        title,
        ("Year group", "Enrolments", "Persistent absentees", "Persistent absence"),
        rows,
        notes=(
            "Persistent absentees (severe included) over the group's enrolments with possible "
            "sessions.",
            *(f"{label}: {chart.shown(rate)}." for label, rate in references),
            *([f"{unknown} enrolments without a year group are left out."] if unknown else []),
        ),
        source=DFE_SOURCE,
        chart=chart,
    )


def attendance_distribution(
    summaries: Mapping[str, AttendanceSummary], policy: Policy
) -> ChartSection:
    """How many pupils' attendance falls in each of the policy's bands, lowest band first."""
    bands = policy.bands.bands
    counts = [0] * len(bands)
    without = 0
    for summary in summaries.values():
        attended, possible = summary.overall_attendance, summary.possible_sessions
        if not possible:
            without += 1
            continue
        index = band_index(attended, possible, bands)
        counts[len(bands) - 1 if index is None else index] += 1
    labels = []
    for i, band in enumerate(bands):
        upper = f" to below {_pc(bands[i - 1].at_least)}" if i else " and above"
        labels.append((band.name, f"{_pc(band.at_least)}{upper}"))
    order = range(len(bands) - 1, -1, -1)
    chart = Chart(
        "Pupils by attendance band",
        "bars",
        "Attendance band",
        "Pupils",
        tuple((labels[i][0], counts[i]) for i in order),
        percent=False,
    )
    return ChartSection(
        chart.title,
        ("Band", "Attendance", "Pupils"),
        [(labels[i][0], labels[i][1], counts[i]) for i in order],
        notes=(
            "Each enrolment's attendance rate, placed in the policy's bands (bands.bands).",
            *([f"{without} enrolments without possible sessions are left out."] if without else []),
        ),
        source="Local practice under DfE 'Working together to improve school attendance' (2024)",
        chart=chart,
    )


def _pc(percent: Fraction) -> str:
    return f"{float(percent):g}%"


def chart_sections(
    register: Register,
    summaries: Mapping[str, AttendanceSummary],
    policy: Policy,
    *,
    pupils: Mapping[str, Mapping[str, str]],
    benchmarks: Sequence[Mapping[str, Any]] = (),
    up_to: dt.date | None = None,
) -> list[ChartSection]:
    """The officer's four charts: weekly attendance this school year (to ``up_to``), then
    absence by reason, persistent absence by year group and the bands, from ``summaries``."""
    return [
        weekly_attendance_chart(weekly_attendance(register, up_to), benchmarks),
        absence_by_reason(summaries, register),
        persistent_absence_by_year_group(summaries, pupils, benchmarks),
        attendance_distribution(summaries, policy),
    ]


# -- drawing ---------------------------------------------------------------------------------

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 64
_INK, _GRID, _BAR = "#222", "#ccc", "#2b6cb0"
_REFERENCE_COLOURS = ("#c05621", "#2f855a", "#6b46c1")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def _scale(chart: Chart) -> tuple[float, float, list[float]]:
    """The y axis: its lowest and highest value and the ticks between (percent charts in
    percent points)."""
    values = [float(v) * (100 if chart.percent else 1) for _, v in chart.points]
    values += [float(r) * 100 for _, r in chart.references]
    top = max(values, default=0.0)
    if chart.percent:
        lowest = min(values, default=0.0)
        low = 0.0 if chart.kind == "bars" else min(90.0, math.floor(lowest / 10) * 10)
        high = min(100.0, max(10.0, math.ceil(top / 10) * 10)) if chart.kind == "bars" else 100.0
    else:
        low, high = 0.0, float(max(1, top))
    span = high - low
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if not chart.percent:
        step = max(1.0, math.ceil(step))
        high = math.ceil(high / step) * step
    ticks = []
    tick = low
    while tick <= high + 1e-9:
        ticks.append(tick)
        tick += step
    return low, high, ticks


def render_svg(chart: Chart, ident: str) -> str:
    """``chart`` as one ``<svg>`` element with a title, a description and labelled axes;
    ``ident`` makes its element ids unique on the page."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high, ticks = _scale(chart)
    factor = 100 if chart.percent else 1

    def y(value: float) -> float:
        return TOP + plot_h - (value * factor - low) / (high - low) * plot_h

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{_e(chart.title)}</title>',
        f'<desc id="{ident}-desc">{_e(chart.description())}</desc>',
        f'<text x="{WIDTH / 2:g}" y="20" text-anchor="middle" font-weight="bold">'
        f"{_e(chart.title)}</text>",
    ]
    for tick in ticks:
        ty = y(tick / factor)
        label = f"{tick:g}%" if chart.percent else f"{tick:g}"
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(ty)}" y2="{_n(ty)}" '
            f'stroke="{_GRID}"/><text x="{LEFT - 6}" y="{_n(ty + 4)}" text-anchor="end" '
            f'font-size="11">{_e(label)}</text>'
        )
    count = len(chart.points)
    slot = plot_w / max(count, 1)
    every = max(1, math.ceil(count / (10 if chart.kind == "line" else 16)))  # labels fit
    if chart.kind == "bars":
        for i, (label, value) in enumerate(chart.points):
            x, top = LEFT + i * slot + slot * 0.15, y(float(value))
            out.append(
                f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(slot * 0.7)}" '
                f'height="{_n(TOP + plot_h - top)}" fill="{_BAR}">'
                f"<title>{_e(label)}: {_e(chart.shown(value))}</title></rect>"
            )
    else:
        coords = [
            (LEFT + (i + 0.5) * slot, y(float(value))) for i, (_, value) in enumerate(chart.points)
        ]
        path = " ".join(f"{_n(cx)},{_n(cy)}" for cx, cy in coords)
        out.append(f'<polyline points="{path}" fill="none" stroke="{_BAR}" stroke-width="2"/>')
        for (cx, cy), (label, value) in zip(coords, chart.points, strict=True):
            out.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="3" fill="{_BAR}">'
                f"<title>{_e(label)}: {_e(chart.shown(value))}</title></circle>"
            )
    for i, label in enumerate(chart.ticks or [label for label, _ in chart.points]):
        if i % every == 0:
            cx = LEFT + (i + 0.5) * slot
            out.append(
                f'<text x="{_n(cx)}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                f'font-size="11">{_e(label if len(label) <= 14 else label[:13] + "…")}</text>'
            )
    for (label, rate), colour in zip(chart.references, _REFERENCE_COLOURS, strict=False):
        ry = y(float(rate))
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(ry)}" y2="{_n(ry)}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{_n(ry - 4)}" text-anchor="end" font-size="11" '
            f'fill="{colour}">{_e(label)} {_e(chart.shown(rate))}</text>'
        )
    out += [
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="{_INK}"/>',
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        f'stroke="{_INK}"/>',
        f'<text x="{LEFT + plot_w / 2:g}" y="{HEIGHT - 12}" text-anchor="middle" font-size="12">'
        f"{_e(chart.x_label)}</text>",
        f'<text transform="translate(16 {TOP + plot_h / 2:g}) rotate(-90)" text-anchor="middle" '
        f'font-size="12">{_e(chart.y_label)}</text>',
        "</svg>",
    ]
    return "\n".join(out)
