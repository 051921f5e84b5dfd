"""The OpenAPI document: valid OpenAPI 3.1, generated from the routes themselves, and served
to anyone without a token or a cookie."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from portfolio.api.registry import openapi_path
from portfolio.api.routes import api


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)


def test_every_api_route_is_in_the_document_and_nothing_else(
    app: Flask, client: FlaskClient
) -> None:
    document = client.get("/api/openapi.json").json
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    routed = {
        (method, openapi_path("", rule.rule)[0])
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods or ()
        if method in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    }
    assert documented == routed


def test_every_operation_documents_its_errors_as_problem_details(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").json
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("400", "401", "403", "404", "422", "429"):
                content = operation["responses"][status]["content"]
                assert "application/problem+json" in content, (method, path, status)
            if "requestBody" in operation:
                assert "415" in operation["responses"], (method, path)


def test_the_registry_is_what_the_document_lists() -> None:
    assert len({operation.endpoint for operation in api.operations}) == len(api.operations)
