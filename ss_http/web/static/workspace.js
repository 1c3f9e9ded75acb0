/* The researcher workspace: redeem -> upload -> preview -> draft -> plan -> run -> results.
   Everything shown comes from /v1 answers; decisions (what is ready, what is missing, what
   can be retried) are the service's, the page only displays them. */
"use strict";
(function () {
  const { t, h, clear, show, api, upload, showError, formatBytes, formatDuration, formatTime,
          valueText, fetchArtifact, download, parseCSV, table } = window.SS;
  const $ = (id) => document.getElementById(id);
  const KNOWN_COLUMN_KEYS = new Set(["name", "original_name", "inferred_type", "label", "missing_count"]);
  const POLL_MS = 1000;

  const S = {
    job: null, preview: null, draft: null, answers: {}, plan: null, planPreview: false, planBody: null, freezeError: null,
    status: null, artifacts: [], results: {}, pollTimer: null, clockTimer: null,
  };

  function jobPath(suffix) { return "/v1/jobs/" + encodeURIComponent(S.job.job_id) + (suffix || ""); }
  function call(method, suffix, json) { return api(method, jobPath(suffix), { token: S.job.token, json }); }

  /* A request the service may answer 202 (work still going on: an upload being inspected, a
     draft being made): asked again after its Retry-After until it answers. */
  async function settled(method, suffix, json) {
    for (;;) {
      const r = await api(method, jobPath(suffix), { token: S.job.token, json, withStatus: true });
      if (r.status !== 202) return r.data;
      await new Promise((resolve) => setTimeout(resolve, 1000 * Math.min(5, r.data.retry_after_seconds || 1)));
    }
  }

  function save() {
    if (S.job) sessionStorage.setItem("ss.job", JSON.stringify(S.job));
    else sessionStorage.removeItem("ss.job");
  }

  function setStep(step) {
    document.querySelectorAll("#steps li").forEach((li) => {
      if (li.dataset.step === step) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
  }

  function busy(button, on) {
    if (!button) return;
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  /* ---------- 1. redeem ---------- */
  async function onRedeem(event) {
    event.preventDefault();
    const code = $("task-code").value.trim();
    const requirement = $("requirement").value.trim();
    const box = $("redeem-error");
    clear(box);
    if (!code || !requirement) {
      box.append(h("p", { class: "error-main", text: t("redeem.missing") }));
      return;
    }
    const button = event.submitter || $("redeem-form").querySelector("button");
    busy(button, true);
    try {
      const r = await api("POST", "/v1/task-codes/redeem", { json: { task_code: code, requirement } });
      S.job = { job_id: r.job_id, token: r.token, requirement };
      save();
      await resume();
    } catch (err) {
      showError(box, err);
    } finally {
      busy(button, false);
    }
  }

  function renderJobLine() {
    const has = Boolean(S.job);
    show($("redeem-form"), !has);
    show($("job-line"), has);
    $("job-id").textContent = has ? S.job.job_id : "";
    $("job-requirement").textContent = has && S.job.requirement ? "“" + S.job.requirement + "”" : "";
  }

  function startOver() {
    stopPolling();
    Object.assign(S, { job: null, preview: null, draft: null, answers: {}, plan: null,
                       planPreview: false, planBody: null,
                       freezeError: null, status: null, artifacts: [], results: {} });
    save();
    ["sec-upload", "sec-draft", "sec-plan", "sec-run"].forEach((id) => show($(id), false));
    ["preview", "draft", "plan", "run-status", "results", "upload-error", "draft-error",
     "plan-error", "run-error", "redeem-error"].forEach((id) => clear($(id)));
    $("task-code").value = "";
    renderJobLine();
    setStep("redeem");
    $("task-code").focus();
  }

  /* ---------- 2. upload and preview ---------- */
  async function onUpload(event) {
    event.preventDefault();
    const input = $("file");
    const box = $("upload-error");
    clear(box);
    if (!input.files.length) {
      box.append(h("p", { class: "error-main", text: t("upload.choose") }));
      return;
    }
    const file = input.files[0];
    const form = new FormData();
    form.append("file", file, file.name);
    const bar = $("upload-bar");
    const text = $("upload-text");
    show($("upload-progress"), true);
    bar.value = 0;
    text.textContent = t("upload.progress", { done: formatBytes(0), total: formatBytes(file.size), percent: 0 });
    const button = $("upload-button");
    busy(button, true);
    try {
      await upload(jobPath("/inputs/upload"), S.job.token, form, (done, total) => {
        if (done < 0) {
          bar.value = 100;
          text.textContent = t("upload.processing", { total: formatBytes(file.size) });
          return;
        }
        const percent = total ? Math.round((done / total) * 100) : 0;
        bar.value = percent;
        text.textContent = t("upload.progress", { done: formatBytes(done), total: formatBytes(total), percent });
      });
      S.draft = null;
      S.answers = {};
      await loadPreview();
      text.textContent = t("upload.done", { name: file.name });
      await loadDraft();
    } catch (err) {
      bar.value = 0;
      show($("upload-progress"), false);
      showError(box, err);
    } finally {
      busy(button, false);
    }
  }

  async function loadPreview() {
    S.preview = await settled("GET", "/inputs/preview?rows=20&columns=200");
    renderPreview();
  }

  function missingShare(column, rows) {
    if (column.missing_count === undefined || column.missing_count === null || !rows) return "—";
    const share = (100 * column.missing_count) / rows;
    return (share > 0 && share < 0.1 ? "<0.1" : share.toFixed(share < 10 ? 1 : 0)) + "%";
  }

  /* Date detection is the service's: a date/time type, or any column field about dates
     (its value, e.g. the detected format, is shown). */
  function dateCell(column) {
    const facts = Object.entries(column)
      .filter(([key, value]) => !KNOWN_COLUMN_KEYS.has(key) && /date/i.test(key) && value !== null && value !== false && value !== "")
      .map(([key, value]) => (value === true ? "✓" : /frequency/.test(key) && window.SS.has("freq." + value) ? t("freq." + value) : valueText(value)));
    if (facts.length) return h("span", { class: "tag ok", text: facts.join(" · ") });
    return /date|time/i.test(String(column.inferred_type || "")) ? h("span", { class: "tag ok", text: "✓" }) : "";
  }

  function renderPreview() {
    const root = clear($("preview"));
    const p = S.preview;
    if (!p) return;
    root.append(h("h3", { text: t("preview.title") }));
    const counts = { rows: p.row_count, columns: p.column_count, encoding: p.encoding };
    root.append(h("p", { class: "muted", text: t(p.encoding ? "preview.summary" : "preview.summary_plain", counts) }));
    if ((p.sheet_names || []).length > 1) {
      const select = h("select", { id: "sheet-select" },
        p.sheet_names.map((name) => h("option", { value: name, selected: name === p.selected_sheet }, name)));
      const button = h("button", { type: "button", text: t("preview.use_sheet") });
      button.addEventListener("click", async () => {
        busy(button, true);
        try {
          S.preview = await settled("POST", "/inputs/primary/sheet?sheet_name=" + encodeURIComponent(select.value));
          S.draft = null;
          renderPreview();
          await loadDraft();
        } catch (err) { showError($("upload-error"), err); } finally { busy(button, false); }
      });
      root.append(h("div", { class: "field inline" }, h("label", { for: "sheet-select", text: t("preview.sheet") }), select, button));
    }
    const extra = [];
    for (const column of p.columns) {
      for (const key of Object.keys(column)) if (!KNOWN_COLUMN_KEYS.has(key) && !/date/i.test(key) && !extra.includes(key)) extra.push(key);
    }
    const headers = [t("col.original"), t("col.name"), t("col.type"), t("col.label"), t("col.missing"), t("col.date"),
      ...extra.map((key) => (window.SS.has("col." + key) ? t("col." + key) : key))];
    const rows = p.columns.map((c) => [
      c.original_name,
      c.name === c.original_name ? h("code", {}, c.name) : h("span", {}, h("code", {}, c.name), " ", h("span", { class: "tag", text: t("col.renamed") })),
      window.SS.has("type." + c.inferred_type) ? h("span", { title: c.inferred_type, text: t("type." + c.inferred_type) }) : c.inferred_type,
      c.label && c.label !== c.original_name ? c.label : "",
      missingShare(c, p.row_count),
      dateCell(c),
      ...extra.map((key) => valueText(c[key])),
    ]);
    root.append(h("h4", { text: t("preview.columns") }), table(headers, rows, { caption: t("preview.columns"), class: "data columns" }));
    const names = p.columns.map((c) => c.name);
    const sample = (p.sample_rows || []).map((r) => names.map((n) => valueText(r[n])));
    if (sample.length) {
      root.append(h("details", {}, h("summary", { text: t("preview.sample") }),
        table(names, sample, { caption: t("preview.sample") })));
    }
  }

  /* ---------- 3. draft ---------- */
  async function loadDraft() {
    show($("sec-draft"), true);
    setStep("draft");
    const root = clear($("draft"));
    clear($("draft-error"));
    root.append(h("p", { class: "muted", text: t("draft.loading") }));
    try {
      S.draft = await settled("GET", "/draft/preview");
      renderDraft();
    } catch (err) {
      clear(root);
      const again = h("button", { type: "button", text: t("common.try_again") });
      again.addEventListener("click", loadDraft);
      showError($("draft-error"), err, again);
    }
  }

  async function patchDraft(updates, button) {
    busy(button, true);
    clear($("draft-error"));
    try {
      const r = await call("POST", "/draft/patch", { field_updates: updates });
      S.draft = r.draft_preview;
      if (S.planPreview) { S.plan = null; S.planPreview = false; renderPlan(); }  // stale now
      renderDraft();
    } catch (err) {
      showError($("draft-error"), err);
    } finally {
      busy(button, false);
    }
  }

  /* A column's name with its original spelling when normalisation changed it. */
  function columnLabel(name) {
    const column = S.preview && (S.preview.columns || []).find((c) => c.name === name);
    return column && column.original_name && column.original_name !== name ? name + " (" + column.original_name + ")" : String(name);
  }

  /* A bound parameter's value; columns carry their original spelling, as in the draft. */
  function boundText(value) {
    if (Array.isArray(value)) return value.map(boundText).join(", ");
    return typeof value === "string" ? columnLabel(value) : valueText(value);
  }

  function optionsOf(item) {
    const raw = Array.isArray(item.options) && item.options.length ? item.options : (item.candidates || []);
    return raw.map((o) => (o !== null && typeof o === "object"
      ? { option_id: String(o.option_id ?? o.value ?? o.name),
          label: o.option_id === ":unset" ? t("draft.unset") : String(o.label ?? o.name ?? o.value), value: o.value ?? o.name }
      : { option_id: String(o), label: columnLabel(o), value: o }));
  }

  function questionFor(unknown) {
    return (S.draft.stage1_questions || []).find((q) => q.question_id === unknown.field || String(q.question_id).endsWith(":" + unknown.field));
  }

  function roleEditor(role) {
    const id = "role-" + role.field;
    const candidates = S.draft.column_candidates || [];
    let input;
    if (role.kind === "variables") {
      const current = new Set(role.value || []);
      input = h("select", { id, multiple: true, size: Math.min(6, candidates.length) },
        candidates.map((c) => h("option", { value: c, selected: current.has(c) }, columnLabel(c))));
    } else if (role.kind === "number") {
      input = h("input", { id, type: "number", step: "any", value: role.value ?? "" });
    } else {
      input = h("select", { id }, h("option", { value: "", text: t("draft.none") }),
        candidates.map((c) => h("option", { value: c, selected: c === role.value }, columnLabel(c))));
    }
    const button = h("button", { type: "button", class: "small", text: t("draft.save_role") });
    button.addEventListener("click", () => {
      let value;
      if (role.kind === "variables") value = Array.from(input.selectedOptions).map((o) => o.value);
      else if (role.kind === "number") value = input.value === "" ? null : Number(input.value);
      else value = input.value || null;
      patchDraft({ [role.field]: value }, button);
    });
    return h("details", { class: "role-edit" }, h("summary", { text: t("draft.change") }),
      h("label", { for: id, class: "sr-only", text: role.description || role.field }), input, button);
  }

  function renderRoles(root) {
    const d = S.draft;
    const roles = (d.roles || []).filter((r) => (Array.isArray(r.value) ? r.value.length : r.value !== null && r.value !== undefined));
    if (!roles.length) return;
    root.append(h("h3", { text: t("draft.roles") }));
    root.append(table([t("draft.role"), t("draft.column"), ""], roles.map((r) => [
      h("span", {}, h("strong", { text: window.SS.has("role." + r.role) ? t("role." + r.role) : (r.description || r.role) }), " ", h("code", { class: "muted", text: r.field })),
      Array.isArray(r.value) ? r.value.map((v) => h("code", { class: "chip", text: columnLabel(v) })) : h("code", { class: "chip", text: r.kind === "number" ? valueText(r.value) : columnLabel(r.value) }),
      planFrozen() ? "" : roleEditor(r),
    ]), { caption: t("draft.roles") }));
  }

  function unknownForm(u, index) {
    const name = "unknown-" + index;
    const options = optionsOf(u);
    const q = questionFor(u);
    const legend = h("legend", {}, (q && q.question_text) || u.question || u.description || u.field);
    const fieldset = h("fieldset", { class: "question" + (u.blocking ? " blocking" : "") }, legend);
    if (u.description && q && !String(q.question_text).includes(u.description)) fieldset.append(h("p", { text: u.description }));
    if (u.impact) fieldset.append(h("p", { class: "muted", text: u.impact }));
    if (u.blocking) fieldset.append(h("p", { class: "tag warn", text: t("draft.blocking") }));
    options.forEach((o, i) => {
      const id = name + "-" + i;
      fieldset.append(h("div", { class: "choice" },
        h("input", { type: "radio", name, id, value: o.option_id }),
        h("label", { for: id, text: o.label })));
    });
    const button = h("button", { type: "button", class: "primary small", text: t("draft.answer") });
    button.addEventListener("click", () => {
      const picked = fieldset.querySelector("input[name='" + name + "']:checked");
      if (!picked) { fieldset.querySelector("input")?.focus(); return; }
      const option = options.find((o) => o.option_id === picked.value);
      const field = u.field || u.question_id;
      if (field === "template_id") patchDraft({ template_id: option.value }, button);
      else patchDraft({ [field]: option.value }, button);
    });
    if (options.length) fieldset.append(button);
    return fieldset;
  }

  function questionForm(q) {
    const multi = /multi|checkbox/i.test(String(q.question_type || ""));
    const name = "q-" + q.question_id;
    const fieldset = h("fieldset", { class: "question" }, h("legend", { text: q.question_text }));
    const chosen = new Set(S.answers[q.question_id] || []);
    optionsOf(q).forEach((o, i) => {
      const id = name + "-" + i;
      const input = h("input", { type: multi ? "checkbox" : "radio", name, id, value: o.option_id, checked: chosen.has(o.option_id) });
      input.addEventListener("change", () => {
        const picked = Array.from(fieldset.querySelectorAll("input:checked")).map((x) => x.value);
        S.answers[q.question_id] = picked;
      });
      fieldset.append(h("div", { class: "choice" }, input, h("label", { for: id, text: o.label })));
    });
    return fieldset;
  }

  function renderTemplates(root) {
    const d = S.draft;
    const sel = d.selected_template || {};
    root.append(h("h3", { text: t("draft.template") }));
    root.append(h("div", { class: "template-card" },
      h("p", {}, h("strong", { text: sel.title || sel.template_id }), " ", h("code", { class: "muted", text: sel.template_id }),
        sel.confidence !== undefined && sel.confidence !== null ? h("span", { class: "tag", text: t("draft.confidence", { value: Number(sel.confidence).toFixed(2) }) }) : null),
      sel.rationale ? h("p", { text: sel.rationale }) : null));
    const scores = Object.fromEntries((d.template_candidates || []).map((c) => [c.template_id, c]));
    const others = (Array.isArray(d.alternatives) ? d.alternatives : (d.template_candidates || []))
      .filter((c) => c.template_id !== sel.template_id)
      .map((c) => ({ ...(scores[c.template_id] || {}), ...c }));
    if (!others.length) return;
    const list = h("ul", { class: "alternatives", "aria-label": t("draft.alternatives") });
    for (const c of others) {
      const button = h("button", { type: "button", class: "small", text: t("draft.use_template"),
        "aria-label": t("draft.use_template") + ": " + (c.title || c.template_id) });
      button.addEventListener("click", () => patchDraft({ template_id: c.template_id }, button));
      if (planFrozen()) button.hidden = true;
      list.append(h("li", {}, h("span", {}, h("strong", { text: c.title || c.template_id }), " ",
        h("code", { class: "muted", text: c.template_id }),
        c.score !== undefined && c.score !== null ? h("span", { class: "muted", text: " · " + t("draft.score", { value: Number(c.score).toFixed(2) }) }) : null,
        c.why ? h("span", { class: "why", text: valueText(c.why) }) : null),
        button));
    }
    root.append(h("h4", { text: t("draft.alternatives") }), list);
  }

  function renderDraft() {
    const root = clear($("draft"));
    const d = S.draft;
    if (!d) return;
    const state = d.readiness || d.decision;
    if (state) {
      const key = "decision." + state;
      root.append(h("p", { class: "decision " + state },
        h("span", { class: "muted", text: t("draft.decision") + ": " }),
        h("strong", { id: "draft-state", "data-decision": state, "data-client-decision": d.decision || "", text: window.SS.has(key) ? t(key) : state })));
    }
    if ((d.decision_reasons || []).length) {
      root.append(h("ul", { class: "reasons" }, d.decision_reasons.map((r) => h("li", { text: valueText(r) }))));
    }
    if (d.draft_text) root.append(h("blockquote", { class: "understood", text: d.draft_text }));
    const facts = [["draft.goal", d.goal], ["draft.analysis_type", d.analysis_type], ["draft.model", d.model]]
      .filter(([, v]) => v);
    if (facts.length) root.append(h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", { text: t(k) }), h("dd", { text: v })])));
    const unknowns = (d.open_unknowns || []);
    const asked = new Set(unknowns.map(questionFor).filter(Boolean).map((q) => q.question_id));
    const questions = [...(d.stage1_questions || []), ...(d.open_questions || [])]
      .filter((q) => !asked.has(q.question_id));
    if (unknowns.length || questions.length) {
      const box = h("div", { class: "questions" }, h("h3", { text: t("draft.questions") }));
      unknowns.forEach((u, i) => box.append(unknownForm(u, i)));
      questions.forEach((q) => box.append(questionForm(q)));
      root.append(box);
    }
    renderRoles(root);
    renderTemplates(root);
    if ((d.data_notes || []).length) {
      root.append(h("h4", { text: t("draft.data_notes") }), h("ul", { class: "notes" }, d.data_notes.map((n) => h("li", { text: valueText(n) }))));
    }
    root.append(moreFields(d, DRAFT_SHOWN));
    if ((d.dropped_mentions || []).length) {
      root.append(h("details", {}, h("summary", { text: t("draft.dropped") }),
        h("ul", {}, d.dropped_mentions.map((m) => h("li", { text: valueText(m) })))));
    }
    if (!S.plan || S.planPreview) {
      const notes = h("textarea", { id: "plan-notes", rows: 2 });
      if (S.planBody && S.planBody.notes) notes.value = S.planBody.notes;
      const button = h("button", { type: "button", class: "primary", id: "prepare-plan", text: t("draft.prepare_plan") });
      button.addEventListener("click", () => previewPlan({}, button));
      root.append(h("div", { class: "field" }, h("label", { for: "plan-notes", text: t("draft.notes") }), notes), button);
    }
  }

  /* ---------- 4. plan ---------- */
  /* Once frozen the draft is locked; a previewed plan leaves it editable. */
  function planFrozen() { return Boolean(S.plan) && !S.planPreview; }

  /* The plan is shown before it is frozen (POST /plan/preview: the same binding, nothing
     stored); "Run the analysis" then freezes exactly that request and queues it. */
  async function previewPlan(params, button) {
    busy(button, true);
    clear($("plan-error"));
    const notes = $("plan-notes") ? $("plan-notes").value : "";
    try {
      const body = { answers: S.answers, params };
      if (notes) body.notes = notes;
      const r = await call("POST", "/plan/preview", body);
      S.plan = r.plan;
      S.planPreview = true;
      S.planBody = body;
      S.freezeError = null;
      renderDraft();
      renderPlan();
      $("h-plan").scrollIntoView({ block: "start" });
    } catch (err) {
      show($("sec-plan"), true);
      S.freezeError = err;
      renderPlan();
    } finally {
      busy(button, false);
    }
  }

  /* Whatever else the service answered, shown as-is: new contract fields appear without a
     page change. */
  const DRAFT_SHOWN = new Set(["job_id", "draft_id", "status", "draft_text", "goal", "analysis_type", "model",
    "roles", "open_unknowns", "stage1_questions", "open_questions", "selected_template", "template_candidates",
    "alternatives", "decision", "readiness", "decision_reasons", "data_notes", "dropped_mentions",
    "column_candidates", "variable_types", "column_name_normalizations"]);
  const PLAN_SHOWN = new Set(["plan_id", "template", "params_contract", "dependencies", "outputs_contract"]);

  function moreFields(object, shown) {
    const rest = Object.entries(object).filter(([key, value]) => !shown.has(key) && value !== null
      && !(Array.isArray(value) && !value.length) && !(typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length));
    if (!rest.length) return "";
    return h("details", { class: "more" }, h("summary", { text: t("common.more") }),
      h("dl", { class: "facts" }, rest.map(([key, value]) => [h("dt", {}, h("code", { text: key })),
        h("dd", {}, typeof value === "object" ? h("pre", { class: "json", text: JSON.stringify(value, null, 1) }) : String(value))])));
  }

  function missingForm(err) {
    const body = err.body;
    const form = h("form", { class: "missing", novalidate: true });
    form.append(h("p", { text: t("plan.missing") }));
    const details = body.missing_params_detail || [];
    const inputs = {};
    const listed = new Set();
    details.forEach((m, i) => {
      const id = "param-" + i;
      listed.add(m.param);
      const candidates = m.candidates && m.candidates.length ? m.candidates : (S.draft ? S.draft.column_candidates || [] : []);
      const input = candidates.length
        ? h("select", { id }, h("option", { value: "", text: t("plan.choose") }), candidates.map((c) => h("option", { value: c, text: columnLabel(c) })))
        : h("input", { id });
      inputs[m.param] = input;
      form.append(h("div", { class: "field" }, h("label", { for: id }, h("code", { text: m.param }), " ", m.description || ""), input));
    });
    for (const p of body.missing_params || []) {
      if (listed.has(p)) continue;
      const id = "param-x-" + p;
      inputs[p] = h("input", { id });
      form.append(h("div", { class: "field" }, h("label", { for: id }, h("code", { text: p })), inputs[p]));
    }
    const other = [...(body.missing_fields_detail || []), ...(body.invalid_params || [])];
    if (other.length) form.append(h("ul", {}, other.map((x) => h("li", { text: valueText(x) }))));
    const button = h("button", { type: "submit", class: "primary", text: t("plan.supply") });
    form.append(button);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const params = {};
      for (const [k, input] of Object.entries(inputs)) if (input.value) params[k] = input.value;
      previewPlan(params, button);
    });
    return form;
  }

  function renderPlan() {
    const root = clear($("plan"));
    show($("sec-plan"), Boolean(S.plan || S.freezeError));
    if (S.freezeError) {
      setStep("plan");
      const err = S.freezeError;
      showError($("plan-error"), err, err.code === "PLAN_FREEZE_MISSING_REQUIRED" ? missingForm(err) : null);
      return;
    }
    const plan = S.plan;
    if (!plan) return;
    setStep("plan");
    const tpl = plan.template || {};
    root.append(h("p", { id: "plan-state", class: S.planPreview ? "tag" : "tag ok",
      text: S.planPreview ? t("plan.preview") : t("plan.frozen") }));
    root.append(h("dl", { class: "facts" },
      h("dt", { text: t("plan.template") }), h("dd", {}, h("strong", { text: tpl.title || tpl.template_id }), " ", h("code", { class: "muted", text: tpl.template_id + (tpl.version ? " v" + tpl.version : "") })),
      h("dt", { text: t("plan.why") }), h("dd", { text: tpl.rationale || (tpl.selection && tpl.selection.rationale) || "—" }),
      h("dt", { text: t("plan.id") }), h("dd", {}, h("code", { text: plan.plan_id }))));
    const bound = (plan.params_contract && plan.params_contract.bound_values) || {};
    root.append(h("h3", { text: t("plan.params") }),
      table([t("plan.param"), t("plan.value")], Object.entries(bound).map(([k, v]) => [h("code", { text: k }), boundText(v)]), { caption: t("plan.params") }));
    const deps = plan.dependencies || [];
    if (deps.length) {
      root.append(h("h3", { text: t("plan.dependencies") }), h("ul", { class: "deps" }, deps.map((d) => h("li", {},
        h("code", { text: d.name }), " ", h("span", { class: "tag", text: d.kind }),
        d.min_version ? " ≥ " + d.min_version : "",
        (d.provides_commands || []).length ? h("span", { class: "muted", text: " — " + d.provides_commands.join(", ") }) : null))));
    }
    const outputs = (plan.outputs_contract && plan.outputs_contract.declared) || [];
    if (outputs.length) {
      root.append(h("h3", { text: t("plan.outputs") }), h("ul", { class: "outputs" }, outputs.map((o) => h("li", {},
        h("code", { text: o.file }), " ", h("span", { class: "tag", text: o.kind }), " ",
        h("span", { class: "muted", text: (o.required ? t("plan.required") : t("plan.optional")) + (o.description ? " — " + o.description : "") })))));
    }
    root.append(moreFields(plan, PLAN_SHOWN));
    if (!S.status || !["queued", "running", "succeeded", "failed", "cancelled"].includes(S.status.status)) {
      const button = h("button", { type: "button", class: "primary", id: "run-button", text: t("plan.run") });
      button.addEventListener("click", () => (S.planPreview ? freezeAndRun(button) : run(button)));
      root.append(button);
    }
  }

  async function freezeAndRun(button) {
    busy(button, true);
    clear($("plan-error"));
    try {
      const r = await call("POST", "/plan/freeze", S.planBody || {});
      S.plan = r.plan;
      S.planPreview = false;
    } catch (err) {
      S.freezeError = err;
      busy(button, false);
      renderPlan();
      return;
    }
    renderDraft();
    const state = $("plan-state");
    if (state) { state.className = "tag ok"; state.textContent = t("plan.frozen"); }
    await run(button);
  }

  /* ---------- 5. run, status, results ---------- */
  async function run(button) {
    busy(button, true);
    clear($("run-error"));
    try {
      await call("POST", "/run");
      show($("sec-run"), true);
      S.results = {};
      clear($("results"));
      await poll();
      button.remove();
    } catch (err) {
      show($("sec-run"), true);
      showError($("run-error"), err);
      busy(button, false);
    }
  }

  function stopPolling() {
    clearTimeout(S.pollTimer);
    clearInterval(S.clockTimer);
    S.pollTimer = null;
    S.clockTimer = null;
  }

  function terminal(status) { return ["succeeded", "failed", "cancelled"].includes(status); }

  async function poll() {
    clearTimeout(S.pollTimer);
    try {
      S.status = await call("GET", "");
    } catch (err) {
      showError($("run-error"), err);
      S.pollTimer = setTimeout(poll, POLL_MS * 3);
      return;
    }
    renderStatus();
    if (terminal(S.status.status)) {
      const wasWatching = Boolean(S.clockTimer);
      clearInterval(S.clockTimer);
      S.clockTimer = null;
      await loadResults();
      if (wasWatching) $("h-run").scrollIntoView({ block: "start" });
    } else {
      if (!S.clockTimer) S.clockTimer = setInterval(renderStatus, 1000);
      S.pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  function elapsedSeconds() {
    const st = S.status;
    const runInfo = st.latest_run || {};
    const start = runInfo.started_at || st.timestamps.queued_at || st.timestamps.scheduled_at;
    if (!start) return null;
    const end = runInfo.ended_at && terminal(st.status) ? new Date(runInfo.ended_at) : new Date();
    return (end - new Date(start)) / 1000;
  }

  function renderStatus() {
    const root = clear($("run-status"));
    const st = S.status;
    if (!st) return;
    show($("sec-run"), true);
    setStep("run");
    const elapsed = elapsedSeconds();
    root.append(h("dl", { class: "facts status" },
      h("dt", { text: t("run.status") }),
      h("dd", {}, h("span", { class: "status-pill " + st.status, id: "job-status", "data-status": st.status, text: t("status." + st.status) }),
        st.latest_run ? h("span", { class: "muted", text: " · " + t("run.attempt", { n: st.latest_run.attempt }) }) : null),
      elapsed !== null ? [h("dt", { text: t("run.elapsed") }), h("dd", { id: "elapsed", text: formatDuration(elapsed) })] : null));
  }

  function artifactPath(a) { return jobPath("/artifacts/" + a.rel_path.split("/").map(encodeURIComponent).join("/")); }
  function basename(path) { return path.split("/").pop(); }

  async function loadResults() {
    try {
      S.artifacts = (await call("GET", "/artifacts")).artifacts || [];
    } catch (err) {
      showError($("run-error"), err);
      return;
    }
    const runId = S.status.latest_run && S.status.latest_run.run_id;
    const ofRun = (a) => !runId || !a.run_id || a.run_id === runId;
    const results = { tables: [], figures: [], log: null, meta: null };
    const tasks = [];
    for (const a of S.artifacts.filter(ofRun)) {
      const type = a.content_type || "";
      if (a.kind === "run_meta") tasks.push(fetchArtifact(artifactPath(a), S.job.token).then((r) => r.json()).then((m) => { results.meta = m; }));
      else if (a.kind === "stata_log") tasks.push(fetchArtifact(artifactPath(a), S.job.token).then((r) => r.text()).then((text) => { results.log = { artifact: a, text }; }));
      else if (a.kind.startsWith("output_") && (type.includes("csv") || a.rel_path.endsWith(".csv"))) {
        tasks.push(fetchArtifact(artifactPath(a), S.job.token).then((r) => r.text()).then((text) => { results.tables.push({ artifact: a, rows: parseCSV(text) }); }));
      } else if (type.startsWith("image/")) {
        tasks.push(fetchArtifact(artifactPath(a), S.job.token).then((r) => r.blob()).then((blob) => { results.figures.push({ artifact: a, url: URL.createObjectURL(blob) }); }));
      }
    }
    await Promise.allSettled(tasks);
    results.tables.sort((x, y) => x.artifact.rel_path.localeCompare(y.artifact.rel_path));
    results.figures.sort((x, y) => x.artifact.rel_path.localeCompare(y.artifact.rel_path));
    S.results = results;
    renderResults();
  }

  function failingLineIndex(lines, diagnosis) {
    const command = diagnosis && diagnosis.failing_command;
    const rcLine = lines.findIndex((line) => /^r\(\d+\);\s*$/.test(line.trim()));
    if (command) {
      const limit = rcLine >= 0 ? rcLine : lines.length;
      for (let i = limit - 1; i >= 0; i -= 1) {
        const line = lines[i].replace(/^\s*(\d+\.|\.)\s?/, "").trim();
        if (line === command.trim()) return i;
      }
    }
    return rcLine;
  }

  function renderLog(root, open) {
    const log = S.results.log;
    if (!log) return;
    const diagnosis = S.results.meta && S.results.meta.diagnosis;
    const lines = log.text.split(/\r?\n/);
    const bad = S.status.status === "failed" ? failingLineIndex(lines, diagnosis) : -1;
    const pre = h("pre", { class: "log", tabindex: "0", "aria-label": t("results.log") });
    lines.forEach((line, i) => {
      const isBad = i === bad || (bad >= 0 && i > bad && /^r\(\d+\);\s*$/.test(line.trim()) && i - bad < 6);
      pre.append(h("span", { class: "log-line" + (isBad ? " failing" : ""), "data-line": i + 1, id: isBad && i === bad ? "failing-line" : null }, line + "\n"));
    });
    const box = h("details", { class: "log-box", open: open }, h("summary", { text: t("results.log") + " (" + basename(log.artifact.rel_path) + ")" }));
    if (bad >= 0) box.append(h("p", { class: "muted", text: t("results.failing_line") }));
    box.append(pre);
    root.append(box);
    if (bad >= 0) {
      const target = pre.querySelector("#failing-line");
      if (target) requestAnimationFrame(() => { pre.scrollTop = Math.max(0, target.offsetTop - pre.offsetTop - 60); });
    }
  }

  function renderFailure(root) {
    const st = S.status;
    const error = st.error || {};
    const diagnosis = (S.results.meta && S.results.meta.diagnosis) || {};
    const box = h("div", { class: "failure", role: "alert" }, h("h3", { text: t("run.failed") }));
    const code = error.error_code || (st.latest_run && st.latest_run.error_code);
    const friendly = code && window.SS.has("error." + code) ? t("error." + code) : null;
    box.append(h("p", { class: "what", id: "diagnosis" }, h("strong", { text: t("run.what_happened") + ": " }), diagnosis.message || error.message || friendly || code || ""));
    if (friendly && friendly !== (diagnosis.message || error.message)) box.append(h("p", { text: friendly }));
    if (diagnosis.failing_command) box.append(h("p", {}, t("run.failing_command") + ": ", h("code", { text: diagnosis.failing_command }), diagnosis.rc ? h("span", { class: "muted", text: " r(" + diagnosis.rc + ")" }) : null));
    for (const key of ["missing_packages", "missing_commands", "missing_outputs"]) {
      if ((error[key] || []).length) box.append(h("p", {}, h("code", { text: key }), ": ", error[key].join(", ")));
    }
    box.append(h("p", { class: "muted", text: code || "" }));
    if (error.retryable) {
      const button = h("button", { type: "button", class: "primary", id: "retry-button", text: t("run.retry") });
      button.addEventListener("click", async () => {
        busy(button, true);
        try {
          await call("POST", "/run");
          S.results = {};
          clear($("results"));
          await poll();
        } catch (err) {
          showError($("run-error"), err);
          busy(button, false);
        }
      });
      box.append(button);
    } else {
      box.append(h("p", { class: "muted", text: t("run.not_retryable") }));
    }
    root.append(box);
  }

  function renderResults() {
    const root = clear($("results"));
    const st = S.status;
    if (!st || !terminal(st.status)) return;
    const r = S.results;
    if (st.status === "failed") renderFailure(root);
    if (st.status === "succeeded") root.append(h("p", { class: "success", role: "status", text: t("run.succeeded") }));
    if ((r.tables || []).length) {
      root.append(h("h3", { text: t("results.tables") }));
      for (const tbl of r.tables) {
        const [head, ...rows] = tbl.rows.filter((row) => row.length > 1 || row[0] !== "");
        if (!head) continue;
        const shown = rows.slice(0, 200);
        root.append(h("h4", { text: basename(tbl.artifact.rel_path) }), table(head, shown, { caption: basename(tbl.artifact.rel_path), class: "data result" }));
        if (rows.length > shown.length) root.append(h("p", { class: "muted", text: t("results.rows_shown", { shown: shown.length, total: rows.length }) }));
      }
    }
    if ((r.figures || []).length) {
      root.append(h("h3", { text: t("results.figures") }));
      root.append(h("div", { class: "figures" }, r.figures.map((f) => h("figure", {},
        h("img", { src: f.url, alt: basename(f.artifact.rel_path) }), h("figcaption", { text: basename(f.artifact.rel_path) })))));
    }
    if (st.status === "succeeded") renderReport(root);
    renderLog(root, st.status === "failed");
    renderArtifacts(root);
  }

  /* The results report (html, docx, xlsx) the service builds after a successful run; the
     researcher can (re)build it in the page's language. */
  function renderReport(root) {
    const reports = S.artifacts.filter((a) => a.kind === "report");
    const box = h("div", { class: "report", id: "report" }, h("h3", { text: t("report.title") }));
    if (reports.length) {
      box.append(h("ul", { class: "report-files" }, reports.map((a) => h("li", {}, downloadButton(a, true), " ",
        h("span", { class: "muted", text: formatBytes(a.size_bytes) })))));
    } else {
      box.append(h("p", { class: "muted", text: t("report.none") }));
    }
    const lang = window.SS.lang();
    const build = h("button", { type: "button", id: "build-report", text: t("report.build") });
    build.addEventListener("click", async () => {
      busy(build, true);
      clear($("run-error"));
      try {
        const r = await call("POST", "/report", { language: lang });
        if (r.status !== "built") showError($("run-error"), new window.SS.ApiError(500, { error_code: r.error_code }));
        await loadResults();
      } catch (err) {
        showError($("run-error"), err);
        busy(build, false);
      }
    });
    box.append(build);
    root.append(box);
  }

  function downloadButton(a, named) {
    const name = basename(a.rel_path);
    const button = h("button", { type: "button", class: "small", "data-rel-path": a.rel_path,
      "aria-label": t("results.download") + " " + name, text: named ? t("results.download") + " " + name : t("results.download") });
    button.addEventListener("click", async () => {
      busy(button, true);
      try { await download(artifactPath(a), S.job.token, name); } catch (err) { showError($("run-error"), err); } finally { busy(button, false); }
    });
    return button;
  }

  function renderArtifacts(root) {
    if (!S.artifacts.length) return;
    root.append(h("h3", { text: t("results.artifacts") }));
    const order = (a) => (a.kind === "report" || a.kind.startsWith("output_") ? 0 : ["stata_log", "do_file", "plan", "run_meta"].includes(a.kind) ? 1 : 2);
    const sorted = [...S.artifacts].sort((x, y) => order(x) - order(y) || x.rel_path.localeCompare(y.rel_path));
    const rows = sorted.map((a) => [h("code", { text: a.rel_path }), a.kind, formatBytes(a.size_bytes), downloadButton(a, false)]);
    root.append(table([t("results.file"), t("results.kind"), t("results.size"), ""], rows, { caption: t("results.artifacts"), class: "data artifacts", full: true }));
  }

  /* ---------- resume after reload ---------- */
  async function resume() {
    renderJobLine();
    show($("sec-upload"), true);
    setStep("upload");
    try {
      S.status = await call("GET", "");
    } catch (err) {
      showError($("redeem-error"), err);
      if (err.status === 403 || err.status === 401) { S.job = null; save(); renderJobLine(); show($("sec-upload"), false); }
      return;
    }
    const st = S.status.status;
    if (st === "created") { $("file").focus(); return; }
    try { await loadPreview(); } catch (err) { showError($("upload-error"), err); }
    await loadDraft();
    if (S.status.plan_id) {
      try { S.plan = (await call("GET", "/plan")).plan; } catch (_) { S.plan = null; }
      renderDraft();
      renderPlan();
    }
    if (["queued", "running", "succeeded", "failed", "cancelled"].includes(st)) await poll();
  }

  function rerender() {
    renderJobLine();
    renderPreview();
    if (S.draft) renderDraft();
    renderPlan();
    if (S.status && $("sec-run").hidden === false) { renderStatus(); renderResults(); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("redeem-form").addEventListener("submit", onRedeem);
    $("upload-form").addEventListener("submit", onUpload);
    $("start-over").addEventListener("click", startOver);
    window.SS.onLanguage(rerender);
    const saved = sessionStorage.getItem("ss.job");
    if (saved) {
      try { S.job = JSON.parse(saved); } catch (_) { S.job = null; }
    }
    if (S.job) resume(); else setStep("redeem");
  });
})();
