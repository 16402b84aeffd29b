"""The MIS sub-codes plugin: discovery, the mapping's contract, and the vendor CSV import."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attendance_core_mis_subcodes
from attendance_core import (
    ENGLAND_2006,
    ENGLAND_2024,
    AttendanceCode,
    CodeSet,
    InputError,
    PluginError,
    UnknownCodeError,
    code_set_for_date,
    hookimpl,
    list_plugins,
    make_plugin_manager,
)
from attendance_core.cli import main
from attendance_core.code_resolver import code_resolver
from attendance_core.io.marks_csv import read_marks_csv, write_marks_csv
from attendance_core.plugins import AUTOLOAD_ENV, resolve_code
from attendance_core.policy import Policy
from attendance_core.rules.statistics import register_summary
from attendance_core.testing import ConformanceError, check_plugin
from attendance_core_mis_subcodes import SubcodeMapping, VendorCode, vendor_codes


@pytest.fixture(autouse=True)
def _no_entrypoint_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the discovery test loads installed plugins; it deletes this variable itself."""
    monkeypatch.setenv(AUTOLOAD_ENV, "1")


def _manager(*plugins: object) -> pluggy.PluginManager:
    """Registered in code under the names the entry points give them, as a policy names them."""
    return make_plugin_manager(
        load_entrypoints=False,
        plugins={
            "mis_subcodes" if p is attendance_core_mis_subcodes else type(p).__name__: p
            for p in plugins
        },
    )


HEADER = "code,maps_to,description\n"
POLICY = 'plugins = ["mis_subcodes"]\n'
"""A policy that turns the plugin on: installing it changes nothing by itself."""
NAME = "mis_subcodes"
"""The plugin's name, by entry point and as :func:`_manager` registers it."""


def test_discovered_through_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(AUTOLOAD_ENV)
    manager = make_plugin_manager(["mis_subcodes"])
    infos = {info.name: info for info in list_plugins(manager)}
    assert infos["mis_subcodes"].version == "0.1.0"
    assert infos["mis_subcodes"].hooks == ("attendance_core_map_code",)
    assert resolve_code(manager, "I01", ENGLAND_2024) is ENGLAND_2024["I"]


MARKS = """pupil_id,date,session,code
P1,2025-09-08,AM,/
P1,2025-09-08,PM,I01
P1,2025-09-09,AM,X02
P1,2025-09-09,PM,J01
P2,2025-09-08,AM,I02
P2,2025-09-08,PM,PT1
P2,2025-09-09,AM,/
P2,2025-09-09,PM,\\
"""


def test_a_register_with_sub_codes_reads_only_with_the_plugin(tmp_path: Path) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(MARKS, encoding="utf-8")
    with pytest.raises(InputError, match=r"marks.csv:3: field 'code'.*\(got 'I01'\)"):
        read_marks_csv(path)

    resolver = code_resolver(Policy(), _manager(attendance_core_mis_subcodes))
    register = read_marks_csv(path, resolve=resolver)
    summary = register_summary(register)
    assert summary.possible_sessions == 7  # X02 stands for X: not a possible session
    assert summary.overall_attendance == 3
    assert summary.authorised_absence == 4  # I01, J01 (J1), I02, PT1 (C2)
    assert summary.not_counted_sessions == 1
    assert summary.sessions_by_code == {"/": 2, "\\": 1, "C2": 1, "I": 2, "J1": 1, "X": 1}
    assert resolver.provenance() == {
        code: (target, NAME)
        for code, target in [("I01", "I"), ("X02", "X"), ("J01", "J1"), ("I02", "I"), ("PT1", "C2")]
    }
    written = tmp_path / "again.csv"
    write_marks_csv(register, written)
    assert read_marks_csv(written, resolve=resolver) == register
    assert {m.code for m in register.marks("P1")} == {"/", "I01", "X02", "J01"}


