/* SS page toolkit: messages, safe DOM building, the HTTP client (/v1 and /api/admin only),
   upload with progress, downloads, CSV tables. Data is only ever set as text, never markup. */
"use strict";
(function () {
  const catalogue = JSON.parse(document.getElementById("ss-catalogue").textContent);
  const urlLang = new URLSearchParams(location.search).get("lang");
  let lang = document.documentElement.dataset.lang;
  const saved = localStorage.getItem("ss.lang");
  if (!urlLang && saved && catalogue[saved]) lang = saved;
  const listeners = [];

  function has(key) { return key in catalogue[lang] || key in catalogue.en; }

  function t(key, vars) {
    let text = catalogue[lang][key] ?? catalogue.en[key] ?? key;
    for (const [name, value] of Object.entries(vars || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  function translateStatic(root) {
    const scope = root || document;
    scope.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    scope.querySelectorAll("[data-i18n-aria-label]").forEach((el) => {
      el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
    });
  }

  function setLanguage(next) {
    if (!catalogue[next]) return;
    lang = next;
    localStorage.setItem("ss.lang", next);
    document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
    document.documentElement.dataset.lang = next;
    translateStatic();
    listeners.forEach((fn) => fn());
  }

  function onLanguage(fn) { listeners.push(fn); }

  /* h("tag", {attrs}, children...): attributes starting with "on" are listeners. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value);
      } else if (key === "class") {
        el.className = value;
      } else if (key === "text") {
        el.textContent = value;
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  function show(el, visible) { el.hidden = !visible; }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || "HTTP " + status);
      this.status = status;
      this.body = body || {};
      this.code = this.body.error_code || (status === 0 ? "NETWORK" : "HTTP_" + status);
    }
  }

  async function api(method, path, options) {
    const opts = options || {};
    const headers = { Accept: "application/json" };
    if (opts.token) headers.Authorization = "Bearer " + opts.token;
    let body;
    if (opts.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.json);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body, cache: "no-store" });
    } catch (err) {
      throw new ApiError(0, { error_code: "NETWORK", message: String(err) });
    }
    let data = null;
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) data = await response.json();
    else if (opts.raw) data = response;
    else data = { text: await response.text() };
    if (!response.ok) throw new ApiError(response.status, data);
    return opts.withStatus ? { status: response.status, data, headers: response.headers } : data;
  }

  /* Multipart upload through XMLHttpRequest so the page can show real byte progress. */
  function upload(path, token, form, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path);
      xhr.setRequestHeader("Authorization", "Bearer " + token);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded, event.total);
      });
      xhr.upload.addEventListener("load", () => onProgress(-1, -1));
      xhr.addEventListener("load", () => {
        let data = {};
        try { data = JSON.parse(xhr.responseText || "{}"); } catch (_) { data = {}; }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else reject(new ApiError(xhr.status, data));
      });
      xhr.addEventListener("error", () => reject(new ApiError(0, { error_code: "NETWORK" })));
      xhr.send(form);
    });
  }

  function formatBytes(n) {
    if (n === null || n === undefined) return "";
    const units = ["B", "KB", "MB", "GB"];
    let value = Number(n);
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
  }

  function formatDuration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const m = Math.floor(s / 60);
    return m ? m + " min " + (s % 60) + " s" : s + " s";
  }

  function formatTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB");
  }

  function valueText(value) {
    if (value === null || value === undefined || value === "") return "—";
    if (Array.isArray(value)) return value.map(valueText).join(", ");
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  /* The friendly sentence for an error code, with its context filled in. */
  function errorText(err) {
    const body = err.body || {};
    const code = err.code;
    if (code === "NETWORK") return t("error.network");
    const vars = {
      fields: (body.fields || []).join(", ") || body.message || "",
      violations: (body.violations || []).map((v) => v.name).join(", "),
      code,
    };
    if (has("error." + code)) return t("error." + code, vars);
    return body.message || t("error.generic", vars);
  }

  /* Render an error into a role=alert box: the friendly sentence, then the service's own
     words, its code and request id (for the operator). */
  function showError(box, err, extra) {
    clear(box);
    if (!err) return;
    const body = err.body || {};
    const detail = [body.message, err.code, body.request_id ? "request " + body.request_id : null]
      .filter(Boolean).join(" · ");
    box.append(h("p", { class: "error-main", text: errorText(err) }));
    if (detail && detail !== errorText(err)) box.append(h("p", { class: "error-detail", text: detail }));
    if (extra) box.append(extra);
  }

  async function fetchArtifact(path, token) {
    let response;
    try {
      response = await fetch(path, { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
    } catch (err) {
      throw new ApiError(0, { error_code: "NETWORK" });
    }
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch (_) { body = {}; }
      throw new ApiError(response.status, body);
    }
    return response;
  }

  /* Save an authorised download under its own file name. */
  async function download(path, token, filename) {
    const blob = await (await fetchArtifact(path, token)).blob();
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /* RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
  function parseCSV(text) {
    const rows = [];
    let row = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 1; } else quoted = false;
        } else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i += 1;
        row.push(field); rows.push(row); row = []; field = "";
      } else field += c;
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  function table(headers, rows, options) {
    const opts = options || {};
    const head = h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x))));
    const body = h("tbody", {}, rows.map((r) => h("tr", {}, r.map((cell) => h("td", {}, cell)))));
    const tbl = h("table", { class: opts.class || "data" }, opts.caption ? h("caption", { text: opts.caption }) : null, head, body);
    return h("div", { class: "table-wrap" + (opts.full ? " full" : ""), tabindex: "0", role: "region", "aria-label": opts.caption || headers.join(", ") }, tbl);
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return true; } catch (_) { /* below */ }
    }
    const area = h("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
    area.remove();
    return ok;
  }

  function copyButton(text) {
    const button = h("button", { type: "button", class: "small", text: t("common.copy") });
    button.addEventListener("click", async () => {
      await copyText(text);
      button.textContent = t("common.copied");
      button.dataset.copied = "true";
    });
    return button;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const select = document.getElementById("lang-select");
    if (select) {
      select.value = lang;
      select.addEventListener("change", () => setLanguage(select.value));
    }
    if (lang !== document.documentElement.dataset.lang) setLanguage(lang);
  });

  window.SS = {
    t, has, h, clear, show, api, upload, ApiError, errorText, showError, formatBytes,
    formatDuration, formatTime, valueText, fetchArtifact, download, parseCSV, table,
    copyButton, onLanguage, lang: () => lang,
  };
})();
