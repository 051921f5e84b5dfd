"""The curl walkthrough in docs/api.md, as a new user would follow it: log evidence with a file,
log three supervised insertions the radiographer confirms with their password, ask for
sign-off, the radiographer decides, the reckoner says the sign-off now waits for its
countersignature, and the radiographer prints the worker's portfolio, which the public verify
page knows.

The walkthrough is read from the page itself: the test makes the same calls, by the same
person, in the same order and with the same fields, so the page cannot drift from the API."""

from __future__ import annotations

import io
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.test import TestResponse

from portfolio.core.clock import today
from portfolio.demo import PASSWORD
from tests import factories
from tests.api.demo_trust import MakeToken, Trust, bearer

API_PAGE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
SECTION = "## A walkthrough with curl"


@dataclass(frozen=True)
class Call:
    who: str  # the shell variable holding the token: MORGAN or SAM
    method: str
    path: str  # ids as {id}
    fields: frozenset[str]


def walkthrough() -> str:
    text = API_PAGE.read_text(encoding="utf-8")
    assert SECTION in text, f"{API_PAGE.name} has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1]
    return re.split(r"^## ", section, maxsplit=1, flags=re.M)[0]


def shell_blocks(section: str) -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", section, flags=re.M | re.S)
    return [block.replace("\\\n", " ") for block in blocks]  # continuation lines joined


