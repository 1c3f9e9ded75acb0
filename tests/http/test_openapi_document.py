"""The published OpenAPI document describes what SS really sends: a typed success schema for
every route, the real error body, the bearer schemes and the multipart upload."""

from __future__ import annotations

WIRE_TYPES_NOT_ALLOWED = ({"additionalProperties": {}, "type": "object"}, {})


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


async def test_every_route_has_a_typed_response_schema(client) -> None:
    document = (await client.get("/openapi/openapi.json")).json()
    assert len(list(operations(document))) >= 20
    for path, method, operation in operations(document):
        success = {c: r for c, r in operation["responses"].items() if c[0] in "23"}
        assert success, f"{method} {path} has no success response"
        for code, response in success.items():
            content = response.get("content")
            assert content, f"{method} {path} {code} has no content schema"
            for media, body in content.items():
                schema = body.get("schema")
                assert schema not in WIRE_TYPES_NOT_ALLOWED, f"{method} {path} {code} {media}"
                if media == "application/json":
                    assert "$ref" in schema, f"{method} {path} {code} is not a named struct"


async def test_errors_security_and_upload_are_described(client) -> None:
    document = (await client.get("/openapi/openapi.json")).json()
    text = (await client.get("/openapi/openapi.json")).text
    assert '"status_code"' not in text and "ValidationException" not in text
    error = document["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"error_code", "message", "retryable"}
    schemes = document["components"]["securitySchemes"]
    assert schemes["jobToken"]["scheme"] == schemes["adminToken"]["scheme"] == "bearer"
    for path, method, operation in operations(document):
        refs = {r["content"]["application/json"]["schema"]["$ref"]
                for c, r in operation["responses"].items() if c in ("4XX", "5XX")}
        assert refs == {"#/components/schemas/ErrorBody"}, (method, path)
        wanted = ([{"jobToken": []}] if path.startswith("/v1/jobs/") else
                  [{"adminToken": []}] if path.startswith("/api/admin") else None)
        assert operation.get("security") == wanted, (method, path)
    upload = document["paths"]["/v1/jobs/{job_id}/inputs/upload"]["post"]["requestBody"]
    form = upload["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"] and form["properties"]["file"]["type"] == "array"


async def test_the_answer_matches_its_schema(client) -> None:
    """One real answer validated against its published schema (the struct is the schema)."""
    import jsonschema

    document = (await client.get("/openapi/openapi.json")).json()
    answer = (await client.get("/health/ready")).json()
    schema = {"$ref": "#/components/schemas/ReadinessAnswer",
              "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(answer)
    del answer["ready"]
    assert not jsonschema.Draft202012Validator(schema).is_valid(answer)


async def test_the_docs_page_loads_only_packaged_assets(client) -> None:
    page = (await client.get("/openapi")).text
    assert "/openapi/assets/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        r = await client.get(f"/openapi/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 1000


def test_the_document_is_built_on_first_use_and_completed_each_build() -> None:
    """Building the app does not build the document (an API process answering status requests
    never needs it); each build, including one after a route is added, is completed."""
    from litestar import Litestar, get

    from ss_http.app import route_handlers
    from ss_http.openapi import complete_openapi, openapi_config, openapi_plugin

    app = Litestar(route_handlers=route_handlers(), openapi_config=openapi_config())
    complete_openapi(app)
    plugin = openapi_plugin(app)
    assert plugin._openapi is None
    assert "ErrorBody" in (app.openapi_schema.components.schemas or {})

    @get("/v1/jobs/added", sync_to_thread=False)
    def added() -> dict[str, str]:
        return {}

    app.register(added)
    assert plugin._openapi is None  # the framework forgot the old document
    rebuilt = app.openapi_schema
    assert "/v1/jobs/added" in (rebuilt.paths or {})
    assert "ErrorBody" in (rebuilt.components.schemas or {})
    assert "jobToken" in str(rebuilt.paths["/v1/jobs/added"].get.security)
