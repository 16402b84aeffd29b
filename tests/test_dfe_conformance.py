"""Conformance with DfE's own published attendance figures, row by row.

Data: ``tests/data/dfe/`` holds unchanged copies of DfE's official statistics "Pupil attendance
in schools" as shipped in the public repository ``dfe-analytical-services/attendance-data-dashboard``
(``EES_ytd_data.csv`` at commit 8f4979c: 2025/26 year to date by national, regional and LA level
and phase; ``attendance_data_dashboard.csv`` at commit 84e26e4: daily, weekly and year-to-date
figures for the first week of 2025/26). Crown copyright, Open Government Licence v3.0; the note
of origin is ``tests/data/dfe/README.md``.

From the ``reason_*`` session counts alone, every row must give DfE's published totals exactly
and its published percentages to within 1e-9 (absolute or relative: the dashboard file prints
percentages rounded to nine decimal places or ten significant figures). Each ``reason_*`` column
is read as the code named in :data:`REASON_CODE`; an unmapped column fails the test. DfE's files
carry legacy H, F, J and Y counts, so they are read with the 2024 set first and the 2006 set for
the withdrawn codes.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from attendance_core import AttendanceSummary, UnknownCodeError
from attendance_core.rules.statistics import SESSION_TOTALS

DATA = Path(__file__).parent / "data" / "dfe"
CODE_SETS = ("england-2024", "england-2006")

# Each reason column and the register code whose sessions it counts.
REASON_CODE: dict[str, str] = {
    "reason_present_am": "/",
    "reason_present_pm": "\\",
    "reason_l_present_late_before_registers_closed": "L",
    "reason_i_authorised_illness": "I",
    "reason_m_authorised_medical_dental": "M",
    "reason_r_authorised_religious_observance": "R",
    "reason_s_authorised_study_leave": "S",
    "reason_t_authorised_mobile_child": "T",
    "reason_h_authorised_holiday": "H",  # legacy, 2006 set
    "reason_e_authorised_excluded": "E",
    "reason_c_authorised_other": "C",
    "reason_c1_authorised_regulated_performance": "C1",
    "reason_j1_authorised_interview": "J1",
    "reason_c2_authorised_temp_reduced_timetable": "C2",
    "reason_b_aea_education_off_site": "B",
    "reason_j_aea_interview": "J",  # legacy, 2006 set: approved educational activity
    "reason_p_aea_approved_sporting_activity": "P",
    "reason_v_aea_educational_visit_trip": "V",
    "reason_w_aea_work_experience": "W",
    "reason_k_aea_education_arranged_by_la": "K",
    "reason_g_unauthorised_holiday": "G",
    "reason_u_unauthorised_late_after_registers_closed": "U",
    "reason_o_other_unauthorised": "O",
    "reason_n_no_reason_yet": "N",
    "reason_d_dual_registration": "D",
    "reason_q_la_arrangements": "Q",
    "reason_y_not_attending_enforced_closure": "Y",  # legacy, 2006 set
    "reason_y1_transport_not_provided": "Y1",
    "reason_y2_travel_disruption": "Y2",
    "reason_y3_premises_out_of_use": "Y3",
    "reason_y4_closed_session_cancelled": "Y4",
    "reason_y5_detention_sentence": "Y5",
    "reason_y6_prohibited_infection_disease": "Y6",
    "reason_y7_unavoidable_cause": "Y7",
    "reason_not_attending_planned_closed": "#",
    "reason_z_not_attending_not_on_roll": "Z",
    "reason_f_legacy_family_holiday": "F",  # legacy, 2006 set
}

# Reason columns that are the sum of other reason columns rather than a code of their own.
REASON_TOTAL: dict[str, tuple[str, ...]] = {
    "reason_present": ("reason_present_am", "reason_present_pm"),
}


# Each published percentage column and the rate it is; DfE multiplies by 100.
PERCENTAGE: dict[str, Callable[[AttendanceSummary], Fraction | None]] = {
    "attendance_perc": lambda s: s.attendance_rate,
    "overall_absence_perc": lambda s: s.overall_absence_rate,
    "authorised_absence_perc": lambda s: s.authorised_absence_rate,
    "unauthorised_absence_perc": lambda s: s.unauthorised_absence_rate,
    "illness_perc": lambda s: s.reason_rate("I"),
    "appointments_perc": lambda s: s.reason_rate("M"),
    "auth_religious_perc": lambda s: s.reason_rate("R"),
    "auth_study_perc": lambda s: s.reason_rate("S"),
    "auth_mob_perc": lambda s: s.reason_rate("T"),
    "auth_excluded_perc": lambda s: s.reason_rate("E"),
    "auth_performance_perc": lambda s: s.reason_rate("C1"),
    "auth_interview_perc": lambda s: s.reason_rate("J1"),
    "auth_part_time_perc": lambda s: s.reason_rate("C2"),
    "auth_other_perc": lambda s: s.reason_rate("C"),
    "unauth_hol_perc": lambda s: s.reason_rate("G"),
    "unauth_oth_perc": lambda s: s.reason_rate("O"),
    "unauth_late_registers_closed_perc": lambda s: s.reason_rate("U"),
    "unauth_not_yet_perc": lambda s: s.reason_rate("N"),
}

# Percentages that need pupil-level data, which these aggregate files do not hold.
NOT_DERIVABLE = {"pa_perc"}

LEGACY_F = "reason_f_legacy_family_holiday"
UNPUBLISHED = {"NA", "c"}  # "c": suppressed to protect confidentiality (EES convention)


@attrs.frozen
class DfeRow:
    """One published row, with the summary built from its reason counts (None if unpublished)."""

    line: int
    fields: dict[str, str]
    summary: AttendanceSummary | None
    inferred_f: int = 0
    """Legacy F sessions implied by a file that publishes no F column (see below)."""

    @property
    def where(self) -> str:
        f = self.fields
        place = f["la_name"] or f["region_name"] or f["country_name"]
        return f"line {self.line} ({f['geographic_level']} {place} {f['education_phase']})"


@attrs.frozen
class DfeFile:
    name: str
    header: tuple[str, ...]
    rows: tuple[DfeRow, ...]

    def counted(self) -> list[DfeRow]:
        return [row for row in self.rows if row.summary is not None]


def reason_counts(fields: dict[str, str]) -> dict[str, int]:
    return {REASON_CODE[column]: int(fields[column]) for column in REASON_CODE if column in fields}


def summary_of(fields: dict[str, str]) -> AttendanceSummary:
    return AttendanceSummary.from_counts(reason_counts(fields), code_set=CODE_SETS)


def read(name: str) -> DfeFile:
    """Read one file; where it has no legacy F column, infer F as the possible-sessions gap.

    ``EES_ytd_data.csv`` publishes no ``reason_f_legacy_family_holiday`` column, yet its
    ``possible_sessions`` and ``authorised_absence`` include those sessions. The gap is kept as
    ``inferred_f`` and checked in :func:`test_ees_gap_is_one_authorised_code`: it must be the
    same in possible sessions, authorised absence and overall absence, and nowhere else.
    """
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        rows = []
        for line, fields in enumerate(reader, start=2):
            if fields["possible_sessions"] in UNPUBLISHED:
                rows.append(DfeRow(line, fields, None))
                continue
            gap = 0
            if LEGACY_F not in fields:
                gap = int(fields["possible_sessions"]) - summary_of(fields).possible_sessions
            counts = {**reason_counts(fields), "F": gap} if gap else reason_counts(fields)
            summary = AttendanceSummary.from_counts(counts, code_set=CODE_SETS)
            rows.append(DfeRow(line, fields, summary, gap))
    return DfeFile(name, header, tuple(rows))


@pytest.fixture(scope="module")
def ees() -> DfeFile:
    return read("EES_ytd_data.csv")


@pytest.fixture(scope="module")
def dashboard() -> DfeFile:
    return read("attendance_data_dashboard.csv")


@pytest.fixture(params=["ees", "dashboard"])
def dfe(request: pytest.FixtureRequest) -> DfeFile:
    """Each published file in turn (read once per module)."""
    file: DfeFile = request.getfixturevalue(request.param)
    return file


def published(text: str) -> Fraction:
    return Fraction(Decimal(text))


def close_to(rate: Fraction, text: str) -> bool:
    """``rate * 100`` equals the published percentage to 1e-9, absolute or relative."""
    percent, shown = rate * 100, published(text)
    tolerance = max(Fraction(1, 10**9), abs(shown) / 10**9)
    return abs(percent - shown) <= tolerance


# -- the files are what we think they are ------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "rows", "unpublished"),
    [("ees", 647, 4), ("dashboard", 4529, 49)],
)
def test_row_counts(
    request: pytest.FixtureRequest, fixture: str, rows: int, unpublished: int
) -> None:
    file: DfeFile = request.getfixturevalue(fixture)
    assert len(file.rows) == rows
    assert len(file.rows) - len(file.counted()) == unpublished


def test_every_reason_column_is_mapped(dfe: DfeFile) -> None:
    reason_columns = {c for c in dfe.header if c.startswith("reason_")}
    unmapped = reason_columns - set(REASON_CODE) - set(REASON_TOTAL)
    assert not unmapped, f"{dfe.name}: reason columns with no code in REASON_CODE: {unmapped}"


def test_every_session_total_is_reproduced(dfe: DfeFile) -> None:
    """Each column named as a summary attribute is a total checked below, and no other is;
    DfE's ``enrolments`` (pupils on roll) is not derivable from reason counts."""
    named = {c for c in dfe.header if hasattr(AttendanceSummary, c)} - {"enrolments"}
    assert named == set(SESSION_TOTALS), dfe.name


