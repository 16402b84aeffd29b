"""Attendance statistics exactly as DfE computes them.

Sources:
- DfE, "Pupil absence in schools in England" methodology: possible sessions, overall,
  authorised and unauthorised absence rates as sessions over possible sessions; persistent
  absence as 10% or more of an enrolment's own possible sessions (exact method, 2015/16 on);
  group rates pool sessions and never average percentages; enrolments with no possible
  sessions are excluded.
- DfE "Pupil attendance in schools" technical guidance: attendance is present (/ and \\) plus
  late before registers closed (L) plus approved educational activity; ``late_sessions`` is L
  plus U.
- Severe absence: 50% or more of possible sessions ("missing at least half"). The exact
  inequality in DfE's text is unconfirmed; ``>=`` is the default, as DfE's summaries say "at
  least", and a policy's ``method.severe_absence_boundary = "more_than"`` chooses ``>``.

Both lines are national defaults; a :class:`~attendance_core.policy.Policy` given to
:func:`summarise`, :meth:`AttendanceSummary.from_counts` or ``Register.summaries`` replaces
them with its ``thresholds`` and ``method.severe_absence_boundary`` (:class:`AbsenceThresholds`).

Every rate is an exact :class:`fractions.Fraction`; thresholds are compared on integers.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

from attendance_core.codes import (
    AttendanceCode,
    Category,
    CodeSet,
    CodeSetLike,
    Lateness,
    code_set_for_date,
    get_code_set,
)
from attendance_core.exceptions import InputError, UnknownCodeError
from attendance_core.model import Mark, Session, check_minutes_late, parse_date
from attendance_core.register import Register, ResolveCode

if TYPE_CHECKING:  # summaries read only three of a policy's fields
    from attendance_core.policy import Policy
    from attendance_core.rules.columnar import CountingEngine

__all__ = [
    "DFE_THRESHOLDS",
    "SESSION_TOTALS",
    "AbsenceThresholds",
    "AttendanceSummary",
    "MarkLike",
    "display_percent",
    "is_persistent_absence",
    "is_severe_absence",
    "register_summaries",
    "register_summary",
    "summarise_marks",
]

MarkLike: TypeAlias = (
    "Mark | tuple[dt.date | str, str, str] | tuple[dt.date | str, str, str, int | None]"
)
"""A :class:`Mark`, or ``(date, "AM" | "PM", code)`` with optional minutes late."""

SESSION_TOTALS = (
    "possible_sessions",
    "present_sessions",
    "approved_educational_activity",
    "overall_attendance",
    "authorised_absence",
    "unauthorised_absence",
    "overall_absence",
    "late_sessions",
)
"""DfE's session totals, each an :class:`AttendanceSummary` attribute named as DfE publishes it
(the columns of "Pupil attendance in schools"), in the order outputs list them."""

PERSISTENT_ABSENCE_PERCENT = 10
"""DfE: an enrolment missing 10% or more of its own possible sessions (since 2015/16)."""
SEVERE_ABSENCE_PERCENT = 50
"""DfE: an enrolment missing 50% or more of its possible sessions."""


def display_percent(rate: Fraction | None) -> str:
    """A rate as DfE shows it: a percentage to one decimal place, halves rounded up, decided on
    integers; ``"-"`` with no rate. For display only: thresholds are never decided on it."""
    if rate is None:
        return "-"
    tenths = (2000 * rate.numerator + rate.denominator) // (2 * rate.denominator)
    return f"{tenths // 10}.{tenths % 10}%"


def is_persistent_absence(
    absence: int, possible: int, percent: int = PERSISTENT_ABSENCE_PERCENT
) -> bool:
    """``absence / possible >= percent / 100``, decided on integers; false with no possible sessions."""
    return possible > 0 and absence * 100 >= possible * percent


def is_severe_absence(absence: int, possible: int, percent: int = SEVERE_ABSENCE_PERCENT) -> bool:
    """``absence / possible >= percent / 100``, decided on integers; false with no possible sessions."""
    return is_persistent_absence(absence, possible, percent)


@attrs.frozen
class AbsenceThresholds:
    """The lines at which an enrolment is persistently or severely absent, in whole percent.

    DfE's are the defaults (:data:`DFE_THRESHOLDS`); :meth:`from_policy` takes a policy's
    ``thresholds.persistent_absence``, ``thresholds.severe_absence`` and
    ``method.severe_absence_boundary`` (DfE's exact severe-absence wording is unconfirmed, so
    "at least" versus "more than" is a policy setting). Decided on integers, never on floats.
    """

    persistent_absence: int = PERSISTENT_ABSENCE_PERCENT
    severe_absence: int = SEVERE_ABSENCE_PERCENT
    severe_absence_boundary: Literal["at_least", "more_than"] = attrs.field(
        default="at_least", validator=attrs.validators.in_(("at_least", "more_than"))
    )

    @classmethod
    def from_policy(cls, policy: Policy | None) -> AbsenceThresholds:
        """``policy``'s lines, or DfE's when ``policy`` is ``None``."""
        if policy is None:
            return DFE_THRESHOLDS
        found = cls(
            policy.thresholds.persistent_absence,
            policy.thresholds.severe_absence,
            policy.method.severe_absence_boundary,
        )
        return DFE_THRESHOLDS if found == DFE_THRESHOLDS else found

    def is_persistent(self, absence: int, possible: int) -> bool:
        """``absence * 100 >= possible * persistent_absence``; false with no possible sessions."""
        return is_persistent_absence(absence, possible, self.persistent_absence)

    def is_severe(self, absence: int, possible: int) -> bool:
        """``absence * 100 >= possible * severe_absence`` (``>`` with ``"more_than"``); false
        with no possible sessions."""
        if self.severe_absence_boundary == "more_than":
            return possible > 0 and absence * 100 > possible * self.severe_absence
        return is_severe_absence(absence, possible, self.severe_absence)

    def describe(self) -> tuple[str, str]:
        """How the persistent and severe lines read in output, e.g. ``("10% or more", ...)``."""
        persistent = f"{self.persistent_absence}% or more"
        if self.severe_absence_boundary == "more_than":
            return persistent, f"more than {self.severe_absence}%"
        return persistent, f"{self.severe_absence}% or more"


DFE_THRESHOLDS = AbsenceThresholds()
"""DfE's lines: persistent at 10% or more, severe at 50% or more ("at least half")."""


