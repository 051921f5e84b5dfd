"""Pages issue the same number of SQL statements however many people they list."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole, JobRole
from portfolio.people import services
from tests import factories
from tests.support.statements import statements_for


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (AccountRole.EDUCATOR, "/home"),
        (AccountRole.SUPERVISOR, "/home"),
        (AccountRole.ADMIN, "/people"),
        (AccountRole.ADMIN, "/people/{worker}"),
    ],
)
def test_page_queries_do_not_grow_with_the_number_of_people(
    app: Flask, session: Session, client: FlaskClient, role: AccountRole, path: str
) -> None:
    org = factories.organisation(session)
    ward = factories.department(session, org)
    viewer = factories.person(
        session, org, role, AccountRole.SUPERVISOR, reach_whole_organisation=True
    )
    first = factories.person(session, org, department=ward, supervisors=[viewer])
    factories.sign_in(client, viewer)
    url = path.format(worker=first.id)
    small = statements_for(app, client, url)
    for number in range(10):
        worker = factories.person(session, org, department=ward, supervisors=[viewer])
        services.record_appointment(
            factories.auditor(session),
            first,
            services.AppointmentDetails(
                effective_from=dt.date(2025, 1, 1) + dt.timedelta(days=number),
                job_role=JobRole.SCSW,
                trainee=False,
                afc_band="3",
                department_id=ward.id,
                started_in_post_on=dt.date(2025, 1, 1),
            ),
        )
        assert worker.id
    large = statements_for(app, client, url)
    assert large == small


def test_the_staff_import_preview_does_not_grow_with_the_file(
    app: Flask, session: Session, client: FlaskClient
) -> None:
    import io

    from tests.onboarding.staff_files import staff_csv, staff_row

    org = factories.organisation(session)
    factories.department(session, org, "MRI")
    ward = factories.department(session, org, "General radiography")
    admin = factories.person(session, org, AccountRole.ADMIN)
    sam = factories.person(session, org, AccountRole.SUPERVISOR, email="sam.okafor@trust.example")
    factories.sign_in(client, admin)

    def preview(rows: int) -> str:
        # Half of them already here (matched, with job roles and supervisors to compare).
        content = staff_csv(staff_row(number, Post="") for number in range(1, rows + 1))
        token = factories.csrf_token(client, "/people/import")
        response = client.post(
            "/people/import",
            data={"csrf_token": token, "file": (io.BytesIO(content), "staff.csv")},
            content_type="multipart/form-data",
        )
        return str(response.headers["Location"])

    small = statements_for(app, client, preview(2))
    for number in range(1, 11):
        factories.person(
            session, org, email=f"staff{number}@trust.example", department=ward, supervisors=[sam]
        )
    assert statements_for(app, client, preview(20)) == small


def test_the_list_of_people_who_have_left_does_not_grow_with_the_number_of_leavers(
    app: Flask, session: Session, client: FlaskClient
) -> None:
    org = factories.organisation(session)
    ward = factories.department(session, org)
    admin = factories.person(session, org, AccountRole.ADMIN)
    services.deactivate(
        factories.auditor(session, admin), factories.person(session, org, department=ward)
    )
    factories.sign_in(client, admin)
    small = statements_for(app, client, "/people/left")
    for _ in range(10):
        leaver = factories.person(session, org, department=ward)
        services.deactivate(factories.auditor(session, admin), leaver)
    assert statements_for(app, client, "/people/left") == small
