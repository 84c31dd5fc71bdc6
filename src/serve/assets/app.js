// newsidx search page: plain JavaScript over the JSON API.
// Every piece of article text goes into the page as a text node (never as
// HTML); matches are <mark> elements built around text nodes. The state
// lives in the URL (?q=&since=&until=&source=&sort=&page=&id=), so a link
// reproduces the page, and opening it renders the results at once.
"use strict";

const PER_PAGE = 10;
const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const dec = new TextDecoder();

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

// Text with its [start, end) UTF-8 byte ranges wrapped in <mark>.
function highlighted(text, ranges) {
  const frag = document.createDocumentFragment();
  text = text || "";
  if (!ranges || ranges.length === 0) {
    frag.append(document.createTextNode(text));
    return frag;
  }
  const bytes = enc.encode(text);
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at || e > bytes.length || e <= s) continue;
    if (s > at) frag.append(document.createTextNode(dec.decode(bytes.subarray(at, s))));
    frag.append(el("mark", {}, dec.decode(bytes.subarray(s, e))));
    at = e;
  }
  if (at < bytes.length) frag.append(document.createTextNode(dec.decode(bytes.subarray(at))));
  return frag;
}

function state() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "",
    vs: p.getAll("vs").map((v) => v.trim()).filter((v) => v).slice(0, 4),
    share: p.get("share") === "1",
    since: p.get("since") || "",
    until: p.get("until") || "",
    source: p.get("source") || "",
    sort: p.get("sort") === "date" ? "date" : "relevance",
    page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
    id: p.get("id") || "",
    view: p.get("view") === "kwic" ? "kwic" : "",
  };
}

function urlOf(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const v of s.vs || []) p.append("vs", v);
  if (s.share) p.set("share", "1");
  if (s.since) p.set("since", s.since);
  if (s.until) p.set("until", s.until);
  if (s.source) p.set("source", s.source);
  if (s.sort === "date") p.set("sort", "date");
  if (s.page > 1) p.set("page", String(s.page));
  if (s.id) p.set("id", s.id);
  if (s.view === "kwic") p.set("view", "kwic");
  const qs = p.toString();
  return "/" + (qs ? "?" + qs : "");
}

function go(change) {
  const s = Object.assign(state(), change);
  history.pushState(null, "", urlOf(s));
  render();
}

async function api(path) {
  const headers = {};
  const token = localStorage.getItem("newsidx-token");
  if (token) headers["Authorization"] = "Bearer " + token;
  const r = await fetch(path, { headers });
  let body = null;
  try { body = await r.json(); } catch (_) { body = null; }
  if (r.status === 401) {
    $("token-box").hidden = false;
  }
  if (!r.ok) {
    const msg = body && body.error ? body.error : "HTTP " + r.status;
    throw new Error(msg);
  }
  return body;
}

function setStatus(...nodes) {
  const st = $("status");
  st.replaceChildren(...nodes);
}

function fmtMonth(key) {
  const [y, m] = key.split("-");
  return y + "年" + parseInt(m, 10) + "月";
}

function lastDay(key) {
  const [y, m] = key.split("-").map((x) => parseInt(x, 10));
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return key + "-" + String(d).padStart(2, "0");
}

