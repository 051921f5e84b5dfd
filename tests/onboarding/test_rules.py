"""Reading and checking a staff record extract as pure functions: no database, no Flask."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import AFC_BANDS, AccountRole, JobRole
from portfolio.onboarding.csvfile import (
    COLUMNS,
    UnreadableFileError,
    read_staff_file,
    template_csv,
)
from portfolio.onboarding.directory import CurrentAppointment, Directory, KnownPerson, PostEntry
from portfolio.onboarding.lines import parse_date
from portfolio.onboarding.rules import Action, plan_import
from portfolio.people.rules import band_from_text, job_role_from_text
from tests.onboarding.staff_files import HEADER, staff_csv, staff_row

LIMIT = 1024 * 1024
TODAY = dt.date(2026, 3, 2)
ORG = 1
SAM = KnownPerson(
    id=50,
    name="Sam Okafor",
    email="sam.okafor@trust.example",
    employee_number="90001",
    organisation_id=ORG,
    active=True,
    roles=frozenset({AccountRole.SUPERVISOR}),
)
PRIYA = KnownPerson(
    id=51,
    name="Priya Patel",
    email="priya@trust.example",
    employee_number=None,
    organisation_id=ORG,
    active=True,
    roles=frozenset({AccountRole.EDUCATOR}),
)


def directory(*people: KnownPerson) -> Directory:
    return Directory(
        organisation_id=ORG,
        today=TODAY,
        departments={"mri": (1, "MRI"), "general radiography": (2, "General radiography")},
        posts={(1, "mri senior csw"): PostEntry(7, "MRI senior CSW", 1, JobRole.SCSW, True)},
        people=(SAM, PRIYA, *people),
    )


def plan(content: bytes, *people: KnownPerson):  # type: ignore[no-untyped-def]
    return plan_import(read_staff_file(content, LIMIT), directory(*people))


def problems(content: bytes, *people: KnownPerson) -> list[str]:
    return [str(problem) for problem in plan(content, *people).problems]


def test_a_good_file_with_a_byte_order_mark_plans_to_add_everyone() -> None:
    result = plan(staff_csv([staff_row(1), staff_row(2)], bom=True))
    assert result.ok
    assert [(line.line, line.action) for line in result.lines] == [
        (2, Action.CREATE),
        (3, Action.CREATE),
    ]
    first = result.lines[0].record
    assert (first.job_role, first.afc_band, first.department_id, first.post_id) == (
        JobRole.SCSW,
        "3",
        1,
        7,
    )
    assert first.supervisor_id == SAM.id
    assert result.lines[0].supervision_from == TODAY  # from the import, not a past start


def test_every_mistake_is_reported_by_line_and_column() -> None:
    rows = [
        staff_row(1, Email="not-an-email"),
        staff_row(2),
        staff_row(3, **{"Job role": "Porter"}),
        staff_row(4, **{"Start date": "01/09/2025"}),
        staff_row(5, Band="Band 8e", Department="Radiology", Supervisor="priya@trust.example"),
        staff_row(6, Email="staff2@trust.example", Name=""),
        staff_row(7, Post="MRI senior CSW", **{"Job role": "Assistant practitioner"}),
        staff_row(8, Supervisor="nobody@trust.example"),
        staff_row(9, **{"Start date": "45901"}),
        staff_row(10, **{"Start date": "2025-02-30"}),
    ]
    found = problems(staff_csv(rows))
    assert found == [
        "2: Email: Enter an email address in the correct format, like name@nhs.net",
        "4: Job role: Enter a job role: clinical support worker, senior clinical support "
        "worker, mammography associate, assistant practitioner, each with Trainee before it if "
        "in training",
        "5: Start date: Enter the date as YYYY-MM-DD, like 2025-09-01 (in Excel: Format Cells, "
        "Custom, yyyy-mm-dd)",
        "6: Band: Enter an Agenda for Change band: 1 to 7, 8a to 8d, or 9",
        "6: Department: There is no department called Radiology in your organisation: correct "
        "it, or add the department on the Organisation page first",
        "6: Supervisor: Priya Patel cannot supervise: give them the supervisor account role (or "
        "reactivate them) first, or name another supervisor",
        "7: Name: Enter the person's full name",
        "7: Email: Line 3 has the same email",
        "8: Post: MRI senior CSW is a post for a senior clinical support worker",
        "9: Supervisor: No one in your organisation has this email address or employee number",
        "10: Start date: Enter the date as YYYY-MM-DD, like 2025-09-01 (in Excel: Format Cells, "
        "Custom, yyyy-mm-dd)",
        "11: Start date: Enter the date as YYYY-MM-DD, like 2025-09-01 (in Excel: Format Cells, "
        "Custom, yyyy-mm-dd)",
    ]


def test_missing_columns_duplicates_and_ignored_columns_are_named() -> None:
    header = ["Name", "email address", "Job role", "Job Role", "Cost centre", "Start date"]
    row = {**staff_row(1), "email address": "staff1@trust.example"}
    result = read_staff_file(staff_csv([row], header=header), LIMIT)
    assert [str(problem) for problem in result.problems] == [
        "1: Job Role: This column appears more than once",
        "1: Band: The column is missing",
        "1: Department: The column is missing",
    ]
    assert result.ignored_columns == ["Cost centre"]
    assert result.lines[0].values["email"] == "staff1@trust.example"


def test_required_values_missing_on_a_line() -> None:
    blank = dict.fromkeys(HEADER, "")
    found = problems(staff_csv([{**blank, "Name": "Only A Name"}]))
    assert found == [
        "2: Email: Enter an email address",
        "2: Job role: Enter the job role",
        "2: Band: Enter the band",
        "2: Department: Enter the department",
        "2: Start date: Enter the date they started in post",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"PK\x03\x04rest of a workbook", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0old excel", "Excel workbook"),
        (b"Name,Email\n\x00\x01\x02", "not a CSV text file"),
        ("Name,Email\nJosé,j@x.example\n".encode("cp1252"), "not saved as UTF-8"),
        (b"Name;Email;Job role\nA;b@c.example;CSW\n", "Separate the columns with commas"),
        (b"x" * (LIMIT + 1), "smaller than 1024 KB"),
    ],
)
def test_what_is_not_a_csv_file_is_refused_whole(content: bytes, message: str) -> None:
    with pytest.raises(UnreadableFileError, match=message):
        read_staff_file(content, LIMIT)


def test_lines_are_numbered_as_in_the_file_with_blank_and_multi_line_rows() -> None:
    content = (
        ",".join(HEADER) + "\r\n\r\n"
        '"Jordan\nLee",jl@trust.example,,CSW,2,MRI,,2025-01-01,\r\n'
        "Bad,bad,,CSW,2,MRI,,2025-01-01,\r\n"
    ).encode()
    assert problems(content) == [
        "5: Email: Enter an email address in the correct format, like name@nhs.net"
    ]


def test_an_unbalanced_quote_is_reported_at_its_line() -> None:
    content = (",".join(HEADER) + '\r\nA,a@trust.example,"unclosed,CSW,2\r\n').encode()
    result = read_staff_file(content, LIMIT)
    assert [problem.line for problem in result.problems] == [2]


def test_the_template_is_the_header_row_excel_reads_as_utf8() -> None:
    text = template_csv()
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [c.heading for c in COLUMNS]
    [problem] = read_staff_file(text.encode(), LIMIT).problems  # a header alone is nobody
    assert str(problem) == "1: File: The file has a header row but no people"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-01", dt.date(2025, 9, 1)),
        ("01/09/2025", None),
        ("2025-9-1", None),
        ("45901", None),
        ("2025-13-01", None),
        ("2025-09-01T00:00", None),
    ],
)
def test_only_unambiguous_iso_dates_are_accepted(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clinical support worker", (JobRole.CSW, False)),
        ("  senior   CLINICAL support worker ", (JobRole.SCSW, False)),
        ("Trainee assistant practitioner", (JobRole.AP, True)),
        ("ma", (JobRole.MA, False)),
        ("Senior CSW", (JobRole.SCSW, False)),
        ("Radiographer", None),
    ],
)
def test_job_roles_as_a_staff_record_spells_them(
    text: str, expected: tuple[JobRole, bool] | None
) -> None:
    assert job_role_from_text(text) == expected


@given(st.sampled_from(AFC_BANDS), st.sampled_from(["", "Band ", "band ", "AfC band "]))
def test_any_band_written_with_or_without_its_word_is_read(band: str, prefix: str) -> None:
    assert band_from_text(prefix + band.upper()) == band


def _existing(number: int, **changes: object) -> KnownPerson:
    row = staff_row(number)
    appointment = CurrentAppointment(
        effective_from=dt.date.fromisoformat(row["Start date"]),
        job_role=JobRole.SCSW if number % 2 else JobRole.CSW,
        trainee=False,
        afc_band=row["Band"],
        department_id=1 if number % 2 else 2,
        post_id=7 if number % 2 else None,
        started_in_post_on=dt.date.fromisoformat(row["Start date"]),
    )
    values: dict[str, object] = {
        "id": 100 + number,
        "name": row["Name"],
        "email": row["Email"],
        "employee_number": row["Employee number"],
        "organisation_id": ORG,
        "active": True,
        "roles": frozenset({AccountRole.SUPPORT_WORKER}),
        "appointment": appointment,
        "supervisor_ids": frozenset({SAM.id}) if row["Supervisor"] else frozenset(),
    }
    values.update(changes)
    return KnownPerson(**values)  # type: ignore[arg-type]


def test_people_already_here_are_matched_and_left_alone_or_updated() -> None:
    content = staff_csv([staff_row(1), staff_row(2, Band="4"), staff_row(4)])
    result = plan(content, _existing(1), _existing(2), _existing(4, supervisor_ids=frozenset()))
    assert [(line.action, line.changes) for line in result.lines] == [
        (Action.UNCHANGED, ()),
        (Action.UPDATE, ("band: 2 to 4",)),
        (Action.UPDATE, ("supervisor: Sam Okafor added",)),
    ]
    assert result.lines[1].appointment_from == TODAY
    assert result.lines[2].appointment_from is None


def test_matching_is_by_employee_number_first_then_email() -> None:
    moved = _existing(1, email="old.address@trust.example")
    result = plan(staff_csv([staff_row(1)]), moved)
    [line] = result.lines
    assert (line.action, line.person_id, line.changes) == (
        Action.UPDATE,
        moved.id,
        ("email address",),
    )
    no_number = _existing(2, employee_number=None)
    result = plan(staff_csv([staff_row(2)]), no_number)
    assert result.lines[0].changes == ("employee number",)


def test_conflicting_matches_are_problems_not_guesses() -> None:
    elsewhere = _existing(1, id=900, organisation_id=2, employee_number="x")
    assert problems(staff_csv([staff_row(1)]), elsewhere) == [
        "2: Email: Someone already has this email address"
    ]
    numbered = _existing(2)
    other = _existing(3, email="staff4@trust.example", employee_number="77")
    found = problems(staff_csv([staff_row(2, Email="staff4@trust.example")]), numbered, other)
    assert found == [
        "2: Email: Someone already has this email address, not Staff Member 2 (whose employee "
        "number it is)"
    ]
    renumbered = _existing(5, employee_number="55555")
    assert problems(staff_csv([staff_row(5)]), renumbered) == [
        "2: Employee number: This email address is Staff Member 5's, whose employee number is 55555"
    ]
    sam_as_worker = staff_row(7, Email=SAM.email, **{"Employee number": "90001"})
    assert "2: Supervisor: A support worker cannot supervise themselves" in problems(
        staff_csv([sam_as_worker])
    )


def test_someone_who_has_left_is_left_out_line_by_line_and_the_rest_still_plans() -> None:
    left = _existing(6, active=False)
    result = plan(staff_csv([staff_row(5), staff_row(6), staff_row(7)]), left)
    assert result.ok
    assert [(line.line, line.action, line.person_id) for line in result.lines] == [
        (2, Action.CREATE, None),
        (3, Action.LEFT, left.id),
        (4, Action.CREATE, None),
    ]
    assert result.count(Action.LEFT) == 1


def test_a_change_already_recorded_from_today_is_not_overwritten() -> None:
    changed_today = _existing(2)
    assert changed_today.appointment is not None
    today_row = CurrentAppointment(**{**vars(changed_today.appointment), "effective_from": TODAY})
    person = _existing(2, appointment=today_row)
    assert problems(staff_csv([staff_row(2, Band="5")]), person) == [
        "2: Job role: Staff Member 2 already has a change recorded from 2026-03-02: record this "
        "one on their page"
    ]


names = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll"), whitelist_characters=" '-,\"é"),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip() != "")


@given(
    rows=st.lists(
        st.tuples(
            names,
            st.sampled_from(["Clinical support worker", "Trainee assistant practitioner", "MA"]),
            st.sampled_from(AFC_BANDS),
            st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
            st.sampled_from(["MRI", "General radiography"]),
        ),
        min_size=1,
        max_size=8,
    ),
    bom=st.booleans(),
)
def test_rows_written_by_a_spreadsheet_read_back_as_they_were_written(
    rows: list[tuple[str, str, str, dt.date, str]], bom: bool
) -> None:
    written = [
        staff_row(
            number,
            Name=name,
            **{"Job role": role, "Start date": started.isoformat()},
            Band=band,
            Department=department,
            Post="",
            Supervisor="",
        )
        for number, (name, role, band, started, department) in enumerate(rows)
    ]
    result = plan(staff_csv(written, bom=bom))
    assert result.ok, result.problems
    for line, row in zip(result.lines, written, strict=True):
        record = line.record
        assert record.name == " ".join(row["Name"].split())
        assert record.email == row["Email"]
        assert record.afc_band == row["Band"]
        assert record.started_in_post_on.isoformat() == row["Start date"]
        assert (record.job_role, record.trainee) == job_role_from_text(row["Job role"])
        assert record.department_id == {"MRI": 1, "General radiography": 2}[row["Department"]]
