"""Wales's register codes, as data.

Legal source: The Education (Pupil Registration) (Wales) Regulations 2010, SI 2010/1954
(W.187), in force 1 September 2010; the Welsh Government's attendance codes guidance. The
letters have not been revised since 2010 (a consultation on new codes closed on 26 March 2026).

UNCONFIRMED: the letters are believed to match England's list before its 2013 change (so F,
agreed extended family holiday, is still a Welsh code), and each code's statistical category
is believed to match England's old set. That belief is stated once, here: the Welsh set is
England's 2006 set (:data:`attendance_core.codes.ENGLAND_2006`) under its own id, dates and
source, not a reading of the Welsh regulations' own tables. Check it against the regulations
before relying on a figure that depends on one code.
"""

from __future__ import annotations

import datetime as dt

import attrs

from attendance_core.codes import ENGLAND_2006, AttendanceCode, CodeSet

__all__ = ["WALES_2010"]

# England withdrew F in September 2013; Wales did not, so its meaning drops England's note.
_WELSH_MEANINGS = {"F": "Agreed extended family holiday"}


def _welsh(code: AttendanceCode) -> AttendanceCode:
    return attrs.evolve(code, meaning=_WELSH_MEANINGS.get(code.code, code.meaning))


WALES_2010 = CodeSet(
    id="wales-2010",
    name="Wales, 2010 regulations (per-code detail UNCONFIRMED)",
    source="SI 2010/1954 (W.187); letters and categories believed to match England's pre-2013 set",
    valid_from=dt.date(2010, 9, 1),
    valid_to=None,
    codes=tuple(_welsh(code) for code in ENGLAND_2006),
)
"""The Welsh statutory code set; contributed to attendance_core under the id ``"wales-2010"``."""
