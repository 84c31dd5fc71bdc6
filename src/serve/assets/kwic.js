// newsidx search page: the concordance (KWIC) tab beside the results.
// app.js calls newsidxKwic.render(s) after the results (s: the page's state
// from the URL; s.view === "kwic" shows this tab) and newsidxKwic.hide() for
// an article. Lines come from /api/kwic a page at a time; the CSV link is
// /api/kwic.csv (every line). Article text goes in as text nodes only.
"use strict";

const newsidxKwic = (() => {
  const PER_PAGE = 50;
  const SORTS = [["", "出现顺序"], ["left", "按左侧"], ["right", "按右侧"], ["date", "按时间"]];
  // The tab's own state: kept while the query and its filters stay the same.
  let key = "";
  let page = 1;
  let sort = "";

  const byId = (id) => document.getElementById(id);

  // Elements are made with app.js's el() (loaded before this file).

  function params(s, extra) {
    const p = new URLSearchParams({ q: s.q });
    if (s.since) p.set("since", s.since);
    if (s.until) p.set("until", s.until);
    if (s.source) p.set("source", s.source);
    if (sort) p.set("sort", sort);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    return p;
  }

  function headers() {
    const token = localStorage.getItem("newsidx-token");
    return token ? { Authorization: "Bearer " + token } : {};
  }

  async function fetchPage(s) {
    const p = params(s, { offset: String((page - 1) * PER_PAGE), limit: String(PER_PAGE) });
    const r = await fetch("/api/kwic?" + p.toString(), { headers: headers() });
    let body = null;
    try { body = await r.json(); } catch (_) { body = null; }
    if (!r.ok) throw new Error(body && body.error ? body.error : "HTTP " + r.status);
    return body;
  }

  // The CSV link: a plain download, or, when the server asks for a token,
  // fetched with it and handed to the browser as a file.
  function csvLink(s, total) {
    const href = "/api/kwic.csv?" + params(s).toString();
    const a = el("a", { href, download: "kwic.csv", id: "kwic-csv", class: "csv" }, "下载 CSV（全部 " + total + " 行）");
    a.addEventListener("click", async (ev) => {
      if (!localStorage.getItem("newsidx-token")) return;
      ev.preventDefault();
      const r = await fetch(href, { headers: headers() });
      if (!r.ok) return;
      const url = URL.createObjectURL(await r.blob());
      const tmp = el("a", { href: url, download: "kwic.csv" });
      document.body.append(tmp);
      tmp.click();
      tmp.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
    return a;
  }

  function lineRow(l, s) {
    const open = el("a", { href: "/?" + new URLSearchParams({ q: s.q, id: l.id }).toString(), class: "kid", title: l.id }, l.date || "无日期");
    open.addEventListener("click", (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      go({ id: l.id });
    });
    return el("li", { class: "kwic-line", "data-id": l.id },
      el("span", { class: "l" }, el("span", {}, l.left)),
      el("mark", { class: "m" }, l.match),
      el("span", { class: "r" }, l.right),
      el("span", { class: "kmeta" }, open, l.source ? " · " + l.source : ""),
    );
  }

  function controls(s, r) {
    const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
    const select = el("select", { id: "kwic-sort", "aria-label": "排序" });
    for (const [v, label] of SORTS) {
      const o = el("option", { value: v }, label);
      if (v === sort) o.selected = true;
      select.append(o);
    }
    select.addEventListener("change", () => { sort = select.value; page = 1; render(s); });
    const prev = el("button", { type: "button", onclick: () => { page -= 1; render(s); } }, "上一页");
    prev.disabled = page <= 1;
    const next = el("button", { type: "button", onclick: () => { page += 1; render(s); } }, "下一页");
    next.disabled = page >= pages;
    return el("div", { class: "kwic-bar" },
      el("span", { id: "kwic-total" }, "共 " + r.total + " 处，" + r.articles + " 篇"),
      select,
      prev, el("span", {}, "第 " + page + " / " + pages + " 页"), next,
      csvLink(s, r.total),
    );
  }

  function tabs(s) {
    const bar = byId("tabs");
    bar.hidden = false;
    for (const b of bar.querySelectorAll("button")) {
      b.classList.toggle("on", (b.dataset.view || "") === (s.view || ""));
      b.onclick = () => go({ view: b.dataset.view || "", id: "" });
    }
  }

  function hide() {
    byId("tabs").hidden = true;
    byId("kwic").hidden = true;
    byId("hits").hidden = false;
  }

  async function render(s) {
    // Searching an engine, the server cannot list every occurrence.
    if (!s.q || s.id || document.body.dataset.engine) { hide(); return; }
    tabs(s);
    const box = byId("kwic");
    if (s.view !== "kwic") {
      box.hidden = true;
      byId("hits").hidden = false;
      return;
    }
    const k = JSON.stringify([s.q, s.since, s.until, s.source]);
    if (k !== key) { key = k; page = 1; }
    byId("hits").hidden = true;
    byId("pages").hidden = true;
    box.hidden = false;
    box.setAttribute("aria-busy", "true");
    const r = await fetchPage(s);
    const list = el("ol", { class: "kwic-lines", id: "kwic-lines" }, ...r.lines.map((l) => lineRow(l, s)));
    if (r.lines.length === 0) list.append(el("li", { class: "kwic-none" }, "没有出现。"));
    box.replaceChildren(controls(s, r), list);
    box.removeAttribute("aria-busy");
  }

  return { render, hide };
})();
window.newsidxKwic = newsidxKwic;