def _rate(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def _sorted_counts(
    counts: Mapping[str, int] | Iterable[tuple[str, int]],
) -> tuple[tuple[str, int], ...]:
    items = counts.items() if isinstance(counts, Mapping) else counts
    return tuple(sorted((code, n) for code, n in items if n))


@attrs.frozen
class AttendanceSummary:
    """Session counts of one enrolment, or of a pooled group of enrolments, with DfE's names.

    Summaries add: ``a + b`` (or :meth:`pool`) sums every count, so pooled rates are total
    sessions over total possible sessions. The enrolment tallies say how many enrolments are
    pooled: those with possible sessions (the group's denominator for persistent and severe
    absence rates) and those without, which DfE leaves out of every group figure.
    ``thresholds`` are the lines its persistent and severe flags were decided with (DfE's
    unless a policy was given); summaries decided with different lines do not pool.
    """

    present_sessions: int = 0
    """Sessions coded present: ``/``, ``\\`` and ``L`` (late before the register closed)."""
    approved_educational_activity: int = 0
    authorised_absence: int = 0
    unauthorised_absence: int = 0
    not_counted_sessions: int = 0
    """Sessions with a code outside possible sessions (D, Q, X, Y, Y1-Y7, Z, #)."""
    late_sessions: int = 0
    """DfE's late sessions: L plus U (only U is an absence)."""
    minutes_late: int = 0
    """Total minutes late, where the register recorded them."""
    code_counts: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_sorted_counts)
    """Sessions by code, sorted by code, zero counts left out. See :attr:`sessions_by_code`."""
    enrolments: int = 0
    """Enrolments pooled here that have at least one possible session."""
    enrolments_without_possible: int = 0
    """Enrolments pooled here with no possible session: excluded from group figures."""
    persistent_absentees: int = 0
    severe_absentees: int = 0
    thresholds: AbsenceThresholds = DFE_THRESHOLDS
    """The persistent- and severe-absence lines (DfE's, or a policy's)."""

    # -- construction -------------------------------------------------------------------
    @classmethod
    def of_enrolment(
        cls,
        counts: Iterable[tuple[AttendanceCode, int]],
        *,
        minutes_late: int = 0,
        thresholds: AbsenceThresholds = DFE_THRESHOLDS,
    ) -> AttendanceSummary:
        """The summary of one enrolment from ``(code, sessions)`` pairs, flagged at ``thresholds``."""
        by_category: Counter[Category] = Counter()
        by_code: Counter[str] = Counter()
        late = 0
        for code, n in counts:
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise InputError(
                    "not a session count", field=code.code, value=n, expected="an integer >= 0"
                )
            by_category[code.category] += n
            by_code[code.code] += n
            if code.lateness is not Lateness.NOT_LATE:
                late += n
        absence = (
            by_category[Category.AUTHORISED_ABSENCE] + by_category[Category.UNAUTHORISED_ABSENCE]
        )
        possible = (
            absence
            + by_category[Category.PRESENT]
            + by_category[Category.APPROVED_EDUCATIONAL_ACTIVITY]
        )
        return cls(
            present_sessions=by_category[Category.PRESENT],
            approved_educational_activity=by_category[Category.APPROVED_EDUCATIONAL_ACTIVITY],
            authorised_absence=by_category[Category.AUTHORISED_ABSENCE],
            unauthorised_absence=by_category[Category.UNAUTHORISED_ABSENCE],
            not_counted_sessions=by_category[Category.NOT_COUNTED],
            late_sessions=late,
            minutes_late=minutes_late,
            code_counts=by_code,
            enrolments=1 if possible else 0,
            enrolments_without_possible=0 if possible else 1,
            persistent_absentees=int(thresholds.is_persistent(absence, possible)),
            severe_absentees=int(thresholds.is_severe(absence, possible)),
            thresholds=thresholds,
        )

    @classmethod
    def from_counts(
        cls,
        counts: Mapping[str, int]
        | Mapping[AttendanceCode, int]
        | Mapping[str | AttendanceCode, int],
        *,
        code_set: CodeSetLike | Sequence[CodeSetLike] = "england-2024",
        policy: Policy | None = None,
        resolve: ResolveCode | None = None,
    ) -> AttendanceSummary:
        """A summary from per-code session counts, as DfE publishes them.

        Codes are looked up in ``code_set``; given several sets, each code is taken from the
        first set that has it, so DfE's files (2024 codes plus legacy H, F and J) read with
        ``code_set=("england-2024", "england-2006")``. Keys may also be
        :class:`AttendanceCode` values. The result counts as one enrolment. A code in none of
        the sets goes to ``resolve`` with the first set (a school's local codes and plugins:
        :attr:`attendance_core.School.resolve`); the flags use ``policy``'s thresholds.
        """
        sets = (
            [get_code_set(code_set)]
            if isinstance(code_set, (str, CodeSet))
            else [get_code_set(s) for s in code_set]
        )
        pairs = [(_lookup_in(sets, code, resolve), n) for code, n in counts.items()]
        return cls.of_enrolment(pairs, thresholds=AbsenceThresholds.from_policy(policy))

    @classmethod
    def pool(cls, summaries: Iterable[AttendanceSummary]) -> AttendanceSummary:
        """Pool many summaries (a school, an LA) into one: every count is summed.

        Raises:
            InputError: the summaries' flags were decided with different thresholds, so their
                persistent and severe absentees do not add up to one group's.
        """
        pooled = summaries if isinstance(summaries, (list, tuple)) else list(summaries)
        names = [f.name for f in attrs.fields(cls) if f.name not in ("code_counts", "thresholds")]
        # Summed field by field in C (attrgetter over the list): a trust pools 100,000 or more.
        totals = {name: sum(map(operator.attrgetter(name), pooled)) for name in names}
        codes: dict[str, int] = {}
        for code, n in itertools.chain.from_iterable(s.code_counts for s in pooled):
            codes[code] = codes.get(code, 0) + n
        thresholds: AbsenceThresholds | None = None
        for found in {id(s.thresholds): s.thresholds for s in pooled}.values():
            if thresholds is not None and found != thresholds:
                raise InputError(
                    "summaries flagged with different absence thresholds cannot be pooled",
                    field="thresholds",
                    value=str(found),
                    expected=str(thresholds),
                )
            thresholds = found
        return cls(code_counts=codes, thresholds=thresholds or DFE_THRESHOLDS, **totals)

    @classmethod
    def pool_by(
        cls, by_pupil: Iterable[tuple[str, AttendanceSummary]], *, policy: Policy | None = None
    ) -> AttendanceSummary:
        """Pool ``(pupil id, enrolment summary)`` pairs as ``policy.method.count_by`` says.

        ``"enrolment"`` (the default, DfE's unit: a pupil who moved school is two enrolments,
        each flagged on its own sessions) is :meth:`pool`. ``"pupil"`` first adds up each
        pupil's enrolments into one, flagged on the pupil's sessions across them, then pools
        the pupils (DfE's "Pupil absence in schools in England" methodology counts enrolments:
        a pupil absent 12% at school A and 5% at B is one persistent absentee by enrolment and
        none by pupil).
        """
        pairs = list(by_pupil)
        if policy is None or policy.method.count_by == "enrolment":
            return cls.pool(summary for _, summary in pairs)
        grouped: dict[str, list[AttendanceSummary]] = {}
        for pupil_id, summary in pairs:
            grouped.setdefault(pupil_id, []).append(summary)
        pupils = []
        for summaries in grouped.values():
            merged = cls.pool(summaries)
            absent, possible = merged.overall_absence, merged.possible_sessions
            pupils.append(
                attrs.evolve(
                    merged,
                    enrolments=1 if possible else 0,
                    enrolments_without_possible=0 if possible else 1,
                    persistent_absentees=int(merged.thresholds.is_persistent(absent, possible)),
                    severe_absentees=int(merged.thresholds.is_severe(absent, possible)),
                )
            )
        return cls.pool(pupils)

    def __add__(self, other: object) -> AttendanceSummary:
        if not isinstance(other, AttendanceSummary):
            return NotImplemented
        return AttendanceSummary.pool((self, other))

    def __radd__(self, other: object) -> AttendanceSummary:
        if other == 0:  # lets sum(summaries) work
            return self
        return NotImplemented

    # -- DfE's counts ---------------------------------------------------------------------
    @property
    def possible_sessions(self) -> int:
        """Present + approved educational activity + authorised + unauthorised absence."""
        return self.overall_attendance + self.overall_absence

    @property
    def overall_attendance(self) -> int:
        """Present sessions plus approved educational activity."""
        return self.present_sessions + self.approved_educational_activity

    @property
    def overall_absence(self) -> int:
        """Authorised plus unauthorised absence."""
        return self.authorised_absence + self.unauthorised_absence

    @property
    def sessions_by_code(self) -> dict[str, int]:
        """Sessions for each code that occurs, including codes outside possible sessions."""
        return dict(self.code_counts)

    # -- rates --------------------------------------------------------------------------
    @property
    def attendance_rate(self) -> Fraction | None:
        """Overall attendance over possible sessions; ``None`` with no possible sessions."""
        return _rate(self.overall_attendance, self.possible_sessions)

    @property
    def overall_absence_rate(self) -> Fraction | None:
        """Overall absence over possible sessions; ``None`` with no possible sessions."""
        return _rate(self.overall_absence, self.possible_sessions)

    @property
    def authorised_absence_rate(self) -> Fraction | None:
        return _rate(self.authorised_absence, self.possible_sessions)

    @property
    def unauthorised_absence_rate(self) -> Fraction | None:
        return _rate(self.unauthorised_absence, self.possible_sessions)

    def reason_rate(self, code: str) -> Fraction | None:
        """Sessions with ``code`` over possible sessions (DfE's absence rate by reason)."""
        return _rate(self.sessions_by_code.get(code, 0), self.possible_sessions)

    @property
    def reason_rates(self) -> dict[str, Fraction]:
        """:meth:`reason_rate` for every code that occurs; empty with no possible sessions."""
        possible = self.possible_sessions
        return {code: Fraction(n, possible) for code, n in self.code_counts} if possible else {}

    # -- persistent and severe absence ------------------------------------------------------
    @property
    def persistent_absence(self) -> bool:
        """Overall absence is 10% (or the policy's line) or more of these possible sessions.

        Decided exactly on integers. For one enrolment this is DfE's persistent-absence flag.
        For a pooled group it tests the pooled sessions; the group's persistent absence rate
        is :attr:`persistent_absence_rate` instead.
        """
        return self.thresholds.is_persistent(self.overall_absence, self.possible_sessions)

    @property
    def severe_absence(self) -> bool:
        """Overall absence is 50% or more of these possible sessions (exact, on integers), or
        the policy's line and boundary."""
        return self.thresholds.is_severe(self.overall_absence, self.possible_sessions)

    @property
    def persistent_absence_rate(self) -> Fraction | None:
        """Persistently absent enrolments over enrolments with possible sessions."""
        return _rate(self.persistent_absentees, self.enrolments)

    @property
    def severe_absence_rate(self) -> Fraction | None:
        """Severely absent enrolments over enrolments with possible sessions."""
        return _rate(self.severe_absentees, self.enrolments)


