"""Bringing in sign-offs made elsewhere, and overriding the supervised procedure minimum,
through the pages: an educator transcribes a paper sign-off, accepts a previous employer's
after one practice observed here, and lets a sign-off go ahead without the minimum; each
shows what it is wherever the sign-off appears, and a bad form saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.people import services as people
from portfolio.people.registers import RegisterType
from portfolio.signoff import overrides, queries, services
from portfolio.signoff.models import Authentication, MinimumOverride, SignOffDecision
from portfolio.signoff.rules import add_months
from portfolio.standing.status import SupervisionLevel, long_date
from tests import factories
from tests.signoff.records import flush_in_savepoint

PASSWORD = factories.PASSWORD
PAPER = "Education office, cannulation folder 2019"


def _cann(session: Session, worker_id: int) -> list[SignOffDecision]:
    return list(
        session.scalars(
            select(SignOffDecision)
            .where(
                SignOffDecision.worker_id == worker_id, SignOffDecision.competency_code == "CANN"
            )
            .order_by(SignOffDecision.id)
        )
    )


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(SignOffDecision)) or 0,
        session.scalar(select(func.count()).select_from(MinimumOverride)) or 0,
        session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
    )


def _paper(observed: dt.date, **changes: object) -> dict[str, object]:
    return {
        "made_at": "this_trust",
        "previous_employer": "",
        "source": PAPER,
        "original_seen_by": "Pat Educator",
        "original_seen_on": today().isoformat(),
        "assessor_name": "Jo Vascular",
        "assessor_profession": "nurse",
        "assessor_register": "nmc",
        "assessor_register_number": "12 a3456 e",
        "observed_on": observed.isoformat(),
        "supervision": "indirect",
        "condition_codes": ["adults-only"],
        **changes,
    }


def _post(client: FlaskClient, path: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": factories.csrf_token(client, path), **data})


def test_an_educator_transcribes_a_paper_sign_off_and_it_shows_as_transcribed_everywhere(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.educator)
    path = f"/people/{dept.worker.id}/competencies/CANN/transcribe"
    observed = today() - dt.timedelta(days=100)

    response = _post(client, path, _paper(observed))

    assert response.status_code == 302, factories.page_text(response)
    [decision] = _cann(session, dept.worker.id)
    assert decision.authentication is Authentication.TRANSCRIBED
    assert decision.previous_employer is None
    assert decision.transcribed_source == PAPER
    assert (decision.original_seen_by, decision.original_seen_on) == ("Pat Educator", today())
    assert (decision.transcribed_by_id, decision.transcribed_by_name) == (
        dept.educator.id,
        "Pat Educator",
    )
    assert decision.assessor_register is RegisterType.NMC
    assert decision.assessor_register_number == "12A3456E"  # as written, tidied
    assert decision.assessor_register_checked_on is None  # never checked here
    assert decision.condition_labels == ("Adults only",)
    assert decision.expires_on == add_months(observed, 12)  # from the day it was signed off
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_off.transcribed")
    ).all()[-1]
    assert entry.actor_id == dept.educator.id
    assert PAPER not in entry.changes
    assert "Jo Vascular" not in entry.changes

    worker = dept.worker.id
    page = factories.page_text(client.get(f"/people/{worker}/competencies/CANN"))
    assert f"Competent, observed {long_date(observed)} (transcribed record)" in page
    assert "Transcribed from A paper record of this trust" in page
    assert f"Original seen by Pat Educator on {long_date(today())}" in page
    assert "Nursing and Midwifery Council (NMC) 12A3456E, as written on the original" in page
    assert "Held with the original record" in page
    listed = factories.page_text(client.get(f"/people/{worker}/competencies"))
    assert "Competent Transcribed record" in listed
    scope = factories.page_text(client.get(f"/people/{worker}/scope-of-practice?task=CANN"))
    assert f"Signed off on {long_date(observed)} by Jo Vascular (transcribed record)" in scope
    assert "by Jo Vascular (transcribed record)" in scope.split("What Morgan Davies may do")[1]
    shift = factories.page_text(client.get(f"/shift?department={dept.ward.id}&task=CANN"))
    assert "(transcribed record)" in shift


@pytest.mark.parametrize(
    ("page", "changes", "message"),
    [
        (
            "transcribe",
            {"source": "", "assessor_name": ""},
            "Enter where the original record is kept",
        ),
        ("transcribe", {"made_at": "previous_employer"}, "Enter the name of the previous employer"),
        (
            "transcribe",
            {"observed_on": (today() + dt.timedelta(days=1)).isoformat()},
            "The date signed off on the original must be today or before",
        ),
        (
            "transcribe",
            {"original_seen_on": (today() - dt.timedelta(days=200)).isoformat()},
            "The original was seen on or after the date it was signed off",
        ),
        ("transcribe", {"assessor_register_number": "RA123"}, "Enter an NMC PIN"),
        ("transcribe", {"source": "Patient 943 476 5919 notes"}, "NHS number"),
        ("transcribe", {"supervision": ""}, "Select the level of supervision"),
        (
            "accept",
            {"previous_employer": ""},
            "Enter the previous employer whose sign-off is accepted",
        ),
        ("accept", {"observer_id": ""}, "Choose the local assessor who observed"),
        ("accept", {"local_setting": ""}, "Enter the equipment and room"),
        (
            "accept",
            {"local_observed_on": (today() - dt.timedelta(days=31)).isoformat()},
            "in the last 30 days",
        ),
        (
            "accept",
            {
                "observed_on": today().isoformat(),
                "original_seen_on": today().isoformat(),
                "local_observed_on": (today() - dt.timedelta(days=1)).isoformat(),
            },
            "observed after the previous employer's sign-off",
        ),
    ],
)
def test_a_bad_form_shows_the_problem_and_saves_nothing(
    session: Session,
    client: FlaskClient,
    department: factories.SignOffWorld,
    page: str,
    changes: dict[str, object],
    message: str,
) -> None:
    dept = department
    factories.sign_in(client, dept.educator)
    before = _counts(session)
    observed = today() - dt.timedelta(days=100)
    data = (
        _paper(observed, **changes)
        if page == "transcribe"
        else _accept(observed, dept.radiographer.id, **changes)
    )

    response = _post(client, f"/people/{dept.worker.id}/competencies/CANN/{page}", data)

    assert response.status_code == 200
    text = factories.page_text(response)
    assert "There is a problem" in text
    assert message in text
    assert _counts(session) == before
    assert _cann(session, dept.worker.id) == []


@pytest.mark.parametrize("which", ["transcribe", "accept"])
def test_a_future_sign_off_date_is_an_error_on_that_date_field_by_its_name(
    client: FlaskClient, department: factories.SignOffWorld, which: str
) -> None:
    dept = department
    factories.sign_in(client, dept.educator)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    data = (
        _paper(today(), observed_on=tomorrow)
        if which == "transcribe"
        else _accept(today(), dept.radiographer.id, observed_on=tomorrow)
    )

    response = _post(client, f"/people/{dept.worker.id}/competencies/CANN/{which}", data)

    assert response.status_code == 200
    html = " ".join(response.get_data(as_text=True).split())
    message = "The date signed off on the original must be today or before"
    # The summary links to the date field, and the message sits on that field, under the
    # label it names.
    assert f'<a href="#observed_on" > {message} </a>' in html
    assert (
        '<label class="nhsuk-label" for="observed_on" > Date signed off on the original </label>'
        ' <span class="nhsuk-error-message" id="observed_on-error" >'
        f' <span class="nhsuk-u-visually-hidden">Error: </span>{message} </span>'
    ) in html


def test_nobody_transcribes_their_own_sign_off_and_an_assessor_cannot(
    session: Session,
    client: FlaskClient,
    new_client,  # type: ignore[no-untyped-def]
    department: factories.SignOffWorld,
) -> None:
    dept = department
    supervisor = factories.person(session, dept.org, AccountRole.SUPERVISOR)
    people.assign_supervisor(factories.auditor(session), dept.worker, supervisor, today())
    before = _counts(session)
    path = f"/people/{dept.worker.id}/competencies/CANN/transcribe"
    for who in (dept.worker, supervisor):
        caller = new_client()
        factories.sign_in(caller, who)
        assert caller.get(path).status_code == 403
        token = factories.csrf_token(caller, "/account")
        response = caller.post(path, data={"csrf_token": token, **_paper(today())})
        assert response.status_code == 403
    assert _counts(session) == before
    # The service refuses it too, whoever calls it.
    context = queries.sign_off_context(session, dept.educator, "CANN", today(), due_window_days=60)
    assert context is not None
    with pytest.raises(services.SignOffError, match="their own"):
        services.transcribe(
            factories.auditor(session, dept.educator),
            dept.educator,
            context,
            services.TranscribedDetails(
                observed_on=today(),
                supervision=SupervisionLevel.DIRECT,
                condition_codes=frozenset(),
                assessor_name="Anyone",
                assessor_profession=None,
                source=PAPER,
            ),
            on=today(),
        )


def _accept(observed: dt.date, observer: int, **changes: object) -> dict[str, object]:
    data = _paper(observed, **changes)
    del data["made_at"]
    return {
        **data,
        "previous_employer": "St Elsewhere NHS Foundation Trust",
        "source": "Scanned copy in the personnel file",
        "observer_id": str(observer),
        "local_observed_on": today().isoformat(),
        "local_setting": "Trust cannulation pack, CT room 2",
        **changes,
    }


def test_a_previous_employers_sign_off_is_accepted_after_one_practice_observed_here(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.educator)
    path = f"/people/{dept.worker.id}/competencies/CANN/accept"
    form = factories.page_text(client.get(path))
    # The eligible local assessors are offered.
    assert "Sam Okafor" in form
    assert "Grace Mensah" in form
    observed = today() - dt.timedelta(days=200)

    response = _post(client, path, _accept(observed, dept.radiographer.id))

    assert response.status_code == 302, factories.page_text(response)
    [decision] = _cann(session, dept.worker.id)
    assert decision.authentication is Authentication.TRANSCRIBED
    assert decision.previous_employer == "St Elsewhere NHS Foundation Trust"
    assert (decision.local_observer_id, decision.local_observer_name) == (
        dept.radiographer.id,
        "Sam Okafor",
    )
    assert decision.local_observed_on == today()
    assert decision.local_setting == "Trust cannulation pack, CT room 2"
    # Still the previous employer's assessment: its date fixes the expiry.
    assert decision.observed_on == observed
    assert decision.expires_on == add_months(observed, 12)
    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "(transcribed record, accepted after local observation)" in page
    assert "A previous employer's sign-off: St Elsewhere NHS Foundation Trust" in page
    assert (
        f"One practice observed on local equipment by Sam Okafor on {long_date(today())}: "
        "Trust cannulation pack, CT room 2" in page
    )
    listed = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies"))
    assert "Transcribed record, accepted after local observation" in listed


def test_an_observer_who_may_not_assess_is_refused(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    """Only a local assessor the framework allows (registered, signed off themselves) may be
    the observer; anyone else is refused, with the reason, even if their id is posted."""
    dept = department
    factories.sign_in(client, dept.educator)
    before = _counts(session)
    path = f"/people/{dept.worker.id}/competencies/CANN/accept"
    response = _post(client, path, _accept(today() - dt.timedelta(days=50), dept.educator.id))
    assert "Pat Educator cannot sign this off: This competency is assessed by a radiographer" in (
        factories.page_text(response)
    )
    assert _counts(session) == before


def _point_of_care(client: FlaskClient, dept: factories.SignOffWorld):  # type: ignore[no-untyped-def]
    path = "/competencies/CANN/sign-off"
    return _post(
        client,
        path,
        {
            "outcome": "competent",
            "supervision": "indirect",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
            "email": dept.radiographer.email,
            "password": PASSWORD,
        },
    )


def test_an_educator_overrides_the_minimum_and_the_sign_off_keeps_it(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 3)
    factories.sign_in(client, dept.worker)
    refused = _point_of_care(client, dept)
    assert "Cannot sign off yet: 3 of 5 confirmed successful supervised procedures" in (
        factories.page_text(refused)
    )
    assert _cann(session, dept.worker.id) == []

    educator = new_client()
    factories.sign_in(educator, dept.educator)
    page = factories.page_text(educator.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Override the procedure minimum" in page
    path = f"/people/{dept.worker.id}/competencies/CANN/override-minimum"
    reason = "Over 200 insertions in two years at her previous trust; vascular team agrees"
    done = _post(educator, path, {"reason": reason})
    assert done.status_code == 302, factories.page_text(done)
    override = session.scalars(select(MinimumOverride)).one()
    assert (override.procedures_required, override.procedures_confirmed) == (5, 3)
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_off.minimum_overridden")
    ).one()
    assert reason not in entry.changes
    waiting = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert f"overridden for the next sign-off: by Pat Educator on {long_date(today())}" in waiting

    signed = _point_of_care(client, dept)

    assert signed.status_code == 302, factories.page_text(signed)
    [decision] = _cann(session, dept.worker.id)
    assert decision.minimum_override_id == override.id
    session.refresh(override)
    assert override.closed_on == today()
    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert (
        f"Minimum overridden by Pat Educator on {long_date(today())} (3 of 5 confirmed "
        f"supervised procedures then): {reason}" in page
    )
    assert "(evidence minimum overridden)" in page
    assert "Awaiting countersignature Evidence minimum overridden" in factories.page_text(
        client.get(f"/people/{dept.worker.id}/competencies")
    )
    # Countersigned, the shift lead's answer says what it rests on (without the reason).
    services.countersign(
        factories.auditor(session, dept.educator), dept.educator, decision, on=today()
    )
    scope = factories.page_text(
        educator.get(f"/people/{dept.worker.id}/scope-of-practice?task=CANN")
    )
    assert "by Sam Okafor (evidence minimum overridden)" in scope
    assert reason not in scope
    # Used once: the next reassessment needs the minimum again.
    context = queries.sign_off_context(session, dept.worker, "CANN", today(), due_window_days=60)
    assert context is not None
    assert context.override is None


def test_a_sign_off_that_did_not_need_the_override_closes_it_without_keeping_it(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 3)
    educator = new_client()
    factories.sign_in(educator, dept.educator)
    path = f"/people/{dept.worker.id}/competencies/CANN/override-minimum"
    assert _post(educator, path, {"reason": "Experienced elsewhere"}).status_code == 302
    factories.confirmed_procedures(
        session, dept.worker, dept.nurse, 2
    )  # the minimum is met after all
    factories.sign_in(client, dept.worker)

    assert _point_of_care(client, dept).status_code == 302

    [decision] = _cann(session, dept.worker.id)
    assert decision.minimum_override_id is None
    assert session.scalars(select(MinimumOverride)).one().closed_on == today()


@pytest.mark.parametrize("page", ["transcribe", "accept"])
def test_a_transcribed_sign_off_closes_a_waiting_override(
    session: Session, client: FlaskClient, department: factories.SignOffWorld, page: str
) -> None:
    """Transcribed or accepted, it is a competent sign-off: the waiver is spent, and a
    reassessment years later needs the minimum again."""
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 3)
    factories.sign_in(client, dept.educator)
    base = f"/people/{dept.worker.id}/competencies/CANN"
    assert _post(client, f"{base}/override-minimum", {"reason": "Experienced"}).status_code == 302
    observed = today() - dt.timedelta(days=100)
    data = _paper(observed) if page == "transcribe" else _accept(observed, dept.radiographer.id)

    response = _post(client, f"{base}/{page}", data)

    assert response.status_code == 302, factories.page_text(response)
    [decision] = _cann(session, dept.worker.id)
    assert decision.minimum_override_id is None  # it rests on the original, not on procedures
    override = session.scalars(select(MinimumOverride)).one()
    assert override.closed_on == today()
    assert queries.open_override(session, dept.worker.id, "CANN") is None
    assert "overridden for the next sign-off" not in factories.page_text(client.get(base))
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_off.transcribed")
    ).all()[-1]
    assert f'"minimum_overrides_closed":[{override.id}]' in entry.changes


@pytest.mark.parametrize(
    ("procedures", "reason", "message"),
    [
        (3, "", "Enter the reason"),
        (5, "Experienced", "The minimum is met (5 of 5 confirmed): there is nothing to override"),
        (3, "NHS 943 476 5919 was the patient", "NHS number"),
    ],
)
def test_an_override_that_cannot_be_made_saves_nothing(
    session: Session,
    client: FlaskClient,
    department: factories.SignOffWorld,
    procedures: int,
    reason: str,
    message: str,
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, procedures)
    factories.sign_in(client, dept.educator)
    before = _counts(session)
    path = f"/people/{dept.worker.id}/competencies/CANN/override-minimum"

    response = _post(client, path, {"reason": reason})

    assert response.status_code == 200
    assert message in factories.page_text(response)
    assert _counts(session) == before


def test_a_second_override_while_one_waits_is_refused(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.educator)
    path = f"/people/{dept.worker.id}/competencies/CANN/override-minimum"
    assert _post(client, path, {"reason": "First"}).status_code == 302
    before = _counts(session)
    again = _post(client, path, {"reason": "Second"})
    assert "already overridden for the next sign-off" in factories.page_text(again)
    assert _counts(session) == before


def test_two_overrides_made_at_the_same_moment_leave_one_waiting(
    session: Session, department: factories.SignOffWorld
) -> None:
    """Two educators press Override together: both forms were shown with nothing waiting, so
    both pass the check; the database keeps one, and the second is told why."""
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 3)
    context = queries.sign_off_context(session, dept.worker, "CANN", today(), due_window_days=60)
    assert context is not None
    assert context.override is None
    first = overrides.override_minimum(
        factories.auditor(session, dept.educator),
        dept.educator,
        context,
        reason="First",
        on=today(),
    )
    before = _counts(session)

    with pytest.raises(services.SignOffError, match="already overridden for the next sign-off"):
        overrides.override_minimum(
            factories.auditor(session, dept.educator),
            dept.educator,
            context,  # as read before the first was saved
            reason="Second",
            on=today(),
        )

    assert _counts(session) == before
    waiting = queries.open_override(session, dept.worker.id, "CANN")
    assert waiting is not None
    assert waiting.id == first.id


def test_the_database_keeps_one_open_override_per_worker_and_competency(
    session: Session, department: factories.SignOffWorld
) -> None:
    dept = department

    def override(**extra: object) -> MinimumOverride:
        return MinimumOverride(
            worker_id=dept.worker.id,
            competency_code="CANN",
            procedures_required=5,
            procedures_confirmed=3,
            reason="Experienced",
            overridden_by_id=dept.educator.id,
            overridden_by_name=dept.educator.name,
            recorded_on=today(),
            **extra,
        )

    session.add_all([override(closed_on=today()), override()])  # one used, one waiting: fine
    session.flush()
    with pytest.raises(IntegrityError):
        flush_in_savepoint(session, override())


def test_an_assessor_cannot_override_unless_they_are_an_educator(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    people.assign_supervisor(factories.auditor(session), dept.worker, dept.radiographer, today())
    factories.sign_in(client, dept.radiographer)
    path = f"/people/{dept.worker.id}/competencies/CANN/override-minimum"
    assert client.get(path).status_code == 403
    token = factories.csrf_token(client, "/account")
    assert client.post(path, data={"csrf_token": token, "reason": "I say so"}).status_code == 403
    assert session.scalar(select(func.count()).select_from(MinimumOverride)) == 0


def test_the_same_paper_sign_off_typed_in_twice_is_refused_and_nothing_saved(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.educator)
    path = f"/people/{dept.worker.id}/competencies/CANN/transcribe"
    observed = today() - dt.timedelta(days=100)
    assert _post(client, path, _paper(observed)).status_code == 302

    again = _post(client, path, _paper(observed, assessor_name="  jo  vascular "))

    assert again.status_code == 200
    page = factories.page_text(again)
    assert "This sign-off is already in the portfolio" in page
    assert f"observed on {long_date(observed)} was transcribed before" in page
    assert len(_cann(session, dept.worker.id)) == 1
    # Another day, or another assessor, is another sign-off.
    other = _post(client, path, _paper(observed - dt.timedelta(days=1)))
    assert other.status_code == 302, factories.page_text(other)
    assert len(_cann(session, dept.worker.id)) == 2