def test_every_percentage_column_is_checked(dfe: DfeFile) -> None:
    perc_columns = {c for c in dfe.header if c.endswith("_perc")}
    unmapped = perc_columns - set(PERCENTAGE) - NOT_DERIVABLE
    assert not unmapped, f"{dfe.name}: percentage columns not checked: {unmapped}"


def test_rows_without_possible_sessions_carry_no_counts(dfe: DfeFile) -> None:
    """A row with no published possible sessions publishes no count or percentage either."""
    derived = [*SESSION_TOTALS, *REASON_CODE, *REASON_TOTAL, *PERCENTAGE]
    for row in dfe.rows:
        present = {c: row.fields[c] for c in derived if c in row.fields}
        if row.summary is None:
            assert set(present.values()) <= UNPUBLISHED, row.where
        else:
            assert not set(present.values()) & UNPUBLISHED, row.where
            for column in REASON_CODE.keys() & present.keys():
                assert int(present[column]) >= 0, (row.where, column)


def test_reason_totals_are_sums_of_their_parts(dfe: DfeFile) -> None:
    for row in dfe.counted():
        for total, parts in REASON_TOTAL.items():
            assert int(row.fields[total]) == sum(int(row.fields[p]) for p in parts), row.where


# -- the figures ------------------------------------------------------------------------------


