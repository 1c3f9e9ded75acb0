"""docs/api.md against the served OpenAPI document, and the null policy of request bodies."""

from __future__ import annotations

from pathlib import Path

from ss_http.api_doc import BEGIN, END, accepts_null, reference, render
from ss_http.app import openapi_document

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"


async def served(client) -> dict:
    r = await client.get("/openapi/openapi.json")
    assert r.status_code == 200
    return dict(r.json())


async def test_the_document_rendered_into_the_docs_is_the_one_served(client):
    assert openapi_document() == await served(client)


async def test_docs_api_md_agrees_with_the_served_schema(client):
    text = API_MD.read_text(encoding="utf-8")
    generated = text[text.index(BEGIN):text.index(END) + len(END)] + "\n"
    assert generated == reference(await served(client)), (
        "docs/api.md is stale: run `ssctl docs generate`")
    assert render(text, await served(client)) == text


async def test_a_change_in_the_served_schema_shows_as_disagreement(client):
    doc = await served(client)
    doc["components"]["schemas"]["ConfirmBody"]["properties"]["notes"] = {"type": "string"}
    text = API_MD.read_text(encoding="utf-8")
    assert render(text, doc) != text


async def test_every_optional_request_body_field_accepts_null(client):
    doc = await served(client)
    offenders = []
    for path, ops in doc["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, op in ops.items():
            content = ((op.get("requestBody") or {}).get("content") or {})
            schema = (content.get("application/json") or {}).get("schema")
            if schema is None:
                continue
            for variant in schema.get("oneOf", [schema]):
                ref = variant.get("$ref", "")
                if not ref:
                    continue
                body = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                required = set(body.get("required", []))
                offenders += [f"{method.upper()} {path}: {name}"
                              for name, prop in body.get("properties", {}).items()
                              if name not in required and not accepts_null(doc, prop)]
    assert offenders == []


def test_the_prose_fixes_the_meanings_a_client_needs():
    text = API_MD.read_text(encoding="utf-8")
    for word in ("__ID_VAR__", "__TIME_VAR__", "__PANELVAR__", "__CLUSTER_VAR__",
                 "auto_freeze", "require_confirm", "require_confirm_with_downgrade",
                 "{option_id, label, value}", "field:<draft field>", "public_code",
                 "legacy_error_code", "header_row", "history=true", "Optional fields accept"):
        assert word in text, word
