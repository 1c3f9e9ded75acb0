/* The operator console: system status, task codes (issue, list, revoke), jobs (filter,
   detail, retry). Every call goes to /api/admin with the admin token kept in this tab only. */
"use strict";
(function () {
  const { t, h, clear, show, api, showError, formatTime, formatBytes, valueText, table, copyButton, download } = window.SS;
  const $ = (id) => document.getElementById(id);
  const C = { token: sessionStorage.getItem("ss.admin") || null, system: null, ready: null,
              codes: [], issued: [], jobs: [], detail: null, retried: null };

  function admin(method, path, json) { return api(method, "/api/admin" + path, { token: C.token, json }); }

  function busy(button, on) { if (button) { button.disabled = on; button.setAttribute("aria-busy", on ? "true" : "false"); } }

  async function signIn(event) {
    event.preventDefault();
    const token = $("admin-token").value.trim();
    clear($("login-error"));
    if (!token) { $("login-error").append(h("p", { class: "error-main", text: t("con.need_token") })); return; }
    C.token = token;
    try {
      await loadSystem();
      sessionStorage.setItem("ss.admin", token);
      $("admin-token").value = "";
      enter();
    } catch (err) {
      C.token = null;
      showError($("login-error"), err);
    }
  }

  function signOut() {
    C.token = null;
    sessionStorage.removeItem("ss.admin");
    show($("console-body"), false);
    show($("login-form"), true);
    show($("signed-in"), false);
    $("admin-token").focus();
  }

  async function enter() {
    show($("login-form"), false);
    show($("signed-in"), true);
    show($("console-body"), true);
    await Promise.allSettled([loadSystem().then(renderSystem), loadCodes(), loadJobs()]);
  }

  /* ---------- system ---------- */
  async function loadSystem() {
    C.system = await admin("GET", "/system");
  }

  function checkOf(name) { return (C.system.checks || []).find((c) => c.name === name) || { details: {} }; }

  function renderSystem() {
    const root = clear($("system"));
    const s = C.system;
    if (!s) return;
    const stata = checkOf("stata").details || {};
    const llm = checkOf("llm").details || {};
    const q = s.queue || {};
    root.append(h("p", {}, h("span", { class: "status-pill " + (s.ready ? "succeeded" : "failed"), id: "readiness", text: s.ready ? t("con.ready") : t("con.not_ready") })));
    root.append(h("dl", { class: "facts" },
      h("dt", { text: t("con.stata") }), h("dd", { id: "stata-version", text: stata.version ? "Stata " + stata.version + (stata.edition ? " " + stata.edition : "") : "—" }),
      h("dt", { text: t("con.llm") }), h("dd", { id: "llm-model", text: llm.model ? llm.model + (llm.provider ? " (" + llm.provider + ")" : "") : "—" }),
      h("dt", { text: t("con.templates") }), h("dd", { text: valueText(s.templates) }),
      h("dt", { text: t("con.queue") }), h("dd", { id: "queue-depth", text: (q.queued ?? 0) + " " + t("con.queued") + " · " + (q.running ?? 0) + " " + t("con.running") +
        (q.oldest_queued_at ? " · " + t("con.oldest") + " " + formatTime(q.oldest_queued_at) : "") })));
    root.append(table([t("con.check"), t("con.state"), t("con.reason")], (s.checks || []).map((c) => [
      h("code", { text: c.name }),
      h("span", { class: "status-pill " + (c.ok ? "succeeded" : "failed"), text: c.ok ? "ok" : (c.error_code || "fail") }),
      c.ok ? h("span", { class: "muted", text: Object.entries(c.details || {}).map(([k, v]) => k + ": " + valueText(v)).join(" · ") })
           : h("span", {}, c.reason || "", c.how_to_fix ? h("span", { class: "fix", text: " → " + c.how_to_fix }) : null),
    ]), { caption: t("con.system") }));
    const leases = Object.entries(q.leases || {});
    root.append(h("h3", { text: t("con.workers") }));
    if (!leases.length) root.append(h("p", { class: "muted", text: t("con.no_workers") }));
    else {
      const rows = [];
      for (const [worker, held] of leases) {
        for (const l of held) rows.push([h("code", { text: worker }), h("code", { text: l.run_id }), valueText(l.claim_count),
          h("span", { class: l.expired ? "tag warn" : "" }, formatTime(l.lease_expires_at), l.expired ? " " + t("con.expired") : "")]);
      }
      root.append(table([t("con.worker"), "run", t("con.claims"), t("con.lease_until")], rows, { caption: t("con.workers") }));
    }
  }

  /* ---------- task codes ---------- */
  async function issue(event) {
    event.preventDefault();
    const button = event.submitter;
    busy(button, true);
    clear($("codes-error"));
    try {
      const body = {
        count: Number($("issue-count").value || 1),
        expires_in_days: Number($("issue-days").value || 30),
        tenant: $("issue-tenant").value.trim() || "default",
        label: $("issue-label").value.trim(),
      };
      const r = await admin("POST", "/task-codes", body);
      C.issued = r.task_codes;
      renderIssued();
      await loadCodes();
    } catch (err) {
      showError($("codes-error"), err);
    } finally {
      busy(button, false);
    }
  }

  function renderIssued() {
    const root = clear($("issued"));
    if (!C.issued.length) return;
    const all = C.issued.map((c) => c.task_code).join("\n");
    const close = h("button", { type: "button", class: "small link", text: t("common.close") });
    close.addEventListener("click", () => { C.issued = []; renderIssued(); });
    root.append(h("div", { class: "issued" },
      h("p", {}, h("strong", { text: t("con.issued") }), " ", C.issued.length > 1 ? copyButton(all) : null, " ", close),
      h("ul", { class: "codes" }, C.issued.map((c) => h("li", {},
        h("code", { class: "task-code", text: c.task_code }), " ", copyButton(c.task_code),
        h("span", { class: "muted", text: " " + t("con.expires") + " " + formatTime(c.expires_at) + " · " + c.tenant }))))));
  }

  async function loadCodes() {
    try {
      C.codes = (await admin("GET", "/task-codes?limit=200")).task_codes;
      renderCodes();
    } catch (err) {
      showError($("codes-error"), err);
    }
  }

  function codeState(c) {
    if (c.revoked_at) return h("span", { class: "tag warn", text: t("con.revoked") });
    if (c.redeemed_at) return h("span", { class: "tag ok", text: t("con.redeemed") });
    return h("span", { class: "tag", text: t("con.unused") });
  }

  function renderCodes() {
    const root = clear($("codes"));
    const rows = C.codes.map((c) => {
      let action = "";
      if (!c.revoked_at) {
        action = h("button", { type: "button", class: "small danger", text: t("con.revoke"), "aria-label": t("con.revoke") + " " + c.task_code_id });
        action.addEventListener("click", async () => {
          if (!window.confirm(t("con.revoke_confirm", { id: c.task_code_id }))) return;
          busy(action, true);
          try { await admin("POST", "/task-codes/" + encodeURIComponent(c.task_code_id) + "/revoke"); await loadCodes(); } catch (err) { showError($("codes-error"), err); busy(action, false); }
        });
      }
      return [h("code", { text: c.task_code_id }), c.tenant, c.label || "", formatTime(c.created_at), formatTime(c.expires_at),
        codeState(c), c.job_id ? h("code", { text: c.job_id }) : "", action];
    });
    root.append(table(["id", t("con.tenant"), t("con.label"), t("con.created"), t("con.expires"), t("con.state_col"), t("con.job"), ""], rows,
      { caption: t("con.codes"), class: "data codes-table" }));
  }

  /* ---------- jobs ---------- */
  async function loadJobs(event) {
    if (event) event.preventDefault();
    clear($("jobs-error"));
    const status = $("jobs-status").value;
    try {
      C.jobs = (await admin("GET", "/jobs?limit=200" + (status ? "&status=" + encodeURIComponent(status) : ""))).jobs;
      renderJobs();
    } catch (err) {
      showError($("jobs-error"), err);
    }
  }

  function renderJobs() {
    const root = clear($("jobs"));
    const needle = $("jobs-search").value.trim().toLowerCase();
    const shown = C.jobs.filter((j) => !needle || [j.job_id, j.tenant, j.template_id, j.status]
      .some((v) => String(v || "").toLowerCase().includes(needle)));
    if (!shown.length) { root.append(h("p", { class: "muted", text: t("con.no_jobs") })); return; }
    const rows = shown.map((j) => {
      const open = h("button", { type: "button", class: "small", text: t("con.open"), "aria-label": t("con.open") + " " + j.job_id });
      open.addEventListener("click", () => openJob(j.job_id));
      return [h("code", { text: j.job_id }), h("span", { class: "status-pill " + j.status, text: t("status." + j.status) }), j.tenant,
        j.template_id ? h("code", { text: j.template_id }) : "", formatTime(j.created_at), formatTime(j.updated_at), open];
    });
    root.append(table(["id", t("con.status_filter"), t("con.tenant"), t("con.template"), t("con.created"), t("con.updated"), ""], rows,
      { caption: t("con.jobs"), class: "data jobs-table" }));
  }

  async function openJob(jobId) {
    clear($("jobs-error"));
    try {
      C.detail = await admin("GET", "/jobs/" + encodeURIComponent(jobId));
      C.retried = null;
      renderDetail();
      $("job-detail").scrollIntoView({ block: "start" });
    } catch (err) {
      showError($("jobs-error"), err);
    }
  }

  function downloadButton(jobId, a) {
    const name = a.rel_path.split("/").pop();
    const button = h("button", { type: "button", class: "small", "data-rel-path": a.rel_path,
      "aria-label": t("results.download") + " " + name, text: t("results.download") });
    button.addEventListener("click", async () => {
      busy(button, true);
      const path = "/api/admin/jobs/" + encodeURIComponent(jobId) + "/artifacts/" + a.rel_path.split("/").map(encodeURIComponent).join("/");
      try { await download(path, C.token, name); } catch (err) { showError($("jobs-error"), err); } finally { busy(button, false); }
    });
    return button;
  }

  function renderDetail() {
    const root = clear($("job-detail"));
    const d = C.detail;
    if (!d) return;
    const box = h("div", { class: "detail" }, h("h3", {}, t("con.job") + " ", h("code", { text: d.job_id })));
    box.append(h("dl", { class: "facts" },
      h("dt", { text: t("con.status_filter") }), h("dd", {}, h("span", { class: "status-pill " + d.status, id: "detail-status", text: t("status." + d.status) })),
      d.requirement ? [h("dt", { text: "requirement" }), h("dd", { text: d.requirement })] : null,
      d.selected_template_id ? [h("dt", { text: t("con.template") }), h("dd", {}, h("code", { text: d.selected_template_id }))] : null,
      d.error ? [h("dt", { text: t("con.error") }), h("dd", {}, h("code", { text: d.error.error_code }), " ", d.error.message || "")] : null));
    if (d.status === "failed") {
      const retry = h("button", { type: "button", class: "primary", id: "admin-retry", text: t("con.retry") });
      retry.addEventListener("click", async () => {
        busy(retry, true);
        try {
          const r = await admin("POST", "/jobs/" + encodeURIComponent(d.job_id) + "/retry");
          C.retried = r.latest_run ? r.latest_run.attempt : null;
          C.detail = await admin("GET", "/jobs/" + encodeURIComponent(d.job_id));
          renderDetail();
          loadJobs();
        } catch (err) { showError($("jobs-error"), err); busy(retry, false); }
      });
      box.append(retry);
    }
    if (C.retried) box.append(h("p", { class: "success", role: "status", text: t("con.retried", { n: C.retried }) }));
    box.append(h("h4", { text: t("con.runs") }), table(["run", t("con.attempt"), t("con.claims"), t("con.status_filter"), t("con.started"), t("con.ended"), t("con.error")],
      (d.runs || []).map((r) => [h("code", { text: r.run_id }), r.attempt, r.claim_count, r.status, formatTime(r.started_at), formatTime(r.ended_at), r.error_code || ""]),
      { caption: t("con.runs"), class: "data runs-table" }));
    box.append(h("h4", { text: t("con.artifacts") }), table([t("results.file"), t("results.kind"), t("results.size"), ""],
      (d.artifact_index || []).map((a) => [h("code", { text: a.rel_path }), a.kind, formatBytes(a.size_bytes), downloadButton(d.job_id, a)]),
      { caption: t("con.artifacts"), class: "data artifacts-table" }));
    box.append(h("h4", { text: t("con.audit") }), table([t("con.at"), t("con.event"), t("con.data")],
      (d.audit || []).map((e) => [formatTime(e.at), h("code", { text: e.event }), h("code", { class: "muted", text: valueText(e.data) })]), { caption: t("con.audit"), class: "data audit-table" }));
    root.append(box);
  }

  function rerender() {
    renderSystem();
    renderIssued();
    renderCodes();
    renderJobs();
    renderDetail();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", signOut);
    $("issue-form").addEventListener("submit", issue);
    $("jobs-filter").addEventListener("submit", loadJobs);
    $("jobs-search").addEventListener("input", renderJobs);
    $("system-refresh").addEventListener("click", async () => {
      try { await loadSystem(); renderSystem(); } catch (err) { showError($("jobs-error"), err); }
    });
    window.SS.onLanguage(() => { if (C.token && C.system) rerender(); });
    if (C.token) enter().catch(() => signOut());
  });
})();
