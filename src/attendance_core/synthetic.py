"""A deterministic synthetic school: realistic registers without any real pupil's data.

Used by ``attendance-core demo``, the benchmark and tests, and open to other tools that need
a whole school's register to try things on. The same ``pupils``, ``seed`` and
``academic_year`` give the same register on every machine (one seeded ``random.Random``).

The school is all-through (Reception to Year 11). Its year follows an English LA pattern:
autumn term from the first weekday of September with a half term in the last full week of
October, to the last Friday before 21 December; spring term from the first Monday on or after
4 January with a half term in the third week of February, breaking for the fortnight around
Easter; summer term with a half term in the week of the spring bank holiday, running until
pupils have had 190 days (380 sessions, reg 3 of the Education (School Day and School Year)
(England) Regulations 1999). Bank holidays (England, from ``holidays``) are not school days.
Five INSET days are coded ``#`` (planned closure, not a possible session).

Codes follow what English schools record: mostly ``/`` and ``\\``; some ``L`` with minutes
late; illness spells ``I``; appointments ``M``; unauthorised ``O``, ``N``, ``U`` and holidays
in term ``G``; occasional trips ``V``, sport ``P``, other activities ``B``, LA provision
``K``, work experience ``W`` for Year 10, suspensions ``E``, religious observance ``R``,
exceptional leave ``C``, part-time timetables ``C2``, dual registration ``D``, and ``X`` for
Reception children below compulsory school age on a part-time start. About one enrolment in
six is persistently absent, one or two in a hundred severely absent and overall absence is near
6.5%: realistic, if a little below DfE's national figures for 2023/24 (about 20%, 2.3% and
7.1%, "Pupil absence in schools in England").
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import attrs

from attendance_core.calendars import SchoolCalendar
from attendance_core.codes import ENGLAND_2024
from attendance_core.exceptions import InputError
from attendance_core.model import Enrolment, Part, Session
from attendance_core.register import Register

__all__ = [
    "SyntheticSchool",
    "easter_sunday",
    "school_year_days",
    "synthetic_calendar",
    "synthetic_pupils",
    "synthetic_school",
]

PUPIL_DAYS = 190
"""Days pupils are taught in a year: 380 sessions (School Day and School Year Regs 1999)."""

_CODES: tuple[str, ...] = (
    *("/", "\\", "#", "L", "I", "M", "O", "N", "U", "G", "V", "P", "B", "K", "W", "E"),
    *("R", "C", "C2", "D", "X"),
)
_VALUE = {code: value for value, code in enumerate(_CODES, start=1)}

_REASONS: tuple[tuple[str, int, tuple[int, int]], ...] = (
    # code, weight, (shortest, longest) run in sessions
    ("I", 52, (2, 10)),
    ("M", 8, (1, 1)),
    ("O", 12, (1, 4)),
    ("N", 5, (1, 2)),
    ("U", 3, (1, 1)),
    ("G", 6, (6, 10)),
    ("E", 2, (2, 6)),
    ("R", 2, (2, 2)),
    ("C", 2, (2, 4)),
)
_SEVERE_REASONS: tuple[tuple[str, int, tuple[int, int]], ...] = (
    ("N", 30, (2, 10)),
    ("O", 30, (2, 10)),
    ("I", 30, (4, 20)),
    ("U", 5, (1, 1)),
    ("M", 5, (1, 2)),
)


@attrs.frozen
class SyntheticSchool:
    """A generated school: its register and the year it covers."""

    register: Register
    academic_year: int
    """The calendar year the academic year starts in (2025 means 2025/26)."""
    seed: int
    school_days: tuple[dt.date, ...]
    """Days the school meets, INSET days included when they are in the register."""
    inset_days: tuple[dt.date, ...]
    year_groups: dict[str, int] = attrs.field(eq=False, repr=False)
    """Each pupil's year group (0 = Reception)."""
    enrolments: dict[str, Enrolment] = attrs.field(eq=False, repr=False)
    """Each pupil's roll dates, in register order: admission on the register's first day, or
    the day a mid-year joiner's marks start; a leaver's leaving date is their last marked day.
    ``attendance-core demo --write-enrolments`` writes them for ``check --enrolments``."""


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta((7 - day.weekday()) % 7)


