"""A small, explicit route registry: each API operation is declared once, with the pydantic
models of its query, body and answer, and that one declaration both runs the request
(authentication's scope check, parsing, validation, serialising) and describes it in the
OpenAPI document (`openapi.py`). A route cannot drift from its documentation, because
the documentation is what parses its input.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, json, request
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response as AnyResponse

from portfolio.access import public
from portfolio.api import auth
from portfolio.api.problems import Problem

JSON = "application/json"
MULTIPART = "multipart/form-data"
# Path and body ids beyond a 32-bit integer name nothing, and the databases refuse them.
LARGEST_ID = 2_147_483_647
# Statuses any operation may answer with (an access token missing, expired, revoked or from
# an address that has failed too often; input that does not validate).
COMMON_ERRORS = (400, 401, 403, 404, 422, 429)


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str  # as Flask spells it, without the blueprint's prefix
    endpoint: str
    summary: str
    description: str
    tag: str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    body_media: str | None
    files: tuple[str, ...]
    response: type[BaseModel] | None
    status: int
    response_media: tuple[str, ...]
    errors: tuple[int, ...]
    public: bool

    @property
    def writes(self) -> bool:
        return self.method != "GET"


@dataclass
class Api:
    blueprint: Blueprint
    prefix: str
    operations: list[Operation] = field(default_factory=list)

    def operation(
        self,
        method: str,
        rule: str,
        *,
        summary: str,
        tag: str,
        query: type[BaseModel] | None = None,
        body: type[BaseModel] | None = None,
        multipart: bool = False,
        files: tuple[str, ...] = (),
        response: type[BaseModel] | None = None,
        status: int = 200,
        media: str | tuple[str, ...] = JSON,
        errors: tuple[int, ...] = (),
        is_public: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            operation = Operation(
                method=method,
                rule=rule,
                endpoint=f"{self.blueprint.name}.{view.__name__}",
                summary=summary,
                description=(view.__doc__ or "").strip(),
                tag=tag,
                query=query,
                body=body,
                body_media=(MULTIPART if multipart else JSON) if body else None,
                files=files,
                response=response,
                status=status,
                response_media=(media,) if isinstance(media, str) else media,
                errors=tuple(sorted({*COMMON_ERRORS, *errors}))
                if not is_public
                else tuple(sorted(set(errors))),
                public=is_public,
            )
            self.operations.append(operation)

            @functools.wraps(view)
            def run(**path: Any) -> Response:
                for value in path.values():
                    if isinstance(value, int) and value > LARGEST_ID:
                        raise Problem(404, "There is nothing here, or you may not see it")
                    if isinstance(value, str):
                        _check_text("path", value)
                if not operation.public:
                    auth.require_scope(writes=operation.writes)
                arguments: dict[str, Any] = dict(path)
                if operation.query is not None:
                    arguments["query"] = _validate(operation.query, _query_values(operation.query))
                if operation.body is not None:
                    arguments["body"] = _validate(operation.body, _body_values(operation))
                answer = view(**arguments)
                if isinstance(answer, AnyResponse):
                    return answer  # type: ignore[return-value]
                assert isinstance(answer, BaseModel)
                return Response(
                    json.dumps(answer.model_dump(mode="json")),
                    status=operation.status,
                    mimetype=JSON,
                )

            if is_public:
                public(run)
            self.blueprint.add_url_rule(rule, view_func=run, methods=[method])
            return run

        return register


def _is_list(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return getattr(annotation, "__origin__", None) in (list, tuple) or str(annotation).startswith(
        ("list[", "tuple[")
    )


def _query_values(model: type[BaseModel]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in model.model_fields:
        if name not in request.args:
            continue
        items = request.args.getlist(name)
        for item in items:
            _check_text(name, item)
        values[name] = items if _is_list(model, name) else items[0]
    return values


def _body_values(operation: Operation) -> Any:
    assert operation.body is not None
    mimetype = request.mimetype
    if operation.body_media == JSON:
        if mimetype != JSON:
            raise Problem(415, "Send the body as application/json")
        try:
            data = json.loads(request.get_data(cache=True) or b"")
        except RecursionError:
            raise Problem(400, TOO_DEEP) from None
        except ValueError:
            raise Problem(400, "The body is not valid JSON") from None
        _check_json(data)
        return data
    if mimetype != MULTIPART:
        raise Problem(415, "Send the body as multipart/form-data")
    model = operation.body
    values: dict[str, Any] = {}
    for name in model.model_fields:
        if name in operation.files:
            continue
        if name in request.form:
            items = request.form.getlist(name)
            for item in items:
                _check_text(name, item)
            values[name] = items if _is_list(model, name) else items[0]
    for name in operation.files:
        uploads = [item for item in request.files.getlist(name) if item.filename]
        if uploads:
            values[name] = uploads
    # A part the operation does not name is passed on, so the model refuses it by name (422)
    # as it refuses an unknown key of a JSON body, rather than being silently dropped.
    for name in {*request.form, *request.files} - {*model.model_fields, *operation.files}:
        values[name] = request.form.getlist(name) + request.files.getlist(name)
    return values


def _validate(model: type[BaseModel], values: Any) -> BaseModel:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise Problem(422, "Check the fields named in errors", errors=field_errors(error)) from None


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in item["loc"]) or "body"
        found.setdefault(where, []).append(item["msg"])
    return found


def _check_text(name: str, value: str) -> None:
    """Text the databases cannot store (a NUL character, half a surrogate pair) is refused
    here, by name, rather than failing deep in a query."""
    if "\x00" in value:
        raise Problem(400, f"{name} must not contain NUL characters", errors={name: ["NUL"]})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(
            400, f"{name} is not valid Unicode text", errors={name: ["Unicode"]}
        ) from None


# No body of this API nests more than a list inside an object; a far deeper one is refused
# before anything walks it, so no depth of nesting can exhaust the stack.
MAX_JSON_DEPTH = 16
TOO_DEEP = f"The body is nested too deeply (at most {MAX_JSON_DEPTH} levels)"


def _check_json(data: Any, where: str = "body", depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise Problem(400, TOO_DEEP)
    if isinstance(data, str):
        _check_text(where, data)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            _check_json(item, f"{where}.{index}", depth + 1)
    elif isinstance(data, Mapping):
        for key, item in data.items():
            _check_text(where, str(key))
            _check_json(item, f"{where}.{key}", depth + 1)


PATH_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_path(prefix: str, rule: str) -> tuple[str, list[tuple[str, str]]]:
    """The OpenAPI path for a Flask rule, and its parameters with their converters."""
    parameters = [(name, converter or "string") for converter, name in PATH_PARAMETER.findall(rule)]
    return prefix + PATH_PARAMETER.sub(lambda match: "{" + match.group(2) + "}", rule), parameters


def uploads_of(value: Any) -> list[FileStorage]:
    return list(value or [])
