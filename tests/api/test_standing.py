"""`GET /api/v1/standing` and `flask standing`: the standing engine's one answer, as JSON, for
the demo trust's refusals and warnings (README's demo table), the same on the command line,
on the scope-of-practice page and in the API; unknown people and items named, never a 500."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from portfolio import demo
from tests import factories
from tests.api.demo_trust import MakeToken, Trust, bearer


def _ask(client: FlaskClient, token: str, person: int, item: str) -> dict:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/standing?person={person}&item={item}", headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def test_each_demo_refusal_comes_with_its_code_and_words(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    token = make_token(trust["educator"])
    appendicular = _ask(client, token, trust["ap"].id, "AP-APPEND")
    assert appendicular["may"] is False
    assert appendicular["supervision"] is None
    assert [r["code"] for r in appendicular["reasons"]] == ["no_entitlement"]
    assert "appendicular skeleton" in appendicular["reasons"][0]["text"]
    trainee = _ask(client, token, trust["trainee"].id, "AP-CHEST")
    assert [r["code"] for r in trainee["reasons"]] == ["trainee_not_operator"]
    lapsed = _ask(client, token, trust["trainee"].id, "CANN")
    assert lapsed["status"] == "competent"
    assert lapsed["shown"].startswith("Competent, prerequisite lapsed (Basic life support")
    assert [r["code"] for r in lapsed["reasons"]] == ["prerequisite_lapsed"]
    mri = _ask(client, token, trust["scsw"].id, "MR-COILS")
    assert "not_mr_authorised" in [r["code"] for r in mri["reasons"]]


def test_a_preceptee_may_under_direct_supervision_with_structured_conditions(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    chest = _ask(client, make_token(trust["educator"]), trust["ap"].id, "AP-CHEST")
    assert chest["may"] is True
    assert chest["answer"] == "May"
    assert chest["supervision"] == "direct"  # recorded indirect, capped while a preceptee
    assert [(r["code"], r["blocks"]) for r in chest["reasons"]] == [("above_ceiling_capped", False)]
    assert [w["code"] for w in chest["warnings"]] == ["preceptee"]
    children = [c for c in chest["conditions"] if c["kind"] == "patient_group"]
    assert children
    assert children[0]["excluded"] is True
    assert children[0]["values"] == ["child"]
    assert chest["valid_until"] is not None
    assert chest["sign_off"]["assessor"] == "Sam Okafor"


def test_unknown_people_and_items_are_named_with_near_matches(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    headers = bearer(make_token(trust["educator"]))
    wrong = client.get(f"/api/v1/standing?person={trust['ap'].id}&item=AP-CHST", headers=headers)
    assert wrong.status_code == 422
    assert wrong.mimetype == "application/problem+json"
    assert "AP-CHST" in wrong.get_data(as_text=True)
    assert "AP-CHEST" in wrong.get_json()["errors"]["item"][0]
    nobody = client.get("/api/v1/standing?person=999999&item=CANN", headers=headers)
    assert nobody.status_code == 404
    assert nobody.mimetype == "application/problem+json"
    assert "999999" in nobody.get_json()["detail"]


def test_the_command_line_prints_the_apis_answer(
    app: Flask, client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["standing", "ap@northfield.example", "ap-append", "--json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)
    assert from_cli == _ask(client, make_token(trust["educator"]), trust["ap"].id, "AP-APPEND")
    words = runner.invoke(args=["standing", "trainee@northfield.example", "CANN"])
    assert words.exit_code == 0
    assert "May not" in words.output
    assert "[prerequisite_lapsed]" in words.output
    unknown = runner.invoke(args=["standing", "nobody@northfield.example", "CANN"])
    assert unknown.exit_code != 0
    assert "nobody@northfield.example" in unknown.output
    typo = runner.invoke(args=["standing", "ap@northfield.example", "AP-CHST"])
    assert typo.exit_code != 0
    assert "AP-CHEST" in typo.output


def test_the_scope_page_gives_the_same_answer(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    answer = _ask(client, make_token(trust["educator"]), trust["ap"].id, "AP-APPEND")
    assert factories.sign_in(client, trust["educator"], demo.PASSWORD).status_code == 302
    page = client.get(f"/people/{trust['ap'].id}/scope-of-practice?task=AP-APPEND")
    text = factories.page_text(page)
    assert "Answer May not" in text
    assert answer["reasons"][0]["text"] in text