def _lookup_in(
    sets: Sequence[CodeSet], code: str | AttendanceCode, resolve: ResolveCode | None = None
) -> AttendanceCode:
    if isinstance(code, AttendanceCode):
        return code
    for code_set in sets:
        if code in code_set:
            return code_set[code]
    if resolve is not None and sets:
        return resolve(code, sets[0])
    raise UnknownCodeError(
        code, " + ".join(s.id for s in sets), sets[0].suggest(code) if sets else ()
    )


def _as_mark(mark: MarkLike) -> Mark:
    if isinstance(mark, Mark):
        return mark
    if not isinstance(mark, tuple) or len(mark) not in (3, 4):
        raise InputError(
            "not a mark", value=mark, expected="a Mark or (date, 'AM'|'PM', code[, minutes_late])"
        )
    minutes = mark[3] if len(mark) == 4 else None
    return Mark(Session(parse_date(mark[0]), mark[1]), mark[2], minutes)


def summarise_marks(
    marks: Iterable[MarkLike],
    *,
    code_set: CodeSetLike | None = None,
    policy: Policy | None = None,
    resolve: ResolveCode | None = None,
) -> AttendanceSummary:
    """Summarise one enrolment's marks.

    Each mark's code is read with the statutory set in force on its date, or with
    ``code_set`` when given (else a built-in set the policy's ``codes.code_set`` names). A code
    outside the set goes to ``resolve`` (the policy's local codes, then its plugins; see
    :func:`attendance_core.summarise`), and is unknown without it. Two marks for one session are
    an error, never a silent choice. The persistent and severe flags use ``policy``'s
    ``thresholds`` and ``method.severe_absence_boundary``.
    """
    if code_set is None and policy is not None and policy.codes.code_set != "auto":
        code_set = policy.codes.code_set
    forced = get_code_set(code_set) if code_set is not None else None
    seen: set[Session] = set()
    counts: Counter[AttendanceCode] = Counter()
    minutes = 0
    for raw in marks:
        mark = _as_mark(raw)
        if mark.session in seen:
            raise InputError(
                "two marks for the same session", field="session", value=str(mark.session)
            )
        seen.add(mark.session)
        in_force = forced or code_set_for_date(mark.session.date)
        if resolve is None or mark.code in in_force:
            code = in_force.lookup(mark.code)
        else:
            code = resolve(mark.code, in_force)
        counts[code] += 1
        if mark.minutes_late:
            check_minutes_late(code, mark.minutes_late)
            minutes += mark.minutes_late
    thresholds = AbsenceThresholds.from_policy(policy)
    return AttendanceSummary.of_enrolment(
        counts.items(), minutes_late=minutes, thresholds=thresholds
    )


