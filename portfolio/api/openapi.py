"""The OpenAPI 3.1 document, built from the route registry and the pydantic models: the
paths and their parameters from each declared operation, the schemas from the models
(JSON Schema 2020-12, which OpenAPI 3.1 uses as it is)."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from portfolio.api.problems import API_TITLES, MEDIA_TYPE
from portfolio.api.registry import JSON, LARGEST_ID, Api, Operation, openapi_path
from portfolio.api.schemas import ProblemDetails

REF = "#/components/schemas/{model}"
TITLE = "Imaging support portfolio API"
VERSION = "1.0.0"


def _models(api: Api) -> list[tuple[type[BaseModel], Any]]:
    pairs: list[tuple[type[BaseModel], Any]] = [(ProblemDetails, "serialization")]
    for operation in api.operations:
        for model in (operation.query, operation.body):
            if model is not None:
                pairs.append((model, "validation"))
        if operation.response is not None:
            pairs.append((operation.response, "serialization"))
    unique: dict[tuple[type[BaseModel], Any], None] = dict.fromkeys(pairs)
    return list(unique)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter is simply left out: null is not a value a query string
    can carry, so the document offers only the other choice."""
    options = schema.get("anyOf")
    if options and {"type": "null"} in options and len(options) == 2:
        rest = dict(schema)
        rest.pop("anyOf")
        rest.pop("default", None)
        rest.update(next(item for item in options if item != {"type": "null"}))
        return rest
    return schema


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    parameters = []
    for name, item in schema["properties"].items():
        item = _without_null(copy.deepcopy(item))
        description = item.pop("description", None)
        item.pop("title", None)
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": item,
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _path_parameters(parameters: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": LARGEST_ID}
            if converter == "int"
            else {"type": "string", "pattern": "^[^/]+$"},
        }
        for name, converter in parameters
    ]


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": API_TITLES.get(status, "Error"),
        "content": {MEDIA_TYPE: {"schema": {"$ref": REF.format(model="ProblemDetails")}}},
    }


def _operation(operation: Operation, refs: Any) -> tuple[str, dict[str, Any]]:
    path, parameters = openapi_path("", operation.rule)
    item: dict[str, Any] = {
        "operationId": operation.endpoint.split(".", 1)[1],
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": _path_parameters(parameters)
        + (_query_parameters(operation.query) if operation.query else []),
    }
    if operation.description:
        item["description"] = operation.description
    if operation.public:
        item["security"] = []
    if operation.body is not None:
        assert operation.body_media is not None
        content: dict[str, Any] = {"schema": refs[(operation.body, "validation")]}
        if operation.files:
            content["encoding"] = {
                name: {"contentType": "application/pdf, image/png, image/jpeg"}
                for name in operation.files
            }
        item["requestBody"] = {"required": True, "content": {operation.body_media: content}}
    if operation.response is not None:
        success: dict[str, Any] = {
            "description": operation.summary,
            "content": {JSON: {"schema": refs[(operation.response, "serialization")]}},
        }
    else:
        success = {
            "description": operation.summary,
            "content": {
                media: {"schema": {"type": "string", "contentMediaType": media}}
                for media in operation.response_media
            },
        }
    item["responses"] = {str(operation.status): success} | {
        str(status): _problem(status) for status in operation.errors
    }
    return path, item


def document(api: Api) -> dict[str, Any]:
    refs, top = models_json_schema(_models(api), ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for operation in api.operations:
        path, item = _operation(operation, refs)
        paths.setdefault(api.prefix + path, {})[operation.method.lower()] = item
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": (
                "Everything a person can do on the pages, under the same rules. Authenticate "
                "with a personal access token (`Authorization: Bearer isp_…`) made on your "
                "account page. Errors are RFC 9457 problem details; lists are paginated with "
                "`limit` and `cursor`."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token, isp_ and 43 characters",
                }
            },
        },
    }