def test_session_totals_reproduced_exactly(dfe: DfeFile) -> None:
    for row in dfe.counted():
        assert row.summary is not None
        ours = {name: getattr(row.summary, name) for name in SESSION_TOTALS}
        theirs = {name: int(row.fields[name]) for name in SESSION_TOTALS}
        assert ours == theirs, row.where


def test_percentages_reproduced(dfe: DfeFile) -> None:
    for row in dfe.counted():
        assert row.summary is not None
        for column, rate_of in PERCENTAGE.items():
            rate = rate_of(row.summary)
            assert rate is not None, row.where
            assert close_to(rate, row.fields[column]), (row.where, column, float(rate * 100))


def test_dashboard_needs_no_inference(dashboard: DfeFile) -> None:
    """The dashboard file publishes every code, so its totals come from reason counts alone."""
    assert LEGACY_F in dashboard.header
    assert all(row.inferred_f == 0 for row in dashboard.rows)
    # Legacy F does occur: 118 rows balance only because F is counted as authorised absence.
    assert sum(1 for row in dashboard.counted() if int(row.fields[LEGACY_F])) == 118


def test_ees_gap_is_one_authorised_code(ees: DfeFile) -> None:
    """EES omits the legacy F column; the gap is one authorised code and touches nothing else.

    Built from the published reason columns alone, present, AEA, overall attendance,
    unauthorised absence and late sessions match DfE exactly in every row; possible sessions,
    authorised absence and overall absence fall short by the same non-negative number.
    """
    short_rows = 0
    for row in ees.counted():
        alone = summary_of(row.fields)
        shortfall = {name: int(row.fields[name]) - getattr(alone, name) for name in SESSION_TOTALS}
        gap = row.inferred_f
        assert gap >= 0, row.where
        assert shortfall == {
            "possible_sessions": gap,
            "present_sessions": 0,
            "approved_educational_activity": 0,
            "overall_attendance": 0,
            "authorised_absence": gap,
            "unauthorised_absence": 0,
            "overall_absence": gap,
            "late_sessions": 0,
        }, row.where
        short_rows += gap > 0
    assert short_rows == 51


@pytest.mark.parametrize(
    ("fixture", "column", "code", "rows"),
    [
        ("dashboard", "reason_h_authorised_holiday", "H", 130),
        ("dashboard", "reason_f_legacy_family_holiday", "F", 118),
        ("dashboard", "reason_y_not_attending_enforced_closure", "Y", 144),
        ("ees", "reason_h_authorised_holiday", "H", 59),
        ("ees", "reason_j_aea_interview", "J", 44),
    ],
)
def test_legacy_codes_occur_and_need_the_2006_set(
    request: pytest.FixtureRequest, fixture: str, column: str, code: str, rows: int
) -> None:
    """Schools still enter withdrawn codes, so DfE publishes them; only the 2006 set reads them."""
    file: DfeFile = request.getfixturevalue(fixture)
    with_code = [row for row in file.counted() if int(row.fields[column])]
    assert len(with_code) == rows
    for row in with_code:
        assert row.summary is not None
        assert row.summary.sessions_by_code[code] == int(row.fields[column])
    with pytest.raises(UnknownCodeError, match=repr(code)):
        AttendanceSummary.from_counts({code: 1}, code_set="england-2024")


