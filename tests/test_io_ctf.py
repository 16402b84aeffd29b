"""CTF attendance: the reader's worked example, its refusals, the round trip and the writer."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance_core.codes import ENGLAND_2006, ENGLAND_2024, code_set_for_date
from attendance_core.exceptions import InputError
from attendance_core.io.ctf import (
    AttendSessions,
    CtfFile,
    CtfHeader,
    CtfPupil,
    YearData,
    ctf_register,
    format_ctf,
    is_upn,
    marks_string,
    parse_ctf,
    read_ctf,
    session_marks,
)
from attendance_core.io.pupils import upn_check_letter
from attendance_core.model import Part, Session
from attendance_core.policy import Policy
from attendance_core.rules.statistics import register_summaries

EXAMPLE = Path(__file__).parent.parent / "docs/examples/ctf/820aaaa_CTF_820bbbb_001.xml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def _ctf(marks: str, *, start: str = "2025-09-08", year: int = 2025, version: str = "25.0") -> str:
    return f"""<CTfile><Header><CTFversion>{version}</CTFversion></Header><CTFpupilData>
    <Pupil><UPN>G820200125001</UPN><Surname>Secretname</Surname><DOB>2015-03-14</DOB>
    <Attendance><YearData><Year>{year}</Year><AttendSessions>
    <AttendanceStartDate>{start}</AttendanceStartDate><AttendanceMarks>{marks}</AttendanceMarks>
    </AttendSessions></YearData></Attendance></Pupil></CTFpupilData></CTfile>"""


def _error(text: str) -> str:
    with pytest.raises(InputError) as caught:
        ctf_register(parse_ctf(text, file="in.xml"))
    return str(caught.value)


# -- the worked example ----------------------------------------------------------------------


def test_the_example_file_reads_identity_totals_and_marks() -> None:
    ctf = read_ctf(EXAMPLE)
    assert ctf.header.version == "25.0"
    assert (ctf.header.source_lea, ctf.header.dest_estab) == ("820", "2002")
    first, second = ctf.pupils
    assert (first.upn, first.surname, first.forename) == ("G820200125001", "Example", "Alex")
    assert first.date_of_birth == dt.date(2015, 3, 14)
    assert (first.sex, first.sex_element) == ("F", "Sex")
    year = first.attendance[0]
    assert (year.year, year.lea, year.estab, year.school_name) == (
        2025,
        "820",
        "2001",
        "Example Primary School",
    )
    totals = (
        year.sessions_possible,
        year.sessions_authorised,
        year.sessions_attended,
        year.sessions_unauthorised,
    )
    assert totals == (10, 2, 7, 1)
    assert year.sessions == AttendSessions(dt.date(2025, 9, 8), "/\\/\\IIL\\/O####")
    assert second.attendance[0].sessions is None


def test_the_register_is_keyed_by_upn_and_its_figures_match_the_totals() -> None:
    ctf = read_ctf(EXAMPLE)
    register = ctf_register(ctf)
    assert register.pupil_ids == ("G820200125001", "W820200125002")
    marks = list(register.marks("G820200125001"))
    assert [(str(m.session), m.code) for m in marks[4:7]] == [
        ("2025-09-10 AM", "I"),
        ("2025-09-10 PM", "I"),
        ("2025-09-11 AM", "L"),
    ]
    assert max(m.session for m in marks) == Session("2025-09-12", "PM")  # weekend: no marks
    summary = register_summaries(register)["G820200125001"]
    year = ctf.pupils[0].attendance[0]
    assert summary.possible_sessions == year.sessions_possible
    assert summary.authorised_absence == year.sessions_authorised
    assert summary.unauthorised_absence == year.sessions_unauthorised
    assert summary.overall_attendance == year.sessions_attended


def test_a_file_in_the_written_form_writes_back_byte_for_byte() -> None:
    assert format_ctf(read_ctf(EXAMPLE)) == TEXT


def test_names_and_dates_of_birth_stay_out_of_repr() -> None:
    shown = repr(read_ctf(EXAMPLE))
    assert "Example" not in shown.replace("Example Primary School", "")
    assert "2015" not in shown


def test_element_names_and_version_element_match_case_insensitively() -> None:
    text = TEXT.replace("CTFversion", "CTFVersion").replace("<Sex>F</Sex>", "<Gender>F</Gender>")
    ctf = parse_ctf(text)
    assert ctf.header.version == "25.0"
    assert (ctf.pupils[0].sex, ctf.pupils[0].sex_element) == ("F", "Gender")
    assert "<Gender>F</Gender>" in format_ctf(ctf)  # written back as it was read


@pytest.mark.parametrize("version", ["15.0", "20", "24.0", "26.0"])
def test_versions_15_to_26_are_read(version: str) -> None:
    assert parse_ctf(_ctf("/\\", version=version)).header.version == version


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<!DOCTYPE CTfile [<!ENTITY x "y">]><CTfile>&x;</CTfile>',
        '<!DOCTYPE CTfile SYSTEM "http://example.org/ctf.dtd"><CTfile/>',
        '<!DOCTYPE CTfile [<!ENTITY x SYSTEM "file:///etc/passwd">]><CTfile>&x;</CTfile>',
        "<!DOCTYPE CTfile><CTfile/>",
    ],
    ids=["entity", "external-dtd", "external-entity", "doctype"],
)
def test_dtds_entities_and_external_references_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="refused") as caught:
        parse_ctf(text, file="evil.xml")
    assert "evil.xml" in str(caught.value)
    assert "passwd" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<CTfile><Header>", "not well-formed"),
        ("<ATfile/>", "not a Common Transfer File"),
        ("<CTfile/>", "CTfile/Header"),
        (_ctf("/\\", version="14.0"), "not a supported CTF version"),
        (_ctf("/\\", version="27.0"), "not a supported CTF version"),
        (_ctf("/\\", version="twenty"), "not a supported CTF version"),
        (_ctf("/\\/"), "odd length"),
        (_ctf("/\\" * 400), "runs past the end of its academic year"),
        (_ctf("/\\", start="2025-07-31"), "start date outside its academic year"),
        (_ctf("/\\", start="08/09/2025"), "AttendanceStartDate"),
        (_ctf("/%"), "no attendance code"),
        (_ctf("/\\", year=1900), "Year"),
    ],
)
def test_bad_files_are_refused_naming_file_and_element(text: str, expected: str) -> None:
    message = _error(text)
    assert message.startswith("in.xml:")
    assert expected in message
    assert "Secretname" not in message
    assert "2015-03-14" not in message


def test_an_unknown_character_is_named_with_its_date_session_and_element_path() -> None:
    message = _error(_ctf("/\\/%"))
    assert "CTfile/CTFpupilData/Pupil[1]/Attendance/YearData[1]/AttendSessions" in message
    assert "2025-09-09 PM" in message
    assert "'%'" in message


@pytest.mark.parametrize(
    ("element", "value", "expected"),
    [
        ("SessionsPossible", "-1", "from 0 to 732"),
        ("SessionsPossible", "733", "from 0 to 732"),
        ("SessionsAttended", "1e3", "whole number"),
        ("SessionsAuthorised", "٣", "whole number"),  # an Arabic-Indic digit
    ],
)
def test_session_totals_are_range_checked(element: str, value: str, expected: str) -> None:
    text = _ctf("/\\").replace("<Year>", f"<{element}>{value}</{element}><Year>")
    message = _error(text)
    assert f"YearData[1]/{element}" in message
    assert expected in message


def test_a_long_value_is_cut_short_in_the_message() -> None:
    message = _error(_ctf("/\\", version="1" * 500))
    assert "1" * 41 not in message
    assert "..." in message


def test_a_bad_upn_a_repeated_upn_and_both_gender_and_sex_are_refused() -> None:
    assert "not a UPN" in _error(_ctf("/\\").replace("G820200125001", "A820200125001"))
    two = TEXT.replace("W820200125002", "G820200125001")
    assert "UPN given for two pupils" in _error(two)
    both = TEXT.replace("<Sex>F</Sex>", "<Sex>F</Sex><Gender>F</Gender>")
    assert "both Gender and Sex" in _error(both)


def test_a_bad_date_of_birth_is_quoted_since_it_is_the_problem() -> None:
    message = _error(_ctf("/\\").replace("2015-03-14", "14/03/2015"))
    assert "DOB" in message
    assert "14/03/2015" in message


def test_a_file_too_large_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import attendance_core.io.ctf as ctf

    path = tmp_path / "big.xml"
    path.write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(ctf, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="file too large"):
        ctf.read_ctf(path)


# -- the open points: filler, unmarked, two-character codes ---------------------------------


def test_filler_and_unmarked_sessions_give_no_mark_never_present() -> None:
    marks = list(session_marks(AttendSessions(dt.date(2025, 9, 8), "/-#\\")))
    assert [(str(m.session), m.code) for m, _ in marks] == [
        ("2025-09-08 AM", "/"),
        ("2025-09-09 PM", "\\"),
    ]


def test_a_character_standing_for_one_code_reads_as_it_and_several_is_refused() -> None:
    (j,) = session_marks(AttendSessions(dt.date(2025, 9, 8), "J#"))
    assert (j[0].code, j[1].code, j[1].code_set) == ("J", "J1", ENGLAND_2024.id)
    (old,) = session_marks(AttendSessions(dt.date(2023, 9, 8), "J#"))  # 2006 J: approved activity
    assert (old[1].code, old[1].code_set) == ("J", ENGLAND_2006.id)
    message = _error(_ctf("Y#"))
    assert "stands for 7 codes (Y1, Y2, Y3, Y4, Y5, Y6, Y7)" in message


def test_the_policy_chooses_the_characters() -> None:
    policy = Policy.from_mapping(
        {"ctf": {"non_school_day": "-", "no_mark": "?", "code_characters": {"C2": "P"}}}
    )
    assert [
        c.code for _, c in session_marks(AttendSessions(dt.date(2025, 9, 8), "-?"), policy=policy)
    ] == []
    code = {Session("2025-09-08", "AM"): ENGLAND_2024["C2"]}
    text = marks_string(
        code,
        dt.date(2025, 9, 8),
        dt.date(2025, 9, 8),
        is_school_session=lambda s: True,
        policy=policy,
    )
    assert text == "P?"
    with pytest.raises(InputError, match="no CTF character"):
        marks_string(
            {Session("2025-09-08", "AM"): ENGLAND_2024["Y4"]},
            dt.date(2025, 9, 8),
            dt.date(2025, 9, 8),
            is_school_session=lambda s: True,
            policy=policy,
        )
    with pytest.raises(InputError, match="not one character"):
        marks_string(
            {},
            dt.date(2025, 9, 8),
            dt.date(2025, 9, 8),
            is_school_session=lambda s: True,
            policy=Policy.from_mapping({"ctf": {"no_mark": "--"}}),
        )


def test_a_character_xml_cannot_hold_is_refused_by_the_writer() -> None:
    pupil = CtfPupil("G820200125001", surname="Bad\x01name")
    with pytest.raises(InputError, match="U\\+0001") as caught:
        format_ctf(CtfFile(CtfHeader("25.0"), (pupil,)))
    assert "Bad" not in str(caught.value)


def test_is_upn_checks_the_check_letter() -> None:
    assert is_upn("G820200125001")
    assert not is_upn("A820200125001")
    assert not is_upn("G82020012500")


# -- properties ------------------------------------------------------------------------------

_PLAIN = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cn", "Cs", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)
_ONE_CHAR = sorted(
    {c.code for c in [*ENGLAND_2024.codes, *ENGLAND_2006.codes] if len(c.code) == 1} - {"#"}
)


def _upns() -> st.SearchStrategy[str]:
    def upn(rest: str) -> str:
        return upn_check_letter("X" + rest) + rest

    return st.from_regex(r"[0-9]{12}", fullmatch=True).map(upn)


@st.composite
def _sessions(draw: st.DrawFn, year: int) -> AttendSessions:
    first = dt.date(year, 8, 1)
    start = first + dt.timedelta(days=draw(st.integers(0, 364)))
    room = (dt.date(year + 1, 7, 31) - start).days + 1
    days = draw(st.integers(0, min(room, 20)))
    chars: list[str] = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        code_set = code_set_for_date(day)
        usable = [c for c in _ONE_CHAR if c in code_set] + ["#", "-"]
        chars += draw(st.lists(st.sampled_from(usable), min_size=2, max_size=2))
    return AttendSessions(start, "".join(chars))


@st.composite
def _years(draw: st.DrawFn) -> YearData:
    year = draw(st.integers(2020, 2026))
    total = st.none() | st.integers(0, 732)
    return YearData(
        year,
        draw(st.none() | st.from_regex(r"[0-9]{3}", fullmatch=True)),
        draw(st.none() | st.from_regex(r"[0-9]{4}", fullmatch=True)),
        draw(st.none() | _PLAIN),
        draw(total),
        draw(total),
        draw(total),
        draw(total),
        draw(st.none() | _sessions(year)),
    )


@st.composite
def _files(draw: st.DrawFn) -> CtfFile:
    upns = draw(st.lists(_upns(), max_size=3, unique=True))
    pupils = tuple(
        CtfPupil(
            upn,
            draw(st.none() | _PLAIN),
            draw(st.none() | _PLAIN),
            draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2025, 1, 1))),
            draw(st.none() | st.sampled_from(["M", "F"])),
            None,
            tuple(draw(st.lists(_years(), max_size=2))),
        )
        for upn in upns
    )
    version = draw(st.sampled_from(["15.0", "24.0", "25.0", "26.0"]))
    header = CtfHeader(version, draw(st.none() | _PLAIN), None, draw(st.none() | _PLAIN))
    return CtfFile(header, pupils)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files())
def test_what_is_written_reads_back_equal_and_writes_back_unchanged(ctf: CtfFile) -> None:
    text = format_ctf(ctf)
    again = parse_ctf(text)
    assert again == ctf
    assert format_ctf(again) == text


@settings(max_examples=40, deadline=None)
@given(_sessions(2024))
def test_a_marks_string_rebuilt_from_its_register_is_the_same_string(
    sessions: AttendSessions,
) -> None:
    marks = {m.session: code for m, code in session_marks(sessions)}
    chars = {
        Session(sessions.start_date + dt.timedelta(days=i // 2), (Part.AM, Part.PM)[i % 2]): c
        for i, c in enumerate(sessions.marks)
    }
    rebuilt = marks_string(
        marks,
        sessions.start_date,
        sessions.end_date,
        is_school_session=lambda s: chars[s] != "#",
    )
    assert rebuilt == sessions.marks


_FUZZ_ALPHABET = st.sampled_from(list("<>/CTfileHeadrPupUNAtndcYsM&;!\"' =0123456789-\\#"))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_mangled_file_is_read_or_refused_with_an_input_error(data: st.DataObject) -> None:
    text = TEXT
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.text(_FUZZ_ALPHABET, max_size=6))
        text = text[:at] + insert + text[at + cut :]
    try:
        ctf = parse_ctf(text)
        ctf_register(ctf)
    except InputError:
        return
    assert parse_ctf(format_ctf(ctf)) == ctf


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_an_input_error(data: bytes) -> None:
    with contextlib.suppress(InputError):
        assert isinstance(parse_ctf(data), CtfFile)


CALENDAR = Path(__file__).parent.parent / "docs/examples/calendars/kent-example-primary.toml"


def _leaver(codes: list[str], **kwargs: object) -> CtfPupil:
    from attendance_core.calendars import SchoolCalendar
    from attendance_core.io.ctf import leaver_pupil
    from attendance_core.model import Mark
    from attendance_core.register import Register

    sessions = [
        Session(dt.date(2025, 9, 1 + i // 2), (Part.AM, Part.PM)[i % 2]) for i in range(len(codes))
    ]
    register = Register.from_marks(("P", Mark(s, c)) for s, c in zip(sessions, codes, strict=True))
    options: dict[str, object] = {
        "year": 2025,
        "calendar": SchoolCalendar.from_toml(CALENDAR),
        "admission": dt.date(2020, 9, 1),
        "leaving": dt.date(2025, 9, 3),
    }
    options.update(kwargs)
    return leaver_pupil(register, "P", **options)  # type: ignore[arg-type]


def test_a_leavers_sessions_attended_is_dfe_attendance_not_a_count_of_slashes() -> None:
    (year,) = _leaver(["/", "L", "V", "K", "I", "C2"]).attendance
    assert (year.sessions_attended, year.sessions_authorised, year.sessions_unauthorised) == (
        4,
        2,
        0,
    )
    assert year.sessions_possible == 6
    assert year.sessions is not None
    assert year.sessions.marks == "/LVKIC"  # C2 written as C, the default code_characters


def test_a_leavers_unmarked_school_sessions_are_no_mark_and_marks_after_leaving_are_left_out() -> (
    None
):
    (year,) = _leaver(["/", "\\", "/"], leaving=dt.date(2025, 9, 2)).attendance
    assert year.sessions is not None
    assert year.sessions.marks == "/\\/-"  # 2 September PM has no mark
    (later,) = _leaver(
        ["/", "\\", "/", "\\", "/", "\\", "O"], leaving=dt.date(2025, 9, 3)
    ).attendance
    assert later.sessions_unauthorised == 0  # the O on 4 September is after leaving


def test_a_pupil_not_on_roll_in_the_year_is_refused() -> None:
    with pytest.raises(InputError, match="not on roll in the academic year"):
        _leaver(["/"], leaving=dt.date(2025, 7, 18))
    with pytest.raises(InputError, match="academic year out of range"):
        _leaver(["/"], year=12025)
