"""Helpers for the intervention-rule tests: one real calendar and registers written as tables.

A pupil's marks are written as a string of codes, one token per school session in calendar
order from a start date (``"N N / N"``); ``.`` is a session with no mark. Weekends, holidays
and closures are skipped by the calendar, exactly as the rules skip them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from hypothesis import strategies as st

from attendance_core.calendars import (
    SchoolCalendar,
)
from attendance_core.model import Enrolment, Mark, Part, Session
from attendance_core.policy import Policy
from attendance_core.register import Register, RegisterBuilder
from attendance_core.rules.findings import Evidence, Finding, PupilRecord, RuleContext

__all__ = [
    "CALENDAR",
    "am",
    "check",
    "code_runs",
    "context",
    "from_evidence",
    "marks",
    "record",
    "register",
    "without",
]

CALENDAR = SchoolCalendar.from_mapping(
    {
        "name": "Test school 2024/25",
        "nation": "england",
        "years": [
            {
                "academic_year": 2024,
                "terms": [
                    {"name": "Autumn", "start": "2024-09-02", "end": "2024-12-20"},
                    {"name": "Spring", "start": "2025-01-06", "end": "2025-04-04"},
                    {"name": "Summer", "start": "2025-04-22", "end": "2025-07-22"},
                ],
                "half_term_holidays": [
                    {"start": "2024-10-28", "end": "2024-11-01"},
                    {"start": "2025-02-17", "end": "2025-02-21"},
                    {"start": "2025-05-26", "end": "2025-05-30"},
                ],
                "inset_days": ["2025-01-06"],
            }
        ],
    }
)
"""2024/25: half-terms 28 Oct-1 Nov, 17-21 Feb and 26-30 May; INSET on 6 January."""


def marks(start: str, codes: str, calendar: SchoolCalendar = CALENDAR) -> list[Mark]:
    """Marks for consecutive school sessions from ``start``, one token each (``.``: none)."""
    tokens = codes.split()
    first = dt.date.fromisoformat(start)
    sessions = calendar.sessions(first, first + dt.timedelta(days=400))[: len(tokens)]
    assert len(sessions) == len(tokens), "the calendar ends before the marks do"
    return [Mark(s, code) for s, code in zip(sessions, tokens, strict=True) if code != "."]


def register(
    pupils: Mapping[str, Sequence[Mark]], *, extra_sessions: Sequence[Session] = ()
) -> Register:
    """A register of ``pupils``; ``extra_sessions`` adds columns some other pupil was marked in."""
    builder = RegisterBuilder()
    for pupil_id, pupil_marks in pupils.items():
        builder.row(pupil_id)
        for mark in pupil_marks:
            builder.add(pupil_id, mark.session, mark.code, mark.minutes_late)
    for session in extra_sessions:
        builder.column(session)
    return builder.build()


def context(
    as_of: str | dt.date,
    policy: Policy | None = None,
    calendar: SchoolCalendar = CALENDAR,
    **extra: object,
) -> RuleContext:
    """A rule context as of a date (``extra`` passes further RuleContext fields)."""
    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    return RuleContext(calendar, policy or Policy(), day, **extra)  # type: ignore[arg-type]


def record(reg: Register, pupil_id: str, enrolment: Enrolment | None = None) -> PupilRecord:
    """One pupil's record of ``reg``."""
    return PupilRecord.from_register(reg, reg.pupil_ids.index(pupil_id), enrolment)


def check(
    rule: Callable[[PupilRecord, RuleContext], list[Finding]],
    reg: Register,
    ctx: RuleContext,
    enrolments: Mapping[str, Enrolment] | None = None,
) -> list[Finding]:
    """Run a pupil rule over every pupil of ``reg``."""
    found: list[Finding] = []
    for index, pupil_id in enumerate(reg.pupil_ids):
        enrolment = (enrolments or {}).get(pupil_id)
        found.extend(rule(PupilRecord.from_register(reg, index, enrolment), ctx))
    return found


def am(day: str) -> Session:
    """The morning session of an ISO date."""
    return Session(dt.date.fromisoformat(day), Part.AM)


def from_evidence(pupil_id: str, evidence: Sequence[Evidence]) -> Register:
    """A register holding only a finding's evidence (its marked sessions)."""
    return register(
        {pupil_id: [Mark(e.session, e.code, e.minutes_late) for e in evidence if e.code]}
    )


def without(pupil_marks: Sequence[Mark], session: Session) -> list[Mark]:
    """``pupil_marks`` with the mark for ``session`` left out."""
    return [m for m in pupil_marks if m.session != session]


def code_runs(codes: Sequence[str], *, runs: int = 6, longest: int = 30) -> st.SearchStrategy[str]:
    """Mark strings made of runs of a few ``codes`` repeated, so that long streaks are common.

    At most ``runs * longest`` sessions: with the defaults, they fit from early February.
    """
    run = st.tuples(
        st.lists(st.sampled_from(codes), min_size=1, max_size=4), st.integers(1, longest)
    )
    return st.lists(run, max_size=runs).map(
        lambda parts: " ".join(" ".join((cycle * n)[:n]) for cycle, n in parts)
    )