def register_summaries(
    register: Register, *, policy: Policy | None = None, engine: CountingEngine = "auto"
) -> dict[str, AttendanceSummary]:
    """One summary per enrolment, in register order.

    Equal to :meth:`AttendanceSummary.of_enrolment` of each row's code counts, computed
    with one ``bytes.count`` per alphabet entry and a handful of integer sums per row, or
    (``engine="columnar"``, or ``"auto"`` for a large register when numpy is installed: see
    :mod:`attendance_core.rules.columnar`) for every row at once with numpy; the two give the
    same summaries. Persistent and severe absence use ``policy``'s thresholds and
    severe-absence boundary when given, DfE's otherwise (codes were resolved when the register
    was read).
    """
    from attendance_core.rules.columnar import use_columnar

    thresholds = AbsenceThresholds.from_policy(policy)
    late_minutes: dict[int, int] = {}
    for (row_index, _col), minutes in register.minutes_late.items():
        late_minutes[row_index] = late_minutes.get(row_index, 0) + minutes
    if use_columnar(register, engine):
        return _columnar_summaries(register, thresholds, late_minutes)
    is_persistent, is_severe = thresholds.is_persistent, thresholds.is_severe
    values = range(1, len(register.alphabet) + 1)
    slot = {category: n for n, category in enumerate(Category)}
    where = [(slot[code.category], code.is_late, code.code) for code in register.alphabet]
    absent = (slot[Category.AUTHORISED_ABSENCE], slot[Category.UNAUTHORISED_ABSENCE])
    uncounted = slot[Category.NOT_COUNTED]
    result: dict[str, AttendanceSummary] = {}
    for index, (pupil_id, row) in enumerate(zip(register.pupil_ids, register.rows, strict=True)):
        by_slot = [0] * len(slot)
        by_code: dict[str, int] = {}
        late = 0
        for (n, is_late, code), count in zip(where, map(row.count, values), strict=True):
            if count:
                by_slot[n] += count
                by_code[code] = by_code.get(code, 0) + count
                if is_late:
                    late += count
        absence = by_slot[absent[0]] + by_slot[absent[1]]
        possible = sum(by_slot) - by_slot[uncounted]
        result[pupil_id] = AttendanceSummary(
            present_sessions=by_slot[slot[Category.PRESENT]],
            approved_educational_activity=by_slot[slot[Category.APPROVED_EDUCATIONAL_ACTIVITY]],
            authorised_absence=by_slot[absent[0]],
            unauthorised_absence=by_slot[absent[1]],
            not_counted_sessions=by_slot[uncounted],
            late_sessions=late,
            minutes_late=late_minutes.get(index, 0),
            code_counts=by_code,
            enrolments=1 if possible else 0,
            enrolments_without_possible=0 if possible else 1,
            persistent_absentees=int(is_persistent(absence, possible)),
            severe_absentees=int(is_severe(absence, possible)),
            thresholds=thresholds,
        )
    return result