def _week(monday: dt.date) -> set[dt.date]:
    return {monday + dt.timedelta(n) for n in range(5)}


@attrs.frozen
class _YearPlan:
    """The synthetic school's year: three terms, three half-term weeks and five INSET days."""

    terms: tuple[tuple[str, dt.date, dt.date], ...]
    half_terms: tuple[tuple[str, dt.date, dt.date], ...]
    days: tuple[dt.date, ...]
    """Every day the school meets, INSET days included."""
    inset: tuple[dt.date, ...]


def _plan(academic_year: int) -> _YearPlan:
    import holidays  # only the generator needs bank holidays; reading marks must not

    y, y1 = academic_year, academic_year + 1
    bank = set(holidays.country_holidays("GB", subdiv="ENG", years=(y, y1)))
    october_half = _monday_on_or_after(dt.date(y, 10, 25))
    if october_half + dt.timedelta(4) > dt.date(y, 10, 31):
        october_half -= dt.timedelta(7)
    autumn_end = dt.date(y, 12, 20) - dt.timedelta((dt.date(y, 12, 20).weekday() - 4) % 7)
    spring_start = _monday_on_or_after(dt.date(y1, 1, 4))
    february_half = _monday_on_or_after(dt.date(y1, 2, 15))
    easter = easter_sunday(y1)
    easter_break = (easter - dt.timedelta(6), easter + dt.timedelta(5))
    may_bank = max(d for d in bank if d.month == 5)
    may_half = _monday_on_or_after(may_bank)
    breaks = _week(october_half) | _week(february_half) | _week(may_half)
    breaks.update(_weekdays(*easter_break))
    breaks.update(bank)
    autumn = [d for d in _weekdays(dt.date(y, 9, 1), autumn_end) if d not in breaks]
    later = [d for d in _weekdays(spring_start, dt.date(y1, 7, 31)) if d not in breaks]
    summer_start = next(d for d in later if d > easter_break[1])
    inset = [autumn[0], autumn[1], max(d for d in autumn if d < october_half)]
    inset += [spring_start, summer_start]
    taught = [d for d in autumn + later if d not in inset]
    last = taught[PUPIL_DAYS - 1]
    spring_end = max(d for d in later if d < easter_break[0])
    week = dt.timedelta(4)
    return _YearPlan(
        (
            ("Autumn", autumn[0], autumn[-1]),
            ("Spring", spring_start, spring_end),
            ("Summer", summer_start, last),
        ),
        (
            ("October half-term", october_half, october_half + week),
            ("February half-term", february_half, february_half + week),
            ("Whitsun half-term", may_half, may_half + week),
        ),
        tuple(sorted(d for d in autumn + later if d <= last)),
        tuple(sorted(inset)),
    )


def school_year_days(academic_year: int) -> tuple[list[dt.date], list[dt.date]]:
    """The school days of the synthetic school's year and, among them, its five INSET days."""
    plan = _plan(academic_year)
    return list(plan.days), list(plan.inset)


def synthetic_calendar(academic_year: int = 2025) -> SchoolCalendar:
    """The synthetic school's own calendar: its terms, half-terms and INSET days, with
    England's bank holidays, so ``check`` and ``summary --calendar`` find its register whole
    (``attendance-core demo --write-calendar``)."""
    plan = _plan(academic_year)
    return SchoolCalendar.from_mapping(
        {
            "name": "Synthetic school",
            "nation": "england",
            "authority": "generated by attendance_core.synthetic (no real school's dates)",
            "years": [
                {
                    "academic_year": academic_year,
                    "inset_days": list(plan.inset),
                    "terms": [{"name": n, "start": a, "end": b} for n, a, b in plan.terms],
                    "half_term_holidays": [
                        {"name": n, "start": a, "end": b} for n, a, b in plan.half_terms
                    ],
                }
            ],
        }
    )


