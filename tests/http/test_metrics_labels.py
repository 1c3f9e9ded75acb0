"""/metrics labels HTTP requests by route template (never the concrete path, never "/"), and
requests the router rejects (404 unknown path, 405 method) are counted too."""

from __future__ import annotations

import re

from tests.http.conftest import ADMIN


def samples(text: str, name: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if match:
            found[match.group(1)] = float(match.group(2))
    return found


def count(found: dict[str, float], **labels: str) -> float:
    wanted = [f'{k}="{v}"' for k, v in labels.items()]
    return sum(v for k, v in found.items() if all(w in k.split(",") for w in wanted))


async def test_route_templates_and_rejected_requests_are_counted(client) -> None:
    admin = {"Authorization": f"Bearer {ADMIN}"}
    before = samples((await client.get("/metrics")).text, "ss_http_requests_total")
    before_unrouted = samples((await client.get("/metrics")).text,
                              "ss_http_unrouted_requests_total")
    code = (await client.post("/api/admin/task-codes", json={"count": 1}, headers=admin)
            ).json()["task_codes"][0]["task_code"]
    redeemed = (await client.post("/v1/task-codes/redeem",
                                  json={"task_code": code, "requirement": "OLS"})).json()
    job, auth = redeemed["job_id"], {"Authorization": f"Bearer {redeemed['token']}"}
    assert (await client.get(f"/v1/jobs/{job}", headers=auth)).status_code == 200
    assert (await client.get(f"/v1/jobs/{job}/artifacts", headers=auth)).status_code == 200
    assert (await client.get("/v1/jobs/job_nope", headers=auth)).status_code in (403, 404)
    assert (await client.get("/openapi/openapi.json")).status_code == 200
    assert (await client.get("/v1/no/such/route")).status_code == 404
    assert (await client.delete("/health/live")).status_code == 405
    text = (await client.get("/metrics")).text
    after = samples(text, "ss_http_requests_total")

    def grew(**labels: str) -> float:
        return count(after, **labels) - count(before, **labels)

    assert grew(method="GET", path="/v1/jobs/{job_id}", status_code="200") == 1
    assert grew(method="GET", path="/v1/jobs/{job_id}/artifacts", status_code="200") == 1
    assert grew(method="GET", path="/v1/jobs/{job_id}") == 2  # the refused one too
    assert grew(method="POST", path="/v1/task-codes/redeem", status_code="200") == 1
    assert grew(method="GET", path="/openapi/openapi.json") == 1
    paths = {re.search(r'path="([^"]*)"', k).group(1) for k in after}
    assert "/" not in paths and not any(job in p for p in paths)
    unrouted = samples(text, "ss_http_unrouted_requests_total")
    assert count(unrouted, method="GET", status_code="404") - count(
        before_unrouted, method="GET", status_code="404") == 1
    assert count(unrouted, method="DELETE", status_code="405") - count(
        before_unrouted, method="DELETE", status_code="405") == 1
    assert "ss_http_request_duration_seconds_bucket" in text
