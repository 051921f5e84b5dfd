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
from portfolio.core.clock import today
from portfolio.core.spreadsheet import BOM
from portfolio.oversight import views
from tests import factories
from tests.oversight.trust import FORMULA_NAME, Trust


class _Tables(HTMLParser):
    """Every table on a page as rows of cell texts (header cells included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif self._cell is not None:
            self._cell.append(" ")  # a line break or a tag: words stay apart

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(response: TestResponse) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


def matrix_rows(response: TestResponse) -> dict[str, dict[str, str]]:
    """{worker: {competency code: cell}} from the matrix page."""
    (table,) = tables(response)
    header = [cell.split(":")[0].strip() for cell in table[0]]
    return {row[0]: dict(zip(header, row, strict=True)) for row in table[1:]}


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
    (table,) = tables(one)
    assert [cell.split(":")[0].strip() for cell in table[0][4:]] == ["CANN"]
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