def _columnar_summaries(
    register: Register, thresholds: AbsenceThresholds, late_minutes: Mapping[int, int]
) -> dict[str, AttendanceSummary]:
    """:func:`register_summaries` counted for every row at once with numpy."""
    import numpy as np

    from attendance_core.rules.columnar import category_columns, counts_by_code

    counts = counts_by_code(register)
    columns = category_columns(register)
    by_category = {c: counts @ columns[c] for c in Category}
    present = by_category[Category.PRESENT]
    aea = by_category[Category.APPROVED_EDUCATIONAL_ACTIVITY]
    authorised = by_category[Category.AUTHORISED_ABSENCE]
    unauthorised = by_category[Category.UNAUTHORISED_ABSENCE]
    absence = authorised + unauthorised
    possible = present + aea + absence
    persistent = (possible > 0) & (absence * 100 >= possible * thresholds.persistent_absence)
    if thresholds.severe_absence_boundary == "more_than":
        severe = (possible > 0) & (absence * 100 > possible * thresholds.severe_absence)
    else:
        severe = (possible > 0) & (absence * 100 >= possible * thresholds.severe_absence)
    # Sessions by statutory code: alphabet entries written differently (I01, I) add up.
    names = sorted({code.code for code in register.alphabet})
    merge = np.zeros((counts.shape[1], len(names)), dtype=np.int64)
    for v, code in enumerate(register.alphabet, start=1):
        merge[v, names.index(code.code)] = 1
    by_code = (counts @ merge).tolist()
    figures = zip(
        present.tolist(),
        aea.tolist(),
        authorised.tolist(),
        unauthorised.tolist(),
        by_category[Category.NOT_COUNTED].tolist(),
        (counts @ columns["late"]).tolist(),
        (possible > 0).tolist(),
        persistent.tolist(),
        severe.tolist(),
        strict=True,
    )
    result: dict[str, AttendanceSummary] = {}
    for index, (pupil_id, row, numbers) in enumerate(
        zip(register.pupil_ids, by_code, figures, strict=True)
    ):
        p, a, au, un, nc, late, has_possible, pa, sa = numbers
        result[pupil_id] = AttendanceSummary(
            present_sessions=p,
            approved_educational_activity=a,
            authorised_absence=au,
            unauthorised_absence=un,
            not_counted_sessions=nc,
            late_sessions=late,
            minutes_late=late_minutes.get(index, 0),
            code_counts=[(name, n) for name, n in zip(names, row, strict=True) if n],
            enrolments=int(has_possible),
            enrolments_without_possible=int(not has_possible),
            persistent_absentees=int(pa),
            severe_absentees=int(sa),
            thresholds=thresholds,
        )
    return result


def register_summary(register: Register, *, policy: Policy | None = None) -> AttendanceSummary:
    """The whole register pooled, as DfE pools a school (flags at ``policy``'s lines)."""
    return AttendanceSummary.pool(register_summaries(register, policy=policy).values())
