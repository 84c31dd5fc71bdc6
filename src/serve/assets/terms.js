// Significant words and the people, places and organisations of the
// articles a search matches (GET /api/terms), beside the results. A name
// clicked adds `person:名字` (or place:, org:) to the query. app.js tells
// this script when results are shown (the "newsidx:results" event).
"use strict";

(function () {
  const KINDS = [
    ["words", "关键词", null],
    ["people", "人物", "person"],
    ["places", "地点", "place"],
    ["orgs", "机构", "org"],
  ];

  // Elements are made with app.js's el() (loaded before this file).

  function quoteIfNeeded(t) {
    return /[\s"“”「」]/.test(t) ? "\"" + t.replace(/"/g, "") + "\"" : t;
  }

  function addToQuery(scope, term) {
    const p = new URLSearchParams(location.search);
    const filter = scope + ":" + quoteIfNeeded(term);
    const q = (p.get("q") || "").trim();
    if (q.split(/\s+/).includes(filter)) return;
    p.set("q", q ? q + " " + filter : filter);
    p.delete("page");
    p.delete("id");
    history.pushState(null, "", "/?" + p.toString());
    window.dispatchEvent(new PopStateEvent("popstate"));
  }

  async function fetchTerms(s, kind) {
    const p = new URLSearchParams({ q: s.q, kind: kind, n: "12" });
    if (s.since) p.set("since", s.since);
    if (s.until) p.set("until", s.until);
    if (s.source) p.set("source", s.source);
    const headers = {};
    const token = localStorage.getItem("newsidx-token");
    if (token) headers["Authorization"] = "Bearer " + token;
    const r = await fetch("/api/terms?" + p.toString(), { headers });
    if (r.status === 400) throw new Error("unavailable");
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }

  function renderList(ul, body, scope) {
    const items = body.terms.map((t) => {
      const label = el("span", { class: "term" }, t.term);
      const count = el("span", { class: "n", title: "全库 " + t.corpus_count + " 篇；G² " + t.score }, String(t.count));
      if (!scope) return el("li", {}, label, count);
      const a = el("a", { href: "#", "data-scope": scope }, label, count);
      a.addEventListener("click", (ev) => { ev.preventDefault(); addToQuery(scope, t.term); });
      return el("li", {}, a);
    });
    ul.replaceChildren(...(items.length ? items : [el("li", { class: "none" }, "无")]));
  }

  async function show(s) {
    const box = document.getElementById("terms");
    if (!box) return;
    box.hidden = !s.q;
    if (!s.q) return;
    box.dataset.state = "loading";
    await Promise.all(KINDS.map(async ([kind, , scope]) => {
      const ul = document.getElementById("terms-" + kind);
      try {
        renderList(ul, await fetchTerms(s, kind), scope);
      } catch (e) {
        // An index built without --entities has no terms to show.
        if (e.message === "unavailable") box.hidden = true;
        else ul.replaceChildren(el("li", { class: "none" }, "出错：" + e.message));
      }
    }));
    box.dataset.state = "done";
  }

  document.addEventListener("newsidx:results", (ev) => { show(ev.detail); });
})();