// Every month from the first to the last, those without articles at 0.
function monthSeries(months) {
  const dated = months.filter((b) => b.key !== null);
  if (dated.length === 0) return [];
  const counts = new Map(dated.map((b) => [b.key, b.count]));
  let [y, m] = dated[0].key.split("-").map((x) => parseInt(x, 10));
  const [ly, lm] = dated[dated.length - 1].key.split("-").map((x) => parseInt(x, 10));
  const out = [];
  while ((y < ly || (y === ly && m <= lm)) && out.length < 1200) {
    const key = y + "-" + String(m).padStart(2, "0");
    out.push({ key, count: counts.get(key) || 0 });
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

function renderTimeline(s, months) {
  const series = monthSeries(months || []);
  const fig = $("timeline");
  fig.hidden = series.length === 0;
  if (series.length === 0) return;
  const max = Math.max(...series.map((b) => b.count), 1);
  const bars = series.map((b) => {
    const first = b.key + "-01";
    const on = s.since === first && s.until === lastDay(b.key);
    const btn = el("button", {
      type: "button",
      class: (b.count === 0 ? "zero" : "") + (on ? " on" : ""),
      title: fmtMonth(b.key) + "：" + b.count + " 篇",
      "aria-label": fmtMonth(b.key) + "：" + b.count + " 篇",
      "data-month": b.key,
      "data-count": String(b.count),
      onclick: () => go(on ? { since: "", until: "", page: 1 } : { since: first, until: lastDay(b.key), page: 1 }),
    });
    btn.style.height = b.count === 0 ? "1px" : Math.max(3, Math.round((b.count / max) * 100)) + "%";
    return btn;
  });
  $("bars").replaceChildren(...bars);
  const undated = (months || []).find((b) => b.key === null);
  $("axis").replaceChildren(
    el("span", {}, fmtMonth(series[0].key)),
    el("span", {}, "最多 " + max + " 篇/月" + (undated ? "，无日期 " + undated.count + " 篇" : "")),
    el("span", {}, fmtMonth(series[series.length - 1].key)),
  );
}

function renderSources(s, facets) {
  const items = [];
  if (s.source) {
    items.push(el("li", {}, el("button", { type: "button", class: "on", onclick: () => go({ source: "", page: 1 }) },
      el("span", { class: "name" }, "✕ " + s.source), el("span", { class: "n" }, "清除"))));
  }
  for (const b of (facets && facets.sources) || []) {
    if (b.key === null) {
      items.push(el("li", {}, el("span", { class: "name" }, "（无来源）"), " ", el("span", { class: "n" }, String(b.count))));
      continue;
    }
    if (s.source && b.key === s.source) continue;
    items.push(el("li", {}, el("button", {
      type: "button",
      "data-source": b.key,
      title: b.key,
      onclick: () => go({ source: b.key, page: 1 }),
    }, el("span", { class: "name" }, b.key), el("span", { class: "n" }, String(b.count)))));
  }
  if (facets && facets.other_sources > 0) {
    items.push(el("li", {}, el("span", { class: "n" }, "其他来源 " + facets.other_sources + " 篇")));
  }
  $("sources").replaceChildren(...items);
}

function renderHit(h, s) {
  const link = urlOf({ q: s.q, id: h.id, page: 1, sort: "relevance" });
  const title = el("a", { href: link, class: "title" }, highlighted(h.title || "（无标题）", h.title ? h.title_highlights : []));
  title.addEventListener("click", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    go({ id: h.id });
  });
  const meta = el("div", { class: "meta" },
    h.date ? el("span", {}, h.date) : el("span", {}, "无日期"),
    h.source ? el("span", {}, h.source) : null,
    h.author ? el("span", {}, h.author) : null,
    h.url ? el("a", { href: safeUrl(h.url), rel: "noopener noreferrer nofollow", target: "_blank" }, "原文") : null,
  );
  const passages = (h.passages || []).map((p) => el("p", { class: "passage" }, highlighted(p.text, p.highlights)));
  const dups = h.duplicates && h.duplicates.length
    ? el("div", { class: "dups" }, "另有相似稿件 " + h.duplicates.length + " 篇已折叠")
    : null;
  return el("li", { class: "hit", "data-id": h.id }, el("h3", {}, title), meta, ...passages, dups);
}

// Only http(s) links leave the page; anything else (javascript:, data:)
// becomes inert.
function safeUrl(u) {
  try {
    const x = new URL(u, location.href);
    return x.protocol === "http:" || x.protocol === "https:" ? x.href : "#";
  } catch (_) {
    return "#";
  }
}

function renderPages(s, total) {
  const nav = $("pages");
  const pages = Math.max(1, Math.ceil(Math.min(total, 10000) / PER_PAGE));
  nav.hidden = total <= PER_PAGE;
  if (nav.hidden) return;
  const prev = el("button", { type: "button", onclick: () => go({ page: s.page - 1 }) }, "上一页");
  prev.disabled = s.page <= 1;
  const next = el("button", { type: "button", onclick: () => go({ page: s.page + 1 }) }, "下一页");
  next.disabled = s.page >= pages;
  nav.replaceChildren(prev, el("span", {}, "第 " + s.page + " / " + pages + " 页"), next);
}

// Sets a control's value and its default (the attribute), so that the
// page as saved or inspected shows what is searched.
function setValue(input, v) {
  input.value = v;
  input.setAttribute("value", v);
}

function syncControls(s) {
  setValue($("q"), s.q);
  setValue($("since"), /^\d{4}-\d{2}-\d{2}$/.test(s.since) ? s.since : "");
  setValue($("until"), /^\d{4}-\d{2}-\d{2}$/.test(s.until) ? s.until : "");
  for (const b of document.querySelectorAll("#sort button")) {
    b.classList.toggle("on", b.dataset.sort === s.sort);
  }
}

async function renderResults(s) {
  $("main").classList.remove("article-mode");
  $("article").hidden = true;
  $("article").replaceChildren();
  $("intro").hidden = !!s.q;
  $("filters").hidden = !s.q;
  if (!s.q) {
    $("hits").replaceChildren();
    $("timeline").hidden = true;
    $("pages").hidden = true;
    setStatus();
    if (window.newsidxKwic) window.newsidxKwic.hide();
    return;
  }
  setStatus("检索中…");
  const p = new URLSearchParams({ q: s.q, limit: String(PER_PAGE), offset: String((s.page - 1) * PER_PAGE), sort: s.sort });
  if (s.since) p.set("since", s.since);
  if (s.until) p.set("until", s.until);
  if (s.source) p.set("source", s.source);
  const r = await api("/api/search?" + p.toString());
  // Milliseconds as a reader takes them in: 0.42, 3.1, 62.
  const took = r.took_ms < 1 ? r.took_ms.toFixed(2) : r.took_ms < 10 ? r.took_ms.toFixed(1) : Math.round(r.took_ms);
  const parts = [el("span", { id: "total" }, "共 " + r.total_hits + " 篇"), "，用时 " + took + " 毫秒"];
  if (r.relaxed) {
    parts.push(el("span", { class: "relaxed" }, "。同时含全部 " + r.relaxed[1] + " 个词的文章太少，也列出了只含部分词的文章"));
    // Counted exactly up to 1,000; beyond that the count is a lower bound.
    const more = r.relaxed_hits_exact === false ? r.relaxed_hits.toLocaleString("en-US") + "+" : String(r.relaxed_hits);
    parts.push(el("span", { id: "relaxed-hits" }, "（另有 " + more + " 篇只含部分词）"));
  }
  if (r.partial) {
    // A shard of the engine did not answer: the counts and hits are short.
    parts.push(el("div", { id: "partial", class: "partial", role: "alert" },
      "部分分片无响应：结果可能不完整" + (r.unanswered ? "（" + r.unanswered + "）" : "")));
  }
  setStatus(...parts);
  renderTimeline(s, r.facets && r.facets.months);
  if (window.newsidxTimeline) await window.newsidxTimeline(s, r);
  renderSources(s, r.facets);
  $("hits").replaceChildren(...r.hits.map((h) => renderHit(h, s)));
  if (r.hits.length === 0) {
    $("hits").replaceChildren(el("li", { class: "hit" }, r.total_hits ? "这一页没有结果。" : "没有找到匹配的文章。"));
  }
  renderPages(s, r.total_hits);
  if (window.newsidxKwic) await window.newsidxKwic.render(s);
  document.dispatchEvent(new CustomEvent("newsidx:results", { detail: s }));
}

async function renderArticle(s) {
  $("main").classList.add("article-mode");
  $("filters").hidden = true;
  $("timeline").hidden = true;
  $("pages").hidden = true;
  $("intro").hidden = true;
  $("hits").replaceChildren();
  if (window.newsidxKwic) window.newsidxKwic.hide();
  setStatus("读取中…");
  const qs = s.q ? "?" + new URLSearchParams({ q: s.q }).toString() : "";
  const a = await api("/api/articles/" + encodeURIComponent(s.id) + qs);
  const back = el("a", { href: urlOf(Object.assign({}, s, { id: "" })) }, "← 返回结果");
  back.addEventListener("click", (ev) => { ev.preventDefault(); go({ id: "" }); });
  const meta = el("div", { class: "meta" },
    a.date ? el("span", {}, a.date) : el("span", {}, "无日期"),
    a.source ? el("span", {}, "来源：" + a.source) : null,
    a.author ? el("span", {}, "作者：" + a.author) : null,
    a.url ? el("a", { href: safeUrl(a.url), rel: "noopener noreferrer nofollow", target: "_blank" }, "原文链接") : null,
    el("span", {}, "文件：" + a.path),
  );
  const n = (a.body_highlights || []).length + (a.title_highlights || []).length;
  const art = $("article");
  art.replaceChildren(
    s.q ? back : null,
    el("h1", {}, highlighted(a.title || "（无标题）", a.title ? a.title_highlights : [])),
    meta,
    el("div", { class: "body" }, highlighted(a.body, a.body_highlights)),
  );
  art.hidden = false;
  setStatus(s.q ? "“" + s.q + "”在本文中出现 " + n + " 处" : "");
  document.title = (a.title || a.id) + " - newsidx";
}

async function render() {
  const s = state();
  syncControls(s);
  document.body.dataset.state = "loading";
  try {
    if (s.id) await renderArticle(s);
    else {
      document.title = s.q ? s.q + " - newsidx 新闻检索" : "newsidx 新闻检索";
      await renderResults(s);
    }
    document.body.dataset.state = "done";
  } catch (e) {
    $("hits").replaceChildren();
    setStatus(el("span", { class: "err" }, "出错了：" + e.message));
    document.body.dataset.state = "error";
  }
}

// What the server answers: searching an engine (serve --engine), it
// cannot list every match, so the concordance tab is not offered.
async function capabilities() {
  try {
    const r = await fetch("/api/health");
    const h = await r.json();
    if (h && h.engine) document.body.dataset.engine = "1";
  } catch (_) {
    // No answer: the searches will say what is wrong.
  }
}

async function init() {
  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    go({ q: $("q").value.trim(), page: 1, id: "" });
  });
  $("dates").addEventListener("submit", (ev) => {
    ev.preventDefault();
    go({ since: $("since").value, until: $("until").value, page: 1 });
  });
  $("clear-dates").addEventListener("click", () => go({ since: "", until: "", page: 1 }));
  for (const b of document.querySelectorAll("#sort button")) {
    b.addEventListener("click", () => go({ sort: b.dataset.sort, page: 1 }));
  }
  $("token-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    localStorage.setItem("newsidx-token", $("token").value.trim());
    $("token-box").hidden = true;
    render();
  });
  window.addEventListener("popstate", render);
  await capabilities();
  render();
}

init();
