"""Checking the fake against GitHub's published contract (a copy in tests/data/github-contract).

``check_schema`` validates JSON against GitHub's OpenAPI schemas (OpenAPI 3.0 ``nullable``
turned into JSON Schema, ``$ref``s resolved through a registry); ``recorded`` loads real
octokit recordings. Other test modules can use these to check their own fixtures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

# A copy of the project's reference data: tests never read outside the repository.
CONTRACT = Path(__file__).resolve().parents[1] / "data" / "github-contract"


def _to_json_schema(node: Any, in_properties: bool = False) -> Any:
    """OpenAPI 3.0 -> JSON Schema: ``nullable: true`` becomes an explicit null type."""
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if in_properties:  # keys are property names here, not keywords
        return {name: _to_json_schema(schema) for name, schema in node.items()}
    out = {
        key: _to_json_schema(value, in_properties=key == "properties")
        for key, value in node.items()
        if key != "nullable"
    }
    if node.get("nullable") is not True:
        return out
    if "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [out, {"type": "null"}]}


SPEC: dict[str, Any] = _to_json_schema(json.loads((CONTRACT / "openapi-subset.json").read_text()))
REGISTRY: referencing.Registry[Any] = referencing.Registry().with_resource(
    "urn:openapi", DRAFT202012.create_resource(SPEC)
)
FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_github_timestamp(value: object) -> bool:
    # GitHub renders every timestamp as second-precision UTC with a Z suffix.
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    return True


@FORMATS.checks("uri")
def _is_absolute_uri(value: object) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is None or bool(parts.scheme and parts.netloc)


def _pointer(*parts: str) -> str:
    escaped = (p.replace("~", "~0").replace("/", "~1") for p in parts)
    return "urn:openapi#/" + quote("/".join(escaped), safe="/~")


def check_schema(instance: Any, ref: str) -> None:
    """Validate ``instance`` against the schema at ``ref`` (a urn:openapi pointer)."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": ref}, registry=REGISTRY, format_checker=FORMATS
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def operation_schema(path: str, method: str, status: int) -> str:
    """Pointer to the JSON response schema of an operation in the OpenAPI file."""
    response = SPEC["paths"][path][method.lower()]["responses"][str(status)]
    assert "application/json" in response["content"], f"{method} {path} {status} has no JSON"
    return _pointer("paths", path, method.lower(), "responses", str(status), "content") + (
        "/application~1json/schema"
    )


def component(name: str) -> str:
    """Pointer to ``#/components/schemas/{name}``."""
    return _pointer("components", "schemas", name)


def array_of(name: str) -> Callable[[Any], None]:
    """Checker for a JSON array whose items all match a component schema."""

    def check(body: Any) -> None:
        assert isinstance(body, list)
        assert body, "an empty list proves nothing about the item schema"
        for item in body:
            check_schema(item, component(name))

    return check


LINK = re.compile(r'<(?P<url>[^>]+)>; rel="(?P<rel>\w+)"')


def link_shape(header: str) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(rel, path with the repository id replaced, query) for each Link entry, in order."""
    entries = [part.strip() for part in header.split(", ")]
    shape = []
    for entry in entries:
        match = LINK.fullmatch(entry)
        assert match, f"malformed Link entry {entry!r}"
        url = urlsplit(match["url"])
        path = re.sub(r"^/repositories/\d+/", "/repositories/ID/", url.path)
        shape.append((match["rel"], path, parse_qs(url.query)))
    return shape
