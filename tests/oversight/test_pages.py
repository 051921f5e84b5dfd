"""The educator's pages through the test client: reach, filters, lists and CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.audit.models import AuditEntry
from portfolio.careers.services import (
    QualificationDetails,
    QualificationStatus,
    record_qualification,
)
from portfolio.core.clock import today
from portfolio.core.roles import JobRole
from portfolio.core.spreadsheet import BOM
from portfolio.frameworks.schema import QualificationFramework
from portfolio.oversight import views
from portfolio.people import services as people
from tests import factories
from tests.oversight.trust import FORMULA_NAME, Trust


class _Tables(HTMLParser):
    """Every table on a page as rows of cell texts (header cells included), as a screen
    reader hears them: what is hidden from it (a responsive table's repeated column headings)
    is left out. `first_lines` holds each cell's text up to its first line break."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.first_lines: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._hidden: list[str] = []  # the open tags hidden from screen readers

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden or ("aria-hidden", "true") in attrs:
            self._hidden.append(tag)
        elif tag == "table":
            self.tables.append([])
            self.first_lines.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
            self.first_lines[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif self._cell is not None:
            self._cell.append("\n" if tag == "br" else " ")  # words stay apart

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden.pop()
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            self.tables[-1][-1].append(" ".join(text.split()))
            self.first_lines[-1][-1].append(" ".join(text.split("\n")[0].split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def _parsed(response: TestResponse) -> _Tables:
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser


def tables(response: TestResponse) -> list[list[list[str]]]:
    return _parsed(response).tables


def matrix_rows(response: TestResponse) -> dict[str, dict[str, str]]:
    """{worker's name: {column (a competency's code): cell}} from the matrix page (its last
    table, after the summary)."""
    parsed = _parsed(response)
    table, names = parsed.tables[-1], parsed.first_lines[-1]
    header = [cell.split(":")[0].strip() for cell in table[0]]
    return {
        name[0]: dict(zip(header, row, strict=True))
        for name, row in zip(names[1:], table[1:], strict=True)
    }


def summary(response: TestResponse) -> dict[str, dict[str, str]]:
    """{domain: {status heading: count}} from the matrix page's summary by domain."""
    table = tables(response)[0]
    return {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}


def read_csv(response: TestResponse) -> list[dict[str, str]]:
    data = response.get_data()
    assert data.startswith(BOM.encode("utf-8"))
    return list(csv.DictReader(io.StringIO(data.decode("utf-8").removeprefix(BOM), newline="")))


def post_csv(client: FlaskClient, path: str, **fields: str) -> TestResponse:
    token = factories.csrf_token(client, "/account")
    return client.post(path, data={"csrf_token": token, **fields})


def test_an_educator_sees_only_the_workers_in_their_reach(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.educator)
    page = client.get("/oversight/matrix")
    assert page.status_code == 200
    rows = matrix_rows(page)
    assert set(rows) == {"Morgan Davies", "Alex Reid", FORMULA_NAME}
    assert "Olu Outside" not in page.get_data(as_text=True)
    assert "Ward B" not in page.get_data(as_text=True)  # not even offered as a filter
    # Their department is not theirs to choose, even typed into the address.
    refused = client.get(f"/oversight/matrix?department={trust.other.id}")
    assert "Choose a department from the list" in factories.page_text(refused)
    assert "Olu Outside" not in refused.get_data(as_text=True)
    exported = read_csv(post_csv(client, "/oversight/matrix.csv"))
    assert {row["Name"] for row in exported} == {"Morgan Davies", "Alex Reid", "'" + FORMULA_NAME}


def test_a_whole_trust_educator_filters_by_department(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.whole_educator)
    assert "Olu Outside" in matrix_rows(client.get("/oversight/matrix"))
    only_b = matrix_rows(client.get(f"/oversight/matrix?department={trust.other.id}"))
    assert set(only_b) == {"Olu Outside"}


@pytest.mark.parametrize("who", ["supervisor", "morgan", "admin"])
def test_anyone_but_an_educator_is_refused(trust: Trust, client: FlaskClient, who: str) -> None:
    factories.sign_in(client, getattr(trust, who))
    for path in ("/oversight", "/oversight/matrix", "/oversight/qualifications"):
        assert client.get(path).status_code == 403
    assert post_csv(client, "/oversight/matrix.csv").status_code == 403


def test_cells_show_status_in_words_expiry_and_not_in_scope(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.educator)
    rows = matrix_rows(client.get("/oversight/matrix"))
    morgan, formula = rows["Morgan Davies"], rows[FORMULA_NAME]
    # Never expires; typed in from paper, and says so.
    assert morgan["A-1"] == "Competent Transcribed record"
    assert morgan["CANN"].startswith("Due for reassessment Transcribed record until ")
    assert formula["A-1"] == "Suspended Transcribed record"
    assert formula["CANN"] == "Not in scope"  # optional for senior CSWs only
    assert morgan["Competent items"] == "1 of 1"  # CANN optional and not in their plan


def test_the_matrix_agrees_with_each_workers_competencies_page(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.educator)
    on = (today() + dt.timedelta(days=30)).isoformat()  # Morgan's CANN has expired by then
    rows = matrix_rows(client.get(f"/oversight/matrix?on={on}"))
    checked = 0
    for worker in (trust.morgan, trust.alex, trust.formula):
        (table,) = tables(client.get(f"/people/{worker.id}/competencies?on={on}"))
        for line in table[1:]:
            code, status, valid_until = line[0].split(":")[0].strip(), line[2], line[4]
            cell = rows[worker.name][code]
            expected = status if valid_until == "–" else f"{status} until {valid_until}"
            assert cell == expected, (worker.name, code)
            checked += 1
    assert checked == 5
    assert rows["Morgan Davies"]["CANN"].startswith("Expired")


def test_filters_by_status_job_role_post_and_competency(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.educator)
    assert set(matrix_rows(client.get("/oversight/matrix?status=expired"))) == {"Alex Reid"}
    assert set(matrix_rows(client.get("/oversight/matrix?status=suspended"))) == {FORMULA_NAME}
    assert set(matrix_rows(client.get("/oversight/matrix?job_role=csw"))) == {FORMULA_NAME}
    assert set(matrix_rows(client.get(f"/oversight/matrix?post={trust.post.id}"))) == {
        "Morgan Davies"
    }
    one = client.get("/oversight/matrix?competencies=CANN")
    table = tables(one)[-1]
    assert [cell.split(":")[0].strip() for cell in table[0][2:]] == ["CANN"]
    nobody = client.get("/oversight/matrix?status=revoked")
    assert "No support workers match these filters" in factories.page_text(nobody)


def test_sorting_by_progress_and_by_name(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.educator)
    by_name = list(matrix_rows(client.get("/oversight/matrix")))
    assert by_name == sorted(by_name, key=str.casefold)
    most = list(matrix_rows(client.get("/oversight/matrix?sort=most_competent")))
    assert most[0] == "Morgan Davies"  # the only one competent in a counted item
    fewest = list(matrix_rows(client.get("/oversight/matrix?sort=fewest_competent")))
    assert fewest[-1] == "Morgan Davies"


def test_pages_keep_the_filters_in_their_links(
    trust: Trust, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 2)
    factories.sign_in(client, trust.educator)
    first = client.get("/oversight/matrix?sort=department")
    assert len(matrix_rows(first)) == 2
    text = factories.page_text(first)
    assert "Showing 1 to 2 of 3 support workers, page 1 of 2" in text
    assert "page=2&amp;sort=department" in first.get_data(as_text=True)
    second = client.get("/oversight/matrix?sort=department&page=2")
    assert len(matrix_rows(second)) == 1
    beyond = client.get("/oversight/matrix?sort=department&page=9")  # shows the last page
    assert "page 2 of 2" in factories.page_text(beyond)


def test_a_wrong_filter_is_explained_and_left_out(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.educator)
    page = client.get("/oversight/matrix?status=asleep&on=2026-02-31&sort=height")
    text = factories.page_text(page)
    assert page.status_code == 200
    assert "<title>Error: Competency matrix" in page.get_data(as_text=True)
    for message in (
        "Choose a status from the list",
        "Enter a real date, or leave it empty for today",
        "Choose an order from the list",
    ):
        assert message in text
    assert len(matrix_rows(page)) == 3


def test_the_matrix_csv_opens_cleanly_in_excel(
    trust: Trust, client: FlaskClient, session: Session
) -> None:
    factories.sign_in(client, trust.educator)
    response = post_csv(client, "/oversight/matrix.csv", on=today().isoformat())
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="competency-matrix-{today().isoformat()}.csv"'
    )
    raw = response.get_data().decode("utf-8")
    assert "\r\n" in raw
    rows = {row["Name"]: row for row in read_csv(response)}
    # The name that is a formula is text in the spreadsheet; nothing else starts a formula.
    assert "'" + FORMULA_NAME in rows
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    morgan = rows["Morgan Davies"]
    assert morgan["Post"] == "Plain film senior CSW"
    assert morgan["CANN Cannulation: status"] == "Due for reassessment"
    expires = dt.date.fromisoformat(morgan["CANN: valid until"])  # ISO: YYYY-MM-DD
    assert today() <= expires <= today() + dt.timedelta(days=60)
    assert morgan["CANN: record"] == "Transcribed record"  # typed in from paper
    assert rows["'" + FORMULA_NAME]["CANN Cannulation: status"] == "Not in scope"
    assert rows["'" + FORMULA_NAME]["CANN: record"] == ""
    assert (morgan["Competent items"], morgan["Items counted"]) == ("1", "1")


def test_each_export_is_recorded_without_its_contents(
    trust: Trust, client: FlaskClient, session: Session
) -> None:
    factories.sign_in(client, trust.educator)
    post_csv(client, "/oversight/matrix.csv", department=str(trust.ward.id), status="expired")
    post_csv(client, "/oversight/suspended.csv")
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "oversight.exported").order_by(AuditEntry.id)
    ).all()
    assert [(entry.actor_id, entry.subject_id) for entry in entries] == [
        (trust.educator.id, str(trust.org.id))
    ] * 2
    assert '"export":"competency-matrix"' in entries[0].changes
    assert f'"department":"{trust.ward.id}"' in entries[0].changes
    assert '"rows":1' in entries[0].changes
    assert '"export":"suspended-sign-offs"' in entries[1].changes
    for entry in entries:
        for name in ("Alex", "Morgan", "HYPERLINK", "Long absence"):
            assert name not in entry.changes


def test_a_posted_filter_that_no_longer_validates_goes_back_to_the_page(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.educator)
    response = post_csv(client, "/oversight/matrix.csv", department=str(trust.other.id))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/oversight/matrix?department={trust.other.id}")


def test_reassessment_due_and_expired_within_the_days_chosen(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.educator)
    (table,) = tables(client.get("/oversight/reassessment"))
    assert [(row[0], row[2].split(":")[0].strip(), row[3]) for row in table[1:]] == [
        ("Alex Reid", "CANN", "Expired Transcribed record"),
        ("Morgan Davies", "CANN", "Due for reassessment Transcribed record"),
    ]
    assert table[1][5].startswith("Expired ")
    assert table[1][5].endswith(" days ago")
    assert "No sign-offs in your reach are due or expired within 5 days" in factories.page_text(
        client.get("/oversight/reassessment?days=5")
    )
    wrong = client.get("/oversight/reassessment?days=-1")
    assert "Enter a number of days from 0 to 730" in factories.page_text(wrong)
    exported = read_csv(post_csv(client, "/oversight/reassessment.csv", days="60"))
    assert [(row["Name"], row["Status"], row["Record"]) for row in exported] == [
        ("Alex Reid", "Expired", "Transcribed record"),
        ("Morgan Davies", "Due for reassessment", "Transcribed record"),
    ]
    assert exported[0]["Days until expiry"] == ""
    assert int(exported[0]["Days since expiry"]) > 0
    dt.date.fromisoformat(exported[1]["Valid until"])


def test_suspended_sign_offs_with_the_reason(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.educator)
    (table,) = tables(client.get("/oversight/suspended"))
    assert [(row[0], row[2].split(":")[0].strip(), row[4]) for row in table[1:]] == [
        (FORMULA_NAME, "A-1", "Long absence")
    ]
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    assert tables(client.get(f"/oversight/suspended?on={yesterday}")) == []
    exported = read_csv(post_csv(client, "/oversight/suspended.csv"))
    assert exported == [
        {
            "Name": "'" + FORMULA_NAME,
            "Department": "Ward A",
            "Job role": "Clinical support worker",
            "Competency code": "A-1",
            "Competency": "Thing one",
            "Suspended since": today().isoformat(),
            "Reason": "Long absence",
            "Record": "Transcribed record",
        }
    ]


def test_the_six_month_guidance_lists_people_without_a_recommended_qualification(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.educator)
    page = client.get("/oversight/qualifications")
    text = factories.page_text(page)
    assert "guidance, not a rule they have broken" in text
    table = tables(page)[0]
    rows = {row[0]: row for row in table[1:]}
    # GCSEs are level 2: not the recommendation for a senior CSW, so Morgan is listed.
    assert set(rows) == {"Morgan Davies", "Alex Reid"}
    assert rows["Morgan Davies"][3] == "1 July 2024"  # started 1 January 2024
    assert rows["Morgan Davies"][4] == "No start planned yet"
    assert rows["Morgan Davies"][5].startswith("The 6 months passed ")
    assert rows["Alex Reid"][4].startswith("Start planned: Senior hcsw apprenticeship, starting ")
    exported = {
        row["Name"]: row for row in read_csv(post_csv(client, "/oversight/qualifications.csv"))
    }
    assert exported["Morgan Davies"]["6 months end on"] == "2024-07-01"
    assert exported["Alex Reid"]["Support arranged"] == "Start planned"
    assert exported["Alex Reid"]["Planned start"] == (today() + dt.timedelta(days=40)).isoformat()
    assert (
        int(exported["Alex Reid"]["Days since the 6 months passed"])
        == (today() - dt.date(2024, 7, 1)).days
    )


def test_the_index_links_to_every_page(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.educator)
    page = client.get("/oversight").get_data(as_text=True)
    for path in (
        "/oversight/matrix",
        "/oversight/reassessment",
        "/oversight/suspended",
        "/oversight/qualifications",
    ):
        assert f'href="{path}"' in page


def test_filters_for_trainees_and_for_apprentices(
    trust: Trust, client: FlaskClient, session: Session
) -> None:
    people.record_appointment(
        factories.auditor(session),
        trust.alex,
        people.AppointmentDetails(
            effective_from=dt.date(2025, 6, 1),
            job_role=JobRole.AP,
            trainee=True,
            afc_band="4",
            department_id=trust.ward.id,
            started_in_post_on=dt.date(2025, 6, 1),
        ),
    )
    record_qualification(
        factories.auditor(session, trust.admin),
        trust.morgan,
        QualificationDetails(
            title="Senior healthcare support worker apprenticeship",
            framework=QualificationFramework.RQF,
            level=3,
            status=QualificationStatus.IN_PROGRESS,
            qualification_code="senior-hcsw-apprenticeship",
        ),
        today=today(),
    )
    session.flush()
    factories.sign_in(client, trust.educator)
    trainees = client.get("/oversight/matrix?learners=trainees")
    assert set(matrix_rows(trainees)) == {"Alex Reid"}
    assert "Trainee assistant practitioner" in factories.page_text(trainees)
    assert set(matrix_rows(client.get("/oversight/matrix?learners=apprentices"))) == {
        "Morgan Davies"
    }
    exported = read_csv(post_csv(client, "/oversight/matrix.csv", learners="apprentices"))
    assert [row["Name"] for row in exported] == ["Morgan Davies"]
    wrong = client.get("/oversight/matrix?learners=everybody")
    assert "Choose trainees, apprentices or everyone from the list" in factories.page_text(wrong)
    assert len(matrix_rows(wrong)) == 3


def test_the_summary_counts_each_domain_by_status(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.educator)
    page = client.get("/oversight/matrix")
    counts = summary(page)
    cells = [
        cell
        for row in matrix_rows(page).values()
        for code, cell in row.items()
        if code not in ("Support worker", "Competent items")
    ]
    in_scope = [cell for cell in cells if cell != "Not in scope"]
    assert sum(int(row["In scope"]) for row in counts.values()) == len(in_scope)
    assert sum(int(row["Competent"]) for row in counts.values()) == sum(
        1 for cell in in_scope if cell.startswith("Competent")
    )
    assert sum(int(row["Expired"]) for row in counts.values()) == 1  # Alex's CANN
    assert sum(int(row["Due for reassessment"]) for row in counts.values()) == 1  # Morgan's
    assert sum(int(row["Other"]) for row in counts.values()) == 1  # the suspended A-1