def synthetic_school(
    pupils: int = 1200,
    *,
    seed: int = 2025,
    academic_year: int = 2025,
    mobility: bool = True,
    inset: bool = True,
) -> SyntheticSchool:
    """Generate the school: ``pupils`` enrolments over one academic year.

    ``mobility`` adds mid-year joiners and leavers (about 6% and 4%), who join and leave at a
    day's start and end; ``inset`` keeps the INSET days in the register as ``#``. With neither,
    every enrolment has exactly 380 marks.
    """
    if pupils < 0:
        raise InputError(
            "a negative number of pupils", field="pupils", value=pupils, expected="0 or more"
        )
    rng = random.Random(seed)
    days, inset_days = school_year_days(academic_year)
    if not inset:
        days = [d for d in days if d not in inset_days]
    sessions = tuple(Session(d, part) for d in days for part in (Part.AM, Part.PM))
    closed = {d for d in inset_days if d in days}
    template = bytearray()
    for session in sessions:
        if session.date in closed:
            template.append(_VALUE["#"])
        else:
            template.append(_VALUE["/"] if session.part is Part.AM else _VALUE["\\"])
    generator = _Generator(rng, sessions, bytes(template))
    ids = [f"S{n:05d}" for n in range(1, pupils + 1)]
    years = {pupil_id: n * 12 // max(pupils, 1) for n, pupil_id in enumerate(ids)}
    rows = [generator.row(years[pupil_id], mobility) for pupil_id in ids]
    generator.trips(rows, [years[p] for p in ids])
    minutes = {
        (r, col): m for r, row_minutes in enumerate(generator.minutes) for col, m in row_minutes
    }
    register = Register(
        sessions,
        tuple(ids),
        tuple(ENGLAND_2024[code] for code in _CODES),
        tuple(bytes(row) for row in rows),
        minutes,
        _CODES,
    )
    enrolments = {
        pupil_id: Enrolment(
            pupil_id,
            "",
            sessions[first].date,
            None if stop == len(sessions) else sessions[stop - 1].date,
        )
        for pupil_id, (first, stop) in zip(ids, generator.spans, strict=True)
    }
    return SyntheticSchool(
        register,
        academic_year,
        seed,
        tuple(days),
        tuple(d for d in inset_days if d in closed),
        years,
        enrolments,
    )


class _Generator:
    """Draws one pupil's row at a time from the shared random stream."""

    def __init__(self, rng: random.Random, sessions: Sequence[Session], template: bytes) -> None:
        self.rng = rng
        self.sessions = sessions
        self.template = template
        self.width = len(sessions)
        self.present = {_VALUE["/"], _VALUE["\\"]}
        self.minutes: list[list[tuple[int, int]]] = []
        self.spans: list[tuple[int, int]] = []
        """Each row's columns on roll, ``[first, stop)``."""
        autumn = [c for c, s in enumerate(sessions) if s.date.month >= 9]
        self.autumn_fridays_pm = [
            c for c in autumn if sessions[c].date.weekday() == 4 and sessions[c].part is Part.PM
        ]

    def put(self, row: bytearray, start: int, length: int, code: str) -> int:
        """Overwrite present marks from ``start`` with ``code``; returns how many changed."""
        changed = 0
        for col in range(start, min(start + length, self.width)):
            if row[col] in self.present:
                row[col] = _VALUE[code]
                changed += 1
        return changed

    def row(self, year_group: int, mobility: bool) -> bytearray:
        rng, width = self.rng, self.width
        row = bytearray(self.template)
        late: list[tuple[int, int]] = []
        draw = rng.random()
        first, stop = 0, width
        # Whole days only (columns alternate AM, PM): a roll date has no session of its own.
        if mobility and draw < 0.06:  # joined during the year
            first = rng.randrange(width // 6, width - width // 6) // 2 * 2
            row[:first] = bytes(first)
        elif mobility and draw < 0.10:  # left during the year
            stop = rng.randrange(width // 6, width - width // 6) // 2 * 2
            row[stop:] = bytes(width - stop)
        self.spans.append((first, stop))
        kind = rng.random()
        if kind < 0.015:
            rate, reasons = rng.uniform(0.5, 0.85), _SEVERE_REASONS
        elif kind < 0.16:
            rate, reasons = rng.uniform(0.09, 0.3), _REASONS
        else:
            rate, reasons = rng.betavariate(1.3, 40), _REASONS
        on_roll = sum(1 for value in row if value in self.present)
        budget = round(rate * on_roll)
        codes = [code for code, _, _ in reasons]
        weights = [weight for _, weight, _ in reasons]
        while budget > 0:
            code = rng.choices(codes, weights)[0]
            shortest, longest = next(run for c, _, run in reasons if c == code)
            budget -= self.put(
                row, rng.randrange(width), min(budget, rng.randint(shortest, longest)), code
            )
        for _ in range(rng.choice((0, 0, 1, 2, 3, 5, 8))):  # late arrivals
            col = rng.randrange(0, width, 2)  # morning registers
            if self.put(row, col, 1, "L"):
                late.append((col, rng.randint(1, 25)))
        late.extend(
            (col, rng.randint(31, 50)) for col, value in enumerate(row) if value == _VALUE["U"]
        )
        extra = rng.random()
        if extra < 0.004 and year_group >= 1:  # part-time timetable: afternoons for a half term
            start = rng.randrange(0, width - 60, 2) + 1
            for col in range(start, start + 60, 2):
                self.put(row, col, 1, "C2")
        elif extra < 0.008:  # LA-arranged provision one day a week
            for col, session in enumerate(self.sessions):
                if session.date.weekday() == 2:
                    self.put(row, col, 1, "K")
        elif extra < 0.010 and year_group >= 9:  # dual registered: Fridays at another school
            for col, session in enumerate(self.sessions):
                if session.date.weekday() == 4:
                    self.put(row, col, 1, "D")
        elif extra < 0.04:  # sport fixtures
            for _ in range(rng.randint(1, 4)):
                self.put(row, rng.randrange(1, width, 2), 1, "P")
        elif extra < 0.05:
            self.put(row, rng.randrange(width), 2, "B")
        if year_group == 0 and rng.random() < 0.25:  # summer-born starters below school age
            for col in self.autumn_fridays_pm:
                self.put(row, col, 1, "X")
        self.minutes.append(late)
        return row

    def trips(self, rows: list[bytearray], years: list[int]) -> None:
        """A day's visit for each year group, and a week's work experience for Year 10."""
        rng = self.rng
        school_days = [c for c in range(0, self.width, 2) if self.template[c] != _VALUE["#"]]
        for year_group in range(12):
            start = rng.choice(school_days)
            for row, year in zip(rows, years, strict=True):
                if year == year_group:
                    self.put(row, start, 2, "V")
        summer = [c for c in school_days if self.sessions[c].date.month == 6]
        if summer:
            start = summer[0]
            for row, year in zip(rows, years, strict=True):
                if year == 10:
                    self.put(row, start, 10, "W")


_FORENAMES = ("Ava", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hari", "Isla", "Jack")
_SURNAMES = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Khan", "Patel", "Smith", "Wilson")
_FLAG_RATES = (
    ("fsm", 25),
    ("sen", 15),
    ("looked_after", 1),
    ("child_protection", 2),
    ("child_in_need", 3),
)
"""Flags and the percent of pupils given each, near England's published shares."""


def synthetic_pupils(school: SyntheticSchool) -> dict[str, dict[str, str]]:
    """The school's pupils' attributes (``demo --write-pupils``): made-up names, year group
    and form from the generated year groups, and flags drawn with the school's seed. No real
    pupil's data."""
    rng = random.Random(f"pupils {school.seed}")
    pupils = {}
    for pupil_id in school.register.pupil_ids:
        year = school.year_groups[pupil_id]
        group = "R" if year == 0 else str(year)
        flags = {name: rng.randrange(100) < percent for name, percent in _FLAG_RATES}
        pupils[pupil_id] = {
            "forename": rng.choice(_FORENAMES),
            "surname": rng.choice(_SURNAMES),
            "year_group": group,
            "form": f"{group}{rng.choice('ABC')}",
            "sen": rng.choice("KE") if flags.pop("sen") else "N",
            **{name: "yes" if on else "no" for name, on in flags.items()},
        }
    return pupils
