"""Attendance codes and code sets as frozen data.

A code's statistical meaning is what every calculation needs; it is data here, never a
branch in a rule. Categories were checked against DfE's own published daily attendance
data (every row balances), not against vendor tables, some of which are wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections.abc import Iterator

import attrs

from attendance_core.exceptions import UnknownCodeError

__all__ = ["AgeRule", "AttendanceCode", "Category", "CodeSet", "Lateness"]


class Category(enum.Enum):
    """DfE statistical category of a code.

    Source: DfE "Pupil absence in schools in England" methodology, and the reason columns of
    DfE's attendance data dashboard, where present + AEA + authorised + unauthorised equals
    possible sessions in every row.
    """

    PRESENT = "present"
    APPROVED_EDUCATIONAL_ACTIVITY = "approved_educational_activity"
    AUTHORISED_ABSENCE = "authorised_absence"
    UNAUTHORISED_ABSENCE = "unauthorised_absence"
    NOT_COUNTED = "not_counted"

    @property
    def is_possible(self) -> bool:
        """Whether a session in this category is a possible session (in the denominator)."""
        return self is not Category.NOT_COUNTED

    @property
    def is_attended(self) -> bool:
        """Whether it counts towards overall attendance (present or approved activity)."""
        return self in (Category.PRESENT, Category.APPROVED_EDUCATIONAL_ACTIVITY)

    @property
    def is_absence(self) -> bool:
        """Whether it counts towards overall absence (authorised or unauthorised)."""
        return self in (Category.AUTHORISED_ABSENCE, Category.UNAUTHORISED_ABSENCE)


class Lateness(enum.Enum):
    """Whether a code records a late arrival; DfE's ``late_sessions`` is L plus U."""

    NOT_LATE = "not_late"
    BEFORE_REGISTER_CLOSED = "before_register_closed"
    AFTER_REGISTER_CLOSED = "after_register_closed"


class AgeRule(enum.Enum):
    """Who a code may be used for (X only outside compulsory school age, C2 only inside it)."""

    ANY = "any"
    COMPULSORY_SCHOOL_AGE = "compulsory_school_age"
    NOT_COMPULSORY_SCHOOL_AGE = "not_compulsory_school_age"


@attrs.frozen
class AttendanceCode:
    """One register code and every fact a rule needs about it."""

    code: str
    meaning: str
    category: Category
    group: str
    """The heading the regulations or guidance place it under, e.g. "Leave of absence"."""
    lateness: Lateness = Lateness.NOT_LATE
    age_rule: AgeRule = AgeRule.ANY
    code_set: str = ""
    """Id of the code set this code belongs to."""

    @property
    def is_possible(self) -> bool:
        """Whether a session with this code is a possible session."""
        return self.category.is_possible

    @property
    def is_attended(self) -> bool:
        """Whether it counts as attended (present, late before close, or approved activity)."""
        return self.category.is_attended

    @property
    def is_absence(self) -> bool:
        """Whether it counts as an absence (authorised or unauthorised)."""
        return self.category.is_absence

    @property
    def is_late(self) -> bool:
        """Whether DfE counts it in ``late_sessions`` (L and U)."""
        return self.lateness is not Lateness.NOT_LATE


@attrs.frozen
class CodeSet:
    """A complete, dated set of register codes with its legal source.

    Look codes up with :meth:`lookup` (or ``code_set["I"]``): surrounding whitespace is ignored,
    anything else is exact, and an unknown code raises :class:`UnknownCodeError` with the
    nearest valid codes.
    """

    id: str
    name: str
    source: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    codes: tuple[AttendanceCode, ...] = attrs.field(repr=False)
    withdrawn: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(default=(), repr=False)
    """Codes of an earlier set that are no longer valid here, with what replaced them."""
    _by_code: dict[str, AttendanceCode] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, AttendanceCode] = {}
        for code in self.codes:
            if code.code in by_code:
                raise ValueError(f"code set {self.id!r} defines {code.code!r} twice")
            by_code[code.code] = attrs.evolve(code, code_set=self.id)
        object.__setattr__(self, "_by_code", by_code)

    def lookup(self, code: str) -> AttendanceCode:
        """Return the code, ignoring surrounding whitespace; raise UnknownCodeError otherwise."""
        found = self._by_code.get(code) or self._by_code.get(code.strip())
        if found is None:
            raise UnknownCodeError(code, self.id, self.suggest(code))
        return found

    def suggest(self, code: str, limit: int = 3) -> tuple[str, ...]:
        """The nearest valid codes to ``code``: same letters in another case first."""
        wanted = code.strip()
        replaced = dict(self.withdrawn).get(wanted.upper(), ())
        exact_case = [c for c in self._by_code if c.casefold() == wanted.casefold()]
        prefixed = [c for c in self._by_code if wanted and c.startswith(wanted.upper()[:1])]
        close = difflib.get_close_matches(wanted.upper(), list(self._by_code), n=limit, cutoff=0.5)
        ordered = dict.fromkeys([*exact_case, *replaced, *close, *prefixed])
        return tuple(ordered)[:limit]

    def __getitem__(self, code: str) -> AttendanceCode:
        return self.lookup(code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._by_code

    def __iter__(self) -> Iterator[AttendanceCode]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the set was the statutory one on ``day``."""
        after_start = self.valid_from is None or day >= self.valid_from
        before_end = self.valid_to is None or day <= self.valid_to
        return after_start and before_end
