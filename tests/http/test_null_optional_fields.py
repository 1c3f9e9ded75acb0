"""Optional request fields accept ``null`` as "absent" (confirm, freeze, draft patch)."""

from __future__ import annotations

from tests.http.test_api_contract import CSV, new_job


async def _drafted(client):
    _, job_id, auth = await new_job(client)
    r = await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                          files={"file": ("wages.csv", CSV, "text/csv")})
    assert r.status_code == 200, r.text
    r = await client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    assert r.status_code == 200, r.text
    return job_id, auth, r.json()


async def test_confirm_accepts_notes_null_exactly_as_a_web_client_sends_it(client):
    job_id, auth, draft = await _drafted(client)
    body = {"confirmed": True, "notes": None, "variable_corrections": {}, "answers": {},
            "default_overrides": draft.get("default_overrides") or {},
            "expert_suggestions_feedback": {}}
    r = await client.post(f"/v1/jobs/{job_id}/confirm", headers=auth, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "queued"


async def test_every_optional_confirm_field_accepts_null(client):
    job_id, auth, _ = await _drafted(client)
    body = {"confirmed": None, "notes": None, "variable_corrections": None, "answers": None,
            "default_overrides": None, "template_id": None,
            "expert_suggestions_feedback": None, "output_formats": None}
    r = await client.post(f"/v1/jobs/{job_id}/confirm", headers=auth, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "queued"  # confirmed: null means the default (true)


async def test_every_optional_freeze_field_accepts_null(client):
    job_id, auth, _ = await _drafted(client)
    body = {"notes": None, "answers": None, "variable_corrections": None, "params": None,
            "template_id": None}
    r = await client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["plan"]["plan_id"]


async def test_draft_patch_accepts_null_or_absent_field_updates(client):
    job_id, auth, _ = await _drafted(client)
    for body in ({"field_updates": None}, {}):
        r = await client.post(f"/v1/jobs/{job_id}/draft/patch", headers=auth, json=body)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "patched"


async def test_null_where_a_value_is_required_is_still_refused(client):
    _, job_id, auth = await new_job(client)
    r = await client.post("/v1/task-codes/redeem", json={"task_code": None, "requirement": "x"})
    assert r.status_code == 400 and r.json()["error_code"] == "INPUT_VALIDATION_FAILED"
    r = await client.post(f"/v1/jobs/{job_id}/confirm", headers=auth, json={"notes": 5})
    assert r.status_code == 400 and r.json()["error_code"] == "INPUT_VALIDATION_FAILED"
