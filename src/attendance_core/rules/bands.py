"""Attendance bands and the watch list, year to date as of a date.

Source: local practice. DfE sets no bands; "Working together to improve school attendance"
(WTISA 2024) expects schools to monitor attendance and act early for pupils at risk of
persistent absence, and 90% attendance is the complement of DfE's 10% persistent-absence line.
Bands and the watch line come from the policy (``bands.bands``, ``bands.watch_list_below``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from attendance_core.policy import Band
from attendance_core.rules._counting import tally, year_to_date
from attendance_core.rules.findings import Finding, PupilRecord, Rule, RuleContext, Severity
from attendance_core.rules.statistics import display_percent

__all__ = [
    "ATTENDANCE_BAND",
    "WATCH_LIST",
    "attendance_band",
    "band_index",
    "reaches",
    "watch_list",
]

SOURCE = (
    "Local practice under DfE 'Working together to improve school attendance' (2024): "
    "monitor attendance and act early"
)


def reaches(attended: int, possible: int, at_least: Fraction) -> bool:
    """``attended / possible >= at_least / 100``, decided on integers (a band's floor, the
    watch line): the one comparison the rules and the officer's report share."""
    at_least = Fraction(at_least)
    return attended * 100 * at_least.denominator >= possible * at_least.numerator


def band_index(attended: int, possible: int, bands: Sequence[Band]) -> int | None:
    """The index of the first band (highest first) whose ``at_least`` the rate reaches."""
    return next((i for i, b in enumerate(bands) if reaches(attended, possible, b.at_least)), None)


def attendance_band(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """The band a pupil's attendance this school year falls in.

    Source: local practice under WTISA 2024 (schools monitor attendance and group pupils for
    support). The pupil is in the first band of ``bands.bands`` (highest first) whose
    ``at_least`` percentage the exact attendance rate reaches; pupils with no possible sessions
    are in no band.
    """
    first, last, columns = year_to_date(record, context)
    counts = tally(record, columns)
    if not counts.possible:
        return []
    bands = context.policy.bands.bands
    index = band_index(counts.attended, counts.possible, bands)
    if index is None:
        return []
    band = bands[index]
    rate = Fraction(counts.attended, counts.possible)
    floor = Fraction(band.at_least) / 100
    upper = f", below {display_percent(Fraction(bands[index - 1].at_least) / 100)}" if index else ""
    return [
        Finding(
            rule="attendance-band",
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.INFO,
            figure=rate,
            threshold=floor,
            evidence=record.evidence(counts.absence_columns()),
            source=SOURCE,
            explanation=(
                f"Attended {counts.attended} of {counts.possible} possible sessions this school "
                f"year ({display_percent(rate)}): band '{band.name}' ({display_percent(floor)} and above{upper})."
            ),
            details={
                "band": band.name,
                "attended_sessions": counts.attended,
                "possible_sessions": counts.possible,
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
    ]


def watch_list(record: PupilRecord, context: RuleContext) -> list[Finding]:
    """Pupils whose attendance this school year is below ``bands.watch_list_below`` percent.

    Source: local practice under WTISA 2024 (meet the families of pupils at risk of persistent
    absence); the default line of 90% is the complement of DfE's 10% persistent-absence line.
    Decided on integers: ``attended * 100 < possible * line``.
    """
    first, last, columns = year_to_date(record, context)
    counts = tally(record, columns)
    line = Fraction(context.policy.bands.watch_list_below)
    if not counts.possible or reaches(counts.attended, counts.possible, line):
        return []
    rate = Fraction(counts.attended, counts.possible)
    return [
        Finding(
            rule="watch-list",
            pupil_id=record.pupil_id,
            as_of=context.as_of,
            severity=Severity.WATCH,
            figure=rate,
            threshold=line / 100,
            evidence=record.evidence(counts.absence_columns()),
            source=SOURCE,
            explanation=(
                f"Attended {counts.attended} of {counts.possible} possible sessions this school "
                f"year ({display_percent(rate)}), below the watch-list line of {display_percent(line / 100)}."
            ),
            details={
                "attended_sessions": counts.attended,
                "possible_sessions": counts.possible,
                "from": first.isoformat(),
                "to": last.isoformat(),
            },
        )
    ]


ATTENDANCE_BAND = Rule(
    "attendance-band",
    "pupil",
    attendance_band,
    SOURCE,
    "The attendance band (by the policy's bands) each pupil is in this school year.",
)
WATCH_LIST = Rule(
    "watch-list",
    "pupil",
    watch_list,
    SOURCE,
    "Pupils whose attendance this school year is below the policy's watch-list line (90%).",
)