def test_summary_command_reads_sub_codes_once_the_plugin_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(MARKS, encoding="utf-8")
    monkeypatch.delenv(AUTOLOAD_ENV)
    # Installed but not named by a policy: the plugin is dormant.
    assert main(["summary", str(path)]) == 2
    assert "(got 'I01')" in capsys.readouterr().err

    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    assert main(["summary", "--policy", str(policy), str(path)]) == 0
    total = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("total"))
    # possible, present, approved activity, authorised (I01, J01, I02, PT1), unauthorised
    assert total.split()[:6] == ["total", "7", "3", "0", "4", "0"]


def test_summary_command_names_the_plugin_that_decided_each_sub_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "marks.csv"
    path.write_text(MARKS, encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    monkeypatch.delenv(AUTOLOAD_ENV)
    decided = [
        "codes read as statutory codes (decided by):",
        "  I01 -> I in england-2024 (mis_subcodes)",
        "  I02 -> I in england-2024 (mis_subcodes)",
        "  J01 -> J1 in england-2024 (mis_subcodes)",
        "  PT1 -> C2 in england-2024 (mis_subcodes)",
        "  X02 -> X in england-2024 (mis_subcodes)",
    ]
    assert main(["summary", "--policy", str(policy), str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-6:] == decided
    # Machine-readable output stays as it was; the note goes to standard error.
    assert main(["summary", "--policy", str(policy), "--format", "json", str(path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["total"]["possible_sessions"] == 7
    assert err.splitlines() == decided
    # A policy's own local_codes answer first, and the note says the policy decided.
    policy.write_text(POLICY + '\n[codes]\nlocal_codes = { I01 = "M" }\n', encoding="utf-8")
    assert main(["summary", "--policy", str(policy), str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"  I01 -> M in england-2024 (policy {policy})" in lines
    assert "  I02 -> I in england-2024 (mis_subcodes)" in lines


def test_a_register_of_statutory_codes_gets_no_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "marks.csv"
    path.write_text("pupil_id,date,session,code\nP1,2025-09-08,AM,I\n", encoding="utf-8")
    monkeypatch.delenv(AUTOLOAD_ENV)
    assert main(["summary", str(path)]) == 0
    assert "decided by" not in capsys.readouterr().out


def test_a_j1_sub_code_before_19_august_2024_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("pupil_id,date,session,code\nP1,2024-07-08,AM,J01\n", encoding="utf-8")
    resolver = code_resolver(Policy(), _manager(attendance_core_mis_subcodes))
    with pytest.raises(InputError, match=re.escape(f"{path}:2: field 'code': vendor code has no")):
        read_marks_csv(path, resolve=resolver)


def test_sub_codes_resolve_only_with_the_plugin() -> None:
    with pytest.raises(UnknownCodeError, match=r"'I01' in code set 'england-2024'; did you mean"):
        resolve_code(_manager(), "I01", ENGLAND_2024)
    assert resolve_code(_manager(attendance_core_mis_subcodes), "I01", ENGLAND_2024).code == "I"


@pytest.mark.parametrize(
    ("local", "statutory"),
    [
        *((f"X0{n}", "X") for n in range(1, 8)),
        ("I01", "I"),
        ("I02", "I"),
        ("M01", "M"),
        ("M02", "M"),
        ("V01", "V"),
        ("J01", "J1"),
        ("PT1", "C2"),
    ],
    ids=lambda value: str(value),
)
def test_shipped_list_rolls_up_to_statutory_codes(local: str, statutory: str) -> None:
    manager = _manager(attendance_core_mis_subcodes)
    assert resolve_code(manager, local, ENGLAND_2024) is ENGLAND_2024[statutory]


@pytest.mark.parametrize(
    ("day", "code", "expected"),
    [
        (dt.date(2024, 8, 18), "X01", "X"),
        (dt.date(2024, 8, 19), "J01", "J1"),
        (dt.date(2024, 8, 19), "PT1", "C2"),
        (dt.date(2024, 8, 18), "J01", None),
        (dt.date(2024, 8, 18), "PT1", None),
    ],
    ids=[
        "X01-2006-set",
        "J01-si-2024-208-day-one",
        "PT1-si-2024-208-day-one",
        "J01-before-J1",
        "PT1-before-C2",
    ],
)
def test_j1_and_c2_sub_codes_only_from_19_august_2024(
    day: dt.date, code: str, expected: str | None
) -> None:
    manager = _manager(attendance_core_mis_subcodes)
    code_set = code_set_for_date(day)
    if expected is not None:
        assert resolve_code(manager, code, code_set).code == expected
        return
    with pytest.raises(InputError) as caught:
        resolve_code(manager, code, code_set)
    assert caught.value.field == "code"
    assert caught.value.value == code
    assert "marks from 2024-08-19 (england-2024)" in str(caught.value)


def test_shipped_list_passes_the_conformance_kit() -> None:
    claimed = vendor_codes().claimed
    check_plugin(attendance_core_mis_subcodes, local_codes=claimed, code_sets=["england-2024"])
    usable_before = [c for c in claimed if c not in vendor_codes().unmapped(ENGLAND_2006)]
    assert vendor_codes().unmapped(ENGLAND_2006) == ("J01", "PT1")
    check_plugin(
        attendance_core_mis_subcodes, local_codes=usable_before, code_sets=["england-2006"]
    )


def test_conformance_kit_catches_a_claim_the_set_in_force_cannot_honour() -> None:
    with pytest.raises(ConformanceError, match="'J01' in 'england-2006'"):
        check_plugin(attendance_core_mis_subcodes, local_codes=["J01"], code_sets=["england-2006"])


def test_a_schools_own_list_answers_before_the_installed_one(tmp_path: Path) -> None:
    own = tmp_path / "our-codes.csv"
    own.write_text(HEADER + "I01,M,Clinic visit (our meaning)\n", encoding="utf-8")
    manager = _manager(attendance_core_mis_subcodes, SubcodeMapping.from_csv(own))
    assert resolve_code(manager, "I01", ENGLAND_2024).code == "M"
    assert resolve_code(manager, "I02", ENGLAND_2024).code == "I"  # still the installed list


def test_one_code_may_have_a_row_per_code_set() -> None:
    mapping = SubcodeMapping.from_text(
        HEADER + "INT,J,Interview (up to 18 August 2024)\nINT,J1,Interview (from 19 August 2024)\n"
    )
    assert mapping.resolve("INT", ENGLAND_2006) is ENGLAND_2006["J"]
    assert mapping.resolve("INT", ENGLAND_2024) is ENGLAND_2024["J1"]
    assert mapping.unmapped(ENGLAND_2006) == mapping.unmapped(ENGLAND_2024) == ()
    assert mapping.resolve("I01", ENGLAND_2024) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,maps_to\nI01,I\n", "list.csv:1: not a vendor code list header (got 'code,maps_to')"),
        ("", "list.csv:1: not a vendor code list header (got '')"),
        (HEADER + "I01,I\n", "list.csv:2: 2 fields (got 'I01,I'); expected 3 fields"),
        (HEADER + ",I,blank\n", "list.csv:2: field 'code': empty vendor code"),
        (
            HEADER + "I01,I,ok\nN,O,redefined\n",
            "list.csv:3: field 'code': is a statutory code of england-2024; a vendor list cannot "
            "redefine it (got 'N')",
        ),
        (
            HEADER + "H,C,holiday\n",
            "list.csv:2: field 'code': is a statutory code of england-2006",
        ),
        (
            HEADER + "I01,i,lower case\n",
            "list.csv:2: field 'maps_to': not a statutory code; did you mean 'I'? (got 'i'); "
            "expected a code of england-2024 or england-2006",
        ),
        (HEADER + "K01,,none\n", "list.csv:2: field 'maps_to': not a statutory code (got '')"),
        (
            HEADER + "I01,I,one\n\nI01,M,two\n",
            "list.csv:4: field 'code': already mapped within england-2024 on line 2 (got 'I01')",
        ),
    ],
    ids=[
        "header-missing-column",
        "empty-file",
        "row-too-short",
        "empty-code",
        "statutory-code-2024",
        "statutory-code-2006",
        "unknown-target-suggests",
        "empty-target",
        "two-targets-one-set",
    ],
)
def test_vendor_csv_errors_name_file_line_field_and_value(text: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        SubcodeMapping.from_text(text, source="list.csv")


def test_from_csv_reads_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "vendor.csv"
    path.write_text(HEADER + " X01 , X , Nursery \n", encoding="utf-8-sig")
    mapping = SubcodeMapping.from_csv(path)
    assert mapping.codes == (VendorCode("X01", "X", "Nursery"),)
    assert mapping.source == str(path)
    bad = tmp_path / "bad-header.csv"
    bad.write_text("code,maps_to,note\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{bad}:1: not a vendor code list header")):
        SubcodeMapping.from_csv(bad)


def test_an_unreadable_or_non_utf8_list_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "our-codes.csv"
    with pytest.raises(InputError) as raised:
        SubcodeMapping.from_csv(missing)
    assert str(raised.value) == (
        f"{missing}: cannot read file (got 'No such file or directory'); expected a readable file"
    )
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(HEADER.encode() + "I03,I,Maladie d\xe9clar\xe9e\n".encode("latin-1"))
    with pytest.raises(InputError) as raised:
        SubcodeMapping.from_csv(latin1)
    assert str(raised.value) == f"{latin1}: not UTF-8 text; expected UTF-8 text"


_STATUTORY = sorted({c.code for s in (ENGLAND_2024, ENGLAND_2006) for c in s})
_LOCAL = st.from_regex(r"[A-Z]{1,2}[0-9]{2}", fullmatch=True)
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_LOCAL, st.tuples(st.sampled_from(_STATUTORY), _TEXT), max_size=8))
def test_a_vendor_list_reads_back_unchanged(rows: dict[str, tuple[str, str]]) -> None:
    mapping = SubcodeMapping(tuple(VendorCode(c, t, d) for c, (t, d) in rows.items()))
    again = SubcodeMapping.from_text(mapping.to_csv())
    assert again == mapping
    assert again.to_csv() == mapping.to_csv()


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_LOCAL, st.sampled_from(_STATUTORY), min_size=1, max_size=8))
def test_mapping_is_total_and_onto_statutory_codes(rows: dict[str, str]) -> None:
    """Every claimed code resolves, in every set where its target exists, to that very code."""
    mapping = SubcodeMapping(tuple(VendorCode(c, t) for c, t in rows.items()))
    for code_set in (ENGLAND_2024, ENGLAND_2006):
        for local, target in rows.items():
            if local in mapping.unmapped(code_set):
                assert target not in code_set
            else:
                assert mapping.resolve(local, code_set) is code_set[target]


class _OntoUnknown:
    """A bad plugin: maps a sub-code onto a code that is not in the set in force."""

    @hookimpl
    def attendance_core_map_code(self, code: str, code_set: CodeSet) -> AttendanceCode | None:
        return ENGLAND_2006["H"] if code == "H01" else None


def test_plugin_mapping_onto_an_unknown_code_is_rejected() -> None:
    manager = _manager(_OntoUnknown())
    with pytest.raises(PluginError, match="mapped 'H01' onto 'H', which is not in 'england-2024'"):
        resolve_code(manager, "H01", ENGLAND_2024)


def test_a_list_mapping_onto_an_unknown_code_is_rejected_when_built() -> None:
    with pytest.raises(InputError, match="field 'maps_to': not a statutory code"):
        SubcodeMapping((VendorCode("Q01", "Q9"),))


def test_the_readmes_example_list_reads_as_it_says() -> None:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    (block,) = re.findall(
        r"^```text\n(code,maps_to.*?)^```", readme.read_text("utf-8"), re.M | re.S
    )
    mapping = SubcodeMapping.from_text(block, source="README.md")
    assert mapping.claimed == ("I01", "J01", "INT")
    assert mapping.resolve("INT", ENGLAND_2006) is ENGLAND_2006["J"]
    assert mapping.resolve("INT", ENGLAND_2024) is ENGLAND_2024["J1"]
    assert mapping.unmapped(ENGLAND_2006) == ("J01",)  # J1 did not exist before 19 August 2024
