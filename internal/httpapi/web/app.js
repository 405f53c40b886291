// The page of classifierd: sends the text to POST /v1/classify and shows
// the answer. Plain JavaScript with no build step and no outside resources.
//
// Offsets: the request asks for OFFSET_ENCODING_UTF16, so every span in the
// answer indexes this page's JavaScript string directly.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("form"), textArea = $("text"), fileInput = $("file"), tokenInput = $("token");
  const statusEl = $("status"), errorEl = $("error"), results = $("results");
  const docEl = $("doc"), tip = $("tip"), entitiesBody = document.querySelector("#entities tbody");
  const relationsEl = $("relations"), sizeEl = $("size"), button = $("classify");

  // Names of the stance enum as the JSON API writes them, and the word and
  // symbol a reader sees for each (the symbol is the non-colour cue in tables).
  const STANCES = {
    STANCE_HOSTILE: { cls: "hostile", word: "hostile", sym: "▼" },
    STANCE_COOPERATIVE: { cls: "cooperative", word: "cooperative", sym: "▲" },
    STANCE_NEUTRAL: { cls: "neutral", word: "neutral", sym: "●" },
  };
  const stanceOf = (label) => STANCES[label] || STANCES.STANCE_NEUTRAL;
  const pct = (x) => Math.round((x || 0) * 100) + "%";
  const start = (span) => (span && span.start) || 0; // protobuf JSON omits zeros
  const end = (span) => (span && span.end) || 0;
  const typeName = (t) => (t || "").replace(/^ENTITY_TYPE_/, "").toLowerCase().replace(/_/g, " ");

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === "class") e.className = attrs[k];
      else if (k === "text") e.textContent = attrs[k];
      // Through the CSSOM: the page's Content-Security-Policy refuses
      // style attributes.
      else if (k === "width") e.style.width = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (const c of children) e.append(c);
    return e;
  }

  function headers() {
    const h = { "Content-Type": "application/json" };
    const tok = tokenInput.value.trim();
    if (tok) h.Authorization = "Bearer " + tok;
    return h;
  }

  // --- input: paste, type, open or drop a file ---
  function showSize() {
    const n = new TextEncoder().encode(textArea.value).length;
    sizeEl.textContent = n ? n.toLocaleString() + " bytes" : "";
  }
  textArea.addEventListener("input", showSize);
  async function loadFile(f) {
    if (!f) return;
    textArea.value = await f.text();
    showSize();
    statusEl.textContent = "Loaded " + f.name + ".";
  }
  fileInput.addEventListener("change", () => loadFile(fileInput.files[0]));
  textArea.addEventListener("dragover", (e) => { e.preventDefault(); textArea.classList.add("dragging"); });
  textArea.addEventListener("dragleave", () => textArea.classList.remove("dragging"));
  textArea.addEventListener("drop", (e) => {
    textArea.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      e.preventDefault();
      loadFile(e.dataTransfer.files[0]);
    }
  });

  // --- the model's version, once ---
  fetch("v1/model", { headers: headers() })
    .then((r) => (r.ok ? r.json() : null))
    .then((m) => { if (m && m.modelVersion) $("model").textContent = "Model " + m.modelVersion + "."; })
    .catch(() => {});

  // --- classify ---
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = textArea.value;
    if (!text.trim()) {
      showError({ status: 0, message: "There is no text to classify: paste or drop one first." });
      return;
    }
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    errorEl.hidden = true;
    statusEl.textContent = "Classifying…";
    try {
      const resp = await fetch("v1/classify", {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ text: text, offsetEncoding: "OFFSET_ENCODING_UTF16", options: { maxEvidence: 5 } }),
      });
      const body = await resp.text();
      const received = performance.now();
      let data = null;
      try { data = JSON.parse(body); } catch (_) { /* shown below as text */ }
      if (!resp.ok) {
        showError({ status: resp.status, statusText: resp.statusText, message: data && data.message, details: data && data.details, raw: data ? "" : body });
        return;
      }
      render(text, data);
      // How long parsing and drawing took, for tests and the curious.
      results.dataset.renderMs = String(Math.round(performance.now() - received));
    } catch (err) {
      showError({ status: 0, message: "The server could not be reached: " + err.message });
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });

  function showError(e) {
    results.hidden = true;
    statusEl.textContent = "";
    errorEl.replaceChildren();
    const title = e.status ? "The server refused the request (HTTP " + e.status + (e.statusText ? " " + e.statusText : "") + ")" : "Nothing was sent";
    errorEl.append(el("h2", { text: title }));
    errorEl.append(el("p", { class: "message", text: e.message || e.raw || "No reason given." }));
    const violations = [];
    for (const d of e.details || []) {
      for (const v of d.fieldViolations || []) violations.push(v);
    }
    if (violations.length) {
      const ul = el("ul", { class: "violations", "aria-label": "Problems with the request" });
      for (const v of violations) ul.append(el("li", {}, el("code", { text: v.field }), ": " + v.description));
      errorEl.append(ul);
    }
    errorEl.hidden = false;
  }

  // --- rendering ---
  // The answer now shown: its mentions, their marks by index, the cue
  // elements by span, and the mark whose tooltip is open.
  let currentMentions = [], mentionsByIndex = [], cueElements = new Map(), active = null;

  function render(text, data) {
    const mentions = data.mentions || [];
    const entities = data.entities || [];
    const relations = data.relations || [];
    hideTip();
    docEl.replaceChildren(buildText(text, mentions));
    entitiesBody.replaceChildren(buildEntities(entities, mentions));
    relationsEl.replaceChildren(buildRelations(relations, data.dyads || []));
    results.hidden = false;
    statusEl.textContent = mentions.length + " mentions of " + entities.length + " entities, " +
      relations.length + " relations" + (data.modelVersion ? " (model " + data.modelVersion + ")." : ".");
  }

  // buildText returns the text as one fragment: plain text nodes between
  // marks, a <mark> per mention and a <span class="cue"> per cue word, so a
  // 1 MB article is a few thousand nodes, never one per character.
  function buildText(text, mentions) {
    // Every cue span of every mention, deduplicated: a cue word often
    // explains several mentions.
    const cues = new Map();
    mentions.forEach((m) => {
      for (const ev of m.evidence || []) {
        const s = start(ev.span), t = end(ev.span);
        if (t > s && t <= text.length) cues.set(s + ":" + t, [s, t]);
      }
    });
    // Boundaries: where any mention or cue starts or ends.
    const events = [];
    mentions.forEach((m, i) => events.push([start(m.span), end(m.span), "m", i]));
    for (const [s, t] of cues.values()) events.push([s, t, "c", s + ":" + t]);
    const cuts = new Set([0, text.length]);
    for (const [s, t] of events) if (s < t && t <= text.length) { cuts.add(s); cuts.add(t); }
    const points = Array.from(cuts).sort((a, b) => a - b);

    // Which mention and which cues cover each piece. Mentions do not
    // overlap one another; cues may overlap (rarely), the first one wins.
    const mentionAt = new Map(), cueAt = new Map();
    const pieceIndex = new Map(points.map((p, i) => [p, i]));
    for (const [s, t, kind, key] of events) {
      if (!(s < t && t <= text.length)) continue;
      for (let k = pieceIndex.get(s); points[k] < t; k++) {
        if (kind === "m") { if (!mentionAt.has(k)) mentionAt.set(k, key); }
        else if (!cueAt.has(k)) cueAt.set(k, key);
      }
    }

    mentionsByIndex = [];
    cueElements = new Map();
    const frag = document.createDocumentFragment();
    let mark = null, markIdx = -1;
    for (let k = 0; k + 1 < points.length; k++) {
      const piece = text.slice(points[k], points[k + 1]);
      const mi = mentionAt.has(k) ? mentionAt.get(k) : -1;
      if (mi !== markIdx) {
        mark = null;
        markIdx = mi;
        if (mi >= 0) {
          const m = mentions[mi];
          const st = stanceOf(m.label);
          mark = el("mark", { class: "mention " + st.cls, tabindex: "0", "data-i": String(mi), "data-entity": (m.entity && m.entity.id) || "", "aria-describedby": "tip" });
          frag.append(mark);
          mentionsByIndex[mi] = mark;
        }
      }
      let node;
      const ck = cueAt.get(k);
      if (ck !== undefined) {
        node = el("span", { class: "cue", text: piece });
        if (!cueElements.has(ck)) cueElements.set(ck, []);
        cueElements.get(ck).push(node);
      } else {
        node = document.createTextNode(piece);
      }
      (mark || frag).append(node);
    }
    currentMentions = mentions;
    return frag;
  }

  function buildEntities(entities, mentions) {
    const frag = document.createDocumentFragment();
    const firstMention = new Map();
    mentions.forEach((m, i) => { const id = m.entity && m.entity.id; if (id && !firstMention.has(id)) firstMention.set(id, i); });
    const sorted = entities.slice().sort((a, b) => (b.salience || 0) - (a.salience || 0));
    for (const e of sorted) {
      const ent = e.entity || {};
      const st = stanceOf(e.label);
      const p = e.probabilities || {};
      const nameCell = el("td");
      if (firstMention.has(ent.id)) {
        const b = el("button", { type: "button", class: "entity", text: ent.name || ent.id, title: "Go to the first mention" });
        b.addEventListener("click", () => { const m = mentionsByIndex[firstMention.get(ent.id)]; if (m) { m.scrollIntoView({ block: "center" }); m.focus(); } });
        nameCell.append(b);
      } else {
        nameCell.textContent = ent.name || ent.id || "";
      }
      const sal = e.salience || 0;
      frag.append(el("tr", { "data-entity": ent.id || "" },
        nameCell,
        el("td", { text: typeName(ent.type) }),
        el("td", { class: st.cls + "-t stance", text: st.sym + " " + st.word }),
        el("td", { class: "num", text: pct(p.hostile) }),
        el("td", { class: "num", text: pct(p.cooperative) }),
        el("td", { class: "num", text: pct(p.neutral) }),
        el("td", { class: "num", text: String(e.mentionCount || 0) }),
        el("td", {}, el("span", { class: "salience", width: Math.round(sal * 8) + "rem", "aria-hidden": "true" }), sal.toFixed(2))));
    }
    return frag;
  }

  // At most this many relations are listed: a long article can hold
  // thousands, and the dyads above them already sum them up.
  const MAX_RELATIONS = 500;

  function buildRelations(relations, dyads) {
    const frag = document.createDocumentFragment();
    if (!relations.length) {
      frag.append(el("p", { class: "none", text: "No relations found." }));
      return frag;
    }
    if (dyads.length) {
      const ul = el("ul", { class: "relations dyads", "aria-label": "Who is hostile or cooperative toward whom, over the whole text" });
      for (const d of dyads) {
        const st = stanceOf(d.label);
        ul.append(el("li", {},
          el("strong", { text: name(d.holder) }), el("span", { class: "arrow", "aria-label": "toward", text: "→" }),
          el("strong", { text: name(d.target) }), ": ",
          el("span", { class: st.cls + "-t", text: st.sym + " " + st.word }),
          " (" + (d.support || 0) + " relation" + (d.support === 1 ? "" : "s") + ")"));
      }
      frag.append(el("h3", { text: "Overall" }), ul, el("h3", { text: "Each relation" }));
    }
    const ul = el("ul", { class: "relations", "aria-label": "Relations, in text order" });
    for (const r of relations.slice(0, MAX_RELATIONS)) {
      const st = stanceOf(r.label);
      const cues = (r.evidence || []).map((e) => e.text).filter(Boolean);
      const li = el("li", { class: "relation" },
        el("strong", { text: party(r.holder) }), el("span", { class: "arrow", "aria-label": "toward", text: "→" }),
        el("strong", { text: party(r.target) }), ": ",
        el("span", { class: st.cls + "-t", text: st.sym + " " + st.word }));
      if (cues.length) li.append(", cue ", el("q", { text: cues.join(", ") }));
      if (r.cameoCode) li.append(el("span", { class: "more", text: " (CAMEO " + r.cameoCode + ")" }));
      ul.append(li);
    }
    frag.append(ul);
    if (relations.length > MAX_RELATIONS) frag.append(el("p", { class: "more", text: "… and " + (relations.length - MAX_RELATIONS) + " more." }));
    return frag;
  }
  const name = (ref) => (ref && (ref.name || ref.id)) || "?";
  const party = (p) => (p && ((p.entity && p.entity.name) || p.text)) || "?";

  // --- the tooltip of a mention: probabilities, holder, evidence ---
  function showTip(mark) {
    const i = Number(mark.dataset.i);
    const m = currentMentions[i];
    if (!m) return;
    if (active) setActive(active, false);
    active = mark;
    setActive(mark, true);
    const st = stanceOf(m.label);
    const p = m.probabilities || {};
    const ent = m.entity || {};
    tip.replaceChildren(
      el("h3", {}, (ent.name || m.text) + " ", el("span", { class: st.cls + "-t", text: st.sym + " " + st.word })),
      el("dl", {},
        el("dt", { text: "Entity" }), el("dd", { text: (ent.name || "") + (ent.type ? " (" + typeName(ent.type) + ")" : "") }),
        ...["hostile", "cooperative", "neutral"].flatMap((k) => [
          el("dt", { text: k }),
          el("dd", { class: k + "-t" }, el("span", { class: "bar", width: Math.round((p[k] || 0) * 8) + "rem", "aria-hidden": "true" }), pct(p[k])),
        ]),
        el("dt", { text: "Held by" }), el("dd", { text: m.holder ? name(m.holder) : "not said" })));
    const ev = m.evidence || [];
    if (ev.length) {
      const ul = el("ul");
      for (const e of ev) {
        const c = e.contribution || 0;
        ul.append(el("li", {}, el("q", { text: e.text || "" }), " " + (c >= 0 ? "+" : "") + c.toFixed(2) + " (" + (e.source || "") + ")"));
      }
      tip.append(el("p", { text: "Evidence (log-odds toward the label):" }), ul);
    } else {
      tip.append(el("p", { text: "No evidence: no cue word near this mention." }));
    }
    tip.hidden = false;
    const r = mark.getBoundingClientRect();
    const left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = window.scrollY + r.bottom + 6 + "px";
  }

  function setActive(mark, on) {
    mark.classList.toggle("active", on);
    const m = currentMentions[Number(mark.dataset.i)];
    for (const e of (m && m.evidence) || []) {
      for (const c of cueElements.get(start(e.span) + ":" + end(e.span)) || []) c.classList.toggle("active", on);
    }
  }

  function hideTip() {
    if (active) setActive(active, false);
    active = null;
    tip.hidden = true;
  }

  // One listener each on the text, not one per mention.
  const markOf = (e) => e.target.closest && e.target.closest("mark.mention");
  docEl.addEventListener("mouseover", (e) => { const m = markOf(e); if (m && m !== active) showTip(m); });
  docEl.addEventListener("focusin", (e) => { const m = markOf(e); if (m) showTip(m); });
  docEl.addEventListener("mouseleave", () => { if (!docEl.contains(document.activeElement)) hideTip(); });
  docEl.addEventListener("focusout", (e) => { if (!docEl.contains(e.relatedTarget)) hideTip(); });
  docEl.addEventListener("scroll", () => { if (active) showTip(active); }, { passive: true });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") hideTip(); });
})();
