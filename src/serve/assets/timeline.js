// newsidx comparison timeline: the query and up to four others (?vs=) on
// one monthly chart, as article counts or as shares of every article of
// the month in the index (?share=1), from /api/count. Each query has its
// colour and a legend entry; hovering a month shows the exact figures.
// Loaded before app.js, whose helpers ($, el, api, go) it uses at render
// time; app.js calls window.newsidxTimeline(state, searchAnswer).
// Also: the date boxes take YYYY-MM-DD whatever the browser's locale.
"use strict";

(function () {
  const COLORS = ["#0b57d0", "#d93025", "#188038", "#e37400", "#8430ce"];
  const MAX_VS = 4;
  const NS = "http://www.w3.org/2000/svg";
  const W = 800, H = 230, L = 58, R = 14, T = 12, B = 28;

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const c of children) if (c) e.append(typeof c === "string" ? document.createTextNode(c) : c);
    return e;
  }

  function fmtKey(key) {
    if (key === null) return "无日期";
    const [y, m] = key.split("-");
    return y + "年" + parseInt(m, 10) + "月";
  }

  function pct(x) {
    const p = x * 100;
    if (p === 0) return "0%";
    return (p >= 10 ? p.toFixed(1) : p >= 1 ? p.toFixed(2) : p.toFixed(3)) + "%";
  }

  function lastDay(key) {
    const [y, m] = key.split("-").map((x) => parseInt(x, 10));
    return key + "-" + String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0");
  }

  // One line of the exact figures of a query in a bucket.
  function figure(q, b, share) {
    const n = q + "：" + b.count + " 篇";
    return share && b.of !== undefined ? n + " / 全部 " + b.of + " 篇 = " + pct(b.share) : n;
  }

  function controls(s) {
    const mode = (share, label) => el("button", {
      type: "button",
      class: s.share === share ? "on" : "",
      "data-mode": share ? "share" : "count",
      onclick: () => go({ share }),
    }, label);
    const input = el("input", {
      id: "vs-input", type: "search", maxlength: "4096",
      placeholder: s.vs.length >= MAX_VS ? "最多对比 5 个检索词" : "与另一个检索词对比",
      "aria-label": "对比检索词",
    });
    input.disabled = s.vs.length >= MAX_VS;
    const form = el("form", { id: "vs-form", class: "vs-form", autocomplete: "off" }, input,
      el("button", { type: "submit" }, "对比"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = input.value.trim();
      if (!v || v === s.q || s.vs.includes(v) || s.vs.length >= MAX_VS) return;
      go({ vs: s.vs.concat([v]) });
    });
    return el("div", { class: "tl-controls" },
      el("div", { class: "seg", id: "tl-mode" }, mode(false, "篇数"), mode(true, "占比")), form);
  }

  function legend(s, d) {
    const items = d.series.map((x, i) => {
      const sw = el("span", { class: "swatch" });
      sw.style.background = COLORS[i];
      const total = s.share && x.of ? x.total + " 篇，占 " + pct(x.total / x.of) : "共 " + x.total + " 篇";
      const undated = x.buckets.find((b) => b.key === null);
      const more = undated && undated.count ? "，无日期 " + undated.count + " 篇" : "";
      const drop = i === 0 ? null : el("button", {
        type: "button", class: "drop", title: "不再对比“" + x.query + "”",
        onclick: () => go({ vs: s.vs.filter((v) => v !== x.query) }),
      }, "✕");
      return el("li", { "data-query": x.query }, sw, el("span", { class: "q" }, x.query),
        el("span", { class: "n" }, "（" + total + more + "）"), drop);
    });
    return el("ul", { class: "legend", id: "legend" }, ...items);
  }

  function axisLabels(keys) {
    const step = Math.max(1, Math.ceil(keys.length / 8));
    const out = [];
    for (let i = 0; i < keys.length; i += step) out.push(i);
    if (out[out.length - 1] !== keys.length - 1) {
      // The last label is drawn leftwards from its point: keep room.
      if (out.length > 1 && keys.length - 1 - out[out.length - 1] < step) out.pop();
      out.push(keys.length - 1);
    }
    return out;
  }

  function chart(s, d) {
    const keys = d.series[0].buckets.map((b) => b.key).filter((k) => k !== null);
    const val = (b) => (s.share ? b.share || 0 : b.count);
    let max = 0;
    for (const x of d.series) for (const b of x.buckets) if (b.key !== null) max = Math.max(max, val(b));
    if (max <= 0) max = s.share ? 0.01 : 1;
    const pw = W - L - R, ph = H - T - B;
    const xAt = (i) => L + (keys.length === 1 ? pw / 2 : (i * pw) / (keys.length - 1));
    const yAt = (v) => T + ph * (1 - v / max);
    const label = (v) => (s.share ? pct(v) : Number.isInteger(v) ? String(v) : v.toFixed(1));
    const g = svg("svg", {
      viewBox: "0 0 " + W + " " + H, class: "tl-chart", id: "tl-chart", role: "img",
      "aria-label": (s.share ? "占比" : "篇数") + "按月分布：" + d.series.map((x) => x.query).join("、"),
    });
    for (const f of [0, 0.5, 1]) {
      const y = yAt(max * f);
      g.append(svg("line", { x1: L, x2: W - R, y1: y, y2: y, class: "grid" }),
        svg("text", { x: L - 6, y: y + 4, class: "ylab" }, label(max * f)));
    }
    for (const i of axisLabels(keys)) {
      const edge = keys.length > 1 && i === keys.length - 1 ? " end" : keys.length > 1 && i === 0 ? " start" : "";
      g.append(svg("text", { x: xAt(i), y: H - 8, class: "xlab" + edge }, fmtKey(keys[i])));
    }
    const colW = pw / Math.max(1, keys.length - 1 || 1);
    keys.forEach((k, i) => {
      const lines = d.series.map((x) => figure(x.query, x.buckets[i], s.share));
      const col = svg("rect", {
        x: xAt(i) - colW / 2, y: T, width: colW, height: ph, class: "col", "data-key": k,
      }, svg("title", {}, fmtKey(k) + "\n" + lines.join("\n")));
      col.addEventListener("click", () => go({ since: k + "-01", until: lastDay(k), page: 1 }));
      g.append(col);
    });
    // The first query drawn first and widest, each next one narrower on
    // top of it: where two lines coincide, both colours still show. In
    // shares, a month without any article in the index (of = 0) has no
    // share: the line breaks there instead of dropping to 0.
    const n = d.series.length;
    d.series.forEach((x, si) => {
      const pts = x.buckets.filter((b) => b.key !== null);
      const dense = pts.length > 60;
      const wide = (n - 1 - si) * (dense ? 1 : n > 3 ? 1.6 : 2.4);
      const at = (b, i) => xAt(i).toFixed(1) + "," + yAt(val(b)).toFixed(1);
      let run = [];
      const flush = () => {
        if (run.length > 1) {
          g.append(svg("polyline", {
            points: run.join(" "), stroke: COLORS[si], "stroke-width": 2 + wide,
            class: "line", "data-query": x.query,
          }));
        }
        run = [];
      };
      pts.forEach((b, i) => {
        if (s.share && !b.of) { flush(); return; }
        run.push(at(b, i));
        const lone = (i === 0 || (s.share && !pts[i - 1].of)) && (i === pts.length - 1 || (s.share && !pts[i + 1].of));
        if (dense && !lone) return;
        g.append(svg("circle", {
          cx: xAt(i).toFixed(1), cy: yAt(val(b)).toFixed(1), r: (dense ? 1.5 : 3) + wide / 2,
          fill: COLORS[si], class: "pt", "data-query": x.query, "data-key": b.key,
          "data-count": b.count, "data-share": b.share === undefined ? "" : b.share,
        }, svg("title", {}, fmtKey(b.key) + "\n" + figure(x.query, b, s.share))));
      });
      flush();
    });
    return g;
  }

  async function render(s, r) {
    const box = $("compare");
    if (!box || !s.q) return;
    const compare = s.vs.length > 0 || s.share;
    $("bars").hidden = compare;
    $("axis").hidden = compare;
    $("tl-title").textContent = compare ? (s.share ? "各月占比（该检索词的文章 / 当月全部文章）" : "各月篇数对比") : "按月分布";
    box.replaceChildren(controls(s));
    if (!compare) return;
    $("timeline").hidden = false;
    const p = new URLSearchParams({ q: s.q, by: "month", normalize: s.share ? "1" : "0" });
    for (const v of s.vs) p.append("vs", v);
    for (const k of ["since", "until", "source"]) if (s[k]) p.set(k, s[k]);
    let d;
    try {
      d = await api("/api/count?" + p.toString());
    } catch (e) {
      box.append(el("p", { class: "err" }, "对比失败：" + e.message));
      return;
    }
    const dated = d.series[0].buckets.some((b) => b.key !== null);
    box.append(legend(s, d), dated ? chart(s, d) : el("p", { class: "hint" }, "这些文章都没有日期。"));
  }

  // Date boxes: YYYY-MM-DD, whatever the browser's locale. Typed
  // 2024/3/5, 2024.3.5, 20240305 or 2024年3月5日 become 2024-03-05; an
  // impossible date keeps the form from being sent, with a message.
  function normalizeDate(v) {
    v = v.trim();
    if (!v) return "";
    let m = v.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/) || v.match(/^(\d{4})(\d{2})(\d{2})$/);
    if (!m) return null;
    const [y, mo, da] = [m[1], parseInt(m[2], 10), parseInt(m[3], 10)];
    const t = new Date(Date.UTC(parseInt(y, 10), mo - 1, da));
    if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== da) return null;
    return y + "-" + String(mo).padStart(2, "0") + "-" + String(da).padStart(2, "0");
  }

  function watchDate(input) {
    const check = () => {
      const n = normalizeDate(input.value);
      if (n !== null) input.value = n;
      input.setCustomValidity(n === null ? "请按 YYYY-MM-DD 填写日期，如 2024-03-05" : "");
    };
    input.addEventListener("change", check);
    input.addEventListener("blur", check);
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const id of ["since", "until"]) {
      const input = document.getElementById(id);
      if (input) watchDate(input);
    }
  });
  // Before the form's own submit handler (app.js) reads the boxes.
  document.addEventListener("submit", (ev) => {
    if (ev.target && ev.target.id === "dates") {
      for (const id of ["since", "until"]) {
        const input = document.getElementById(id);
        const n = normalizeDate(input.value);
        if (n === null) {
          ev.preventDefault();
          ev.stopImmediatePropagation();
          input.setCustomValidity("请按 YYYY-MM-DD 填写日期，如 2024-03-05");
          input.reportValidity();
          return;
        }
        input.value = n;
      }
    }
  }, true);

  window.newsidxTimeline = render;
  window.newsidxNormalizeDate = normalizeDate;
})();