def api_prefix(section: str) -> str:
    """The path of `API=http://127.0.0.1:5000/api/v1`: the walkthrough runs against the demo."""
    match = re.search(r"^API=(\S+)$", section, flags=re.M)
    assert match, "the walkthrough sets API="
    prefix = re.sub(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?", "", match.group(1))
    assert prefix.startswith("/api/"), match.group(1)
    return prefix


def documented_calls() -> list[Call]:
    section = walkthrough()
    prefix = api_prefix(section)
    calls = []
    for block in shell_blocks(section):
        for line in block.splitlines():
            for command in re.split(r"(?=\bcurl\s)", line)[1:]:
                calls.append(_call(command, prefix))
    return calls


def _call(command: str, prefix: str) -> Call:
    who = re.search(r"Authorization: Bearer \$(\w+)", command)
    url = re.search(r"\$API(/[^\s\"']*)", command)
    assert who, f"a curl command without a token: {command}"
    assert url, f"a curl command without an $API address: {command}"
    path = prefix + re.sub(r"\$\w+", "{id}", url.group(1))
    fields: set[str] = set()
    for body in re.findall(r"""-d\s+("(?:[^"\\]|\\.)*"|'[^']*')""", command):
        fields |= set(re.findall(r'\\?"(\w+)\\?"\s*:', body))
    for form in re.findall(r"""-F\s+("[^"]*"|\S+)""", command):
        fields.add(shlex.split(form)[0].split("=", 1)[0])
    posts = bool(re.search(r"\s-[dF]\s", command))
    return Call(who.group(1), "POST" if posts else "GET", path, frozenset(fields))


def collapsed(calls: list[Call]) -> list[Call]:
    """Repeats of one call in a row as one: the page loops over three insertions and asks
    `me` twice (once to show it, once to keep the id)."""
    return [call for i, call in enumerate(calls) if i == 0 or calls[i - 1] != call]


@dataclass
class Walker:
    """The test client, acting as the walkthrough's people, noting each API call it makes."""

    client: FlaskClient
    tokens: dict[str, dict[str, str]]
    calls: list[Call] = field(default_factory=list)

    def get(self, who: str, path: str) -> TestResponse:
        self._note(who, "GET", path, set())
        return self.client.get(path, headers=self.tokens[who])

    def post(
        self, who: str, path: str, *, json: dict[str, Any] | None = None, data: Any = None
    ) -> TestResponse:
        self._note(who, "POST", path, set(json or data or {}))
        if data is not None:
            return self.client.post(
                path, headers=self.tokens[who], data=data, content_type="multipart/form-data"
            )
        return self.client.post(path, headers=self.tokens[who], json=json)

    def _note(self, who: str, method: str, path: str, fields: set[str]) -> None:
        self.calls.append(
            Call(who, method, re.sub(r"/\d+(?=/|\?|$)", "/{id}", path), frozenset(fields))
        )


def test_the_page_reads_as_a_walkthrough() -> None:
    calls = documented_calls()
    assert len(calls) >= 12, calls
    assert {call.who for call in calls} == {"MORGAN", "SAM"}
    assert (
        Call(
            "SAM",
            "POST",
            "/api/v1/sign-off-requests/{id}/decision",
            frozenset({"outcome", "observed_on", "supervision", "password"}),
        )
        in calls
    )


def test_a_worker_is_signed_off_for_cannulation_through_the_api(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    worker, assessor = trust["scsw"], trust["radiographer"]
    api = Walker(
        client,
        {"MORGAN": bearer(make_token(worker)), "SAM": bearer(make_token(assessor))},
    )

    me = api.get("MORGAN", "/api/v1/me")
    assert me.status_code == 200, me.json
    assert me.json["email"] == worker.email

    before = api.get("MORGAN", f"/api/v1/workers/{worker.id}/reckoner?task=CANN")
    assert before.status_code == 200, before.json
    assert before.json["may"] is False
    assert before.json["missing"]

    logged = api.post(
        "MORGAN",
        "/api/v1/evidence",
        data={
            "kind": "observed_practice",
            "title": "Cannulation on the ward round",
            "activity_on": today().isoformat(),
            "body": "Adult patient, aseptic technique throughout.",
            "competency_codes": "CANN",
            "file": (io.BytesIO(factories.png((255, 255, 255), (4, 4))), "record.png"),
        },
    )
    assert logged.status_code == 201, logged.json
    assert [item["filename"] for item in logged.json["attachments"]] == ["record.png"]
    evidence_id = logged.json["id"]
    shown = api.get("MORGAN", f"/api/v1/evidence/{evidence_id}")
    assert shown.status_code == 200, shown.json
    assert [item["filename"] for item in shown.json["attachments"]] == ["record.png"]

    who = api.get("MORGAN", "/api/v1/competencies/CANN/assessors")
    assert who.status_code == 200, who.json
    assert assessor.id in [item["id"] for item in who.json["items"]]
    sam = api.get("SAM", "/api/v1/me")
    assert sam.json["id"] == assessor.id

    lines = []
    for _ in range(3):
        line = api.post(
            "MORGAN",
            "/api/v1/procedures",
            json={
                "competency_code": "CANN",
                "performed_on": today().isoformat(),
                "setting": "CT",
                "outcome": "successful",
                "witness_id": assessor.id,
            },
        )
        assert line.status_code == 201, line.json
        lines.append(line.json["id"])
    confirmed = api.post(
        "SAM", "/api/v1/procedure-confirmations", json={"line_ids": lines, "password": PASSWORD}
    )
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json == {"confirmed": 3}

    asked = api.post(
        "MORGAN",
        "/api/v1/sign-off-requests",
        json={
            "competency_code": "CANN",
            "assessor_id": assessor.id,
            "evidence_ids": [evidence_id],
            "declaration": True,
        },
    )
    assert asked.status_code == 201, asked.json

    waiting = api.get("SAM", "/api/v1/sign-off-requests")
    assert [item["id"] for item in waiting.json["items"]] == [asked.json["id"]]
    decided = api.post(
        "SAM",
        f"/api/v1/sign-off-requests/{waiting.json['items'][0]['id']}/decision",
        json={
            "outcome": "competent",
            "observed_on": today().isoformat(),
            "supervision": "indirect",
            "password": PASSWORD,
        },
    )
    assert decided.status_code == 201, decided.json

    after = api.get("SAM", f"/api/v1/workers/{worker.id}/reckoner?task=CANN")
    assert after.status_code == 200, after.json
    # Cannulation is high risk: the sign-off counts once a practice educator countersigns.
    assert after.json["may"] is False
    assert after.json["status"] == "awaiting_countersignature"
    assert after.json["signed_off_by"] == assessor.name
    assert decided.json["countersignature_required"] is True

    printed = api.post(
        "SAM", f"/api/v1/workers/{worker.id}/portfolio.pdf", json={"appendices": True}
    )
    assert printed.status_code == 200
    assert printed.mimetype == "application/pdf"
    code = printed.headers["X-Verification-Code"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.data)).pages)
    assert worker.name in text
    assert code in text.replace("\n", "")
    verified = client.get(f"/verify/{code}")
    assert verified.status_code == 200
    assert worker.name in verified.get_data(as_text=True)

    assert collapsed(api.calls) == collapsed(documented_calls()), (
        "the test and the walkthrough in docs/api.md make different calls"
    )