# -- pooling ------------------------------------------------------------------------------------

Key = tuple[str, ...]


def counts(summary: AttendanceSummary) -> tuple[object, ...]:
    """Everything a pooled summary must share with DfE's aggregate row (not enrolment tallies)."""
    return (*(getattr(summary, name) for name in SESSION_TOTALS), summary.code_counts)


def pooled_groups(
    file: DfeFile,
    part_key: Callable[[DfeRow], Key | None],
    whole_key: Callable[[DfeRow], Key | None],
) -> tuple[int, int]:
    """Pool the parts of each whole; return (wholes checked, wholes skipped for suppression)."""
    parts: dict[Key, list[DfeRow]] = defaultdict(list)
    for row in file.rows:
        key = part_key(row)
        if key is not None:
            parts[key].append(row)
    checked = skipped = 0
    for whole in file.rows:
        key = whole_key(whole)
        members = parts.get(key, []) if key is not None else []
        if whole.summary is None or not members or any(m.summary is None for m in members):
            skipped += bool(members)
            continue
        summaries = [m.summary for m in members if m.summary is not None]
        pooled = sum(summaries, AttendanceSummary())
        assert counts(pooled) == counts(whole.summary), whole.where
        assert pooled.enrolments == len(members)
        assert pooled.attendance_rate is not None
        assert close_to(pooled.attendance_rate, whole.fields["attendance_perc"]), whole.where
        checked += 1
    return checked, skipped


def level(name: str, *fields: str) -> Callable[[DfeRow], Key | None]:
    def key(row: DfeRow) -> Key | None:
        if row.fields["geographic_level"] != name:
            return None
        return tuple(row.fields[f] for f in fields)

    return key


def fields_of(*fields: str) -> Callable[[DfeRow], Key]:
    return lambda row: tuple(row.fields[f] for f in fields)


def phase_part(*fields: str) -> Callable[[DfeRow], Key | None]:
    def key(row: DfeRow) -> Key | None:
        if row.fields["education_phase"] == "Total":
            return None
        return (*(row.fields[f] for f in fields), "Total")

    return key


DAY = ("breakdown", "attendance_date", "education_phase")
AREA = ("geographic_level", "region_code", "new_la_code")


@pytest.mark.parametrize(
    ("parts", "whole", "checked", "skipped"),
    [
        pytest.param(
            level("Regional", *DAY), level("National", *DAY), 28, 0, id="regions-make-england"
        ),
        pytest.param(
            level("Local authority", "region_code", *DAY),
            level("Regional", "region_code", *DAY),
            210,
            42,
            id="las-make-their-region",
        ),
        pytest.param(
            phase_part(*AREA, "breakdown", "attendance_date"),
            fields_of(*AREA, "breakdown", "attendance_date", "education_phase"),
            1106,
            35,
            id="phases-make-the-total",
        ),
    ],
)
def test_dashboard_pooling(
    dashboard: DfeFile,
    parts: Callable[[DfeRow], Key | None],
    whole: Callable[[DfeRow], Key | None],
    checked: int,
    skipped: int,
) -> None:
    """Summing the summaries of parts gives DfE's figures for the whole, wherever none is suppressed."""
    assert pooled_groups(dashboard, parts, whole) == (checked, skipped)


def test_dashboard_days_make_the_week(dashboard: DfeFile) -> None:
    """The five daily rows of each area and phase pool to its weekly row and, in the first
    week of the year, to its year-to-date row."""

    def daily_into(breakdown: str) -> Callable[[DfeRow], Key | None]:
        def key(row: DfeRow) -> Key | None:
            if row.fields["breakdown"] != "Daily":
                return None
            return (*(row.fields[f] for f in AREA), row.fields["education_phase"], breakdown)

        return key

    whole = fields_of(*AREA, "education_phase", "breakdown")
    assert pooled_groups(dashboard, daily_into("Weekly"), whole) == (640, 7)
    assert pooled_groups(dashboard, daily_into("YTD"), whole) == (640, 7)


def test_ees_phases_make_the_total(ees: DfeFile) -> None:
    """EES's geographic rows do not add up, so they are not pooled: its regions' sessions exceed
    England's in every phase, and in three regions (North East, East Midlands, South East) the
    LA rows exceed the region's. Its phases do make each area's total."""
    assert pooled_groups(ees, phase_part(*AREA), fields_of(*AREA, "education_phase")) == (161, 2)
