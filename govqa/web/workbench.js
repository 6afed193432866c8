// GovQA workbench: clause search with filters, the document view (章/条 tree, validity banner) and a QA box
// (the topic brief is in workbench_brief.js).
// Plain DOM, no build step; every server text goes in with textContent (marks are built from offsets).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const TYPES = { guide: "办事指南", policy: "政策文件", faq: "知识库问答", notice: "通知公告", other: "其他" };
  const MODES = {
    field: "办事指南字段", clause: "条款原文", faq: "知识库问答", extracted: "原文摘录", validity: "文件效力信息",
    generated: "模型生成（逐句核对出处）", refusal: "未找到依据", out_of_scope: "非政务问题", curated: "人工审定答复",
  };
  const STATUS = { in_force: "现行有效", repealed: "已废止", expired: "已失效", not_yet_effective: "尚未施行" };
  let sessionId = null;
  let currentDoc = null;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  async function getJSON(url, options) {
    const resp = await fetch(url, options);
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok) throw new Error(body.detail || "请求失败（" + resp.status + "）");
    return body;
  }

  // Text with the [start, end) spans wrapped in <mark>, built as DOM nodes (never as HTML).
  function marked(text, spans) {
    const frag = document.createDocumentFragment();
    let last = 0;
    (spans || []).forEach(([s, e]) => {
      if (s > last) frag.appendChild(document.createTextNode(text.slice(last, s)));
      frag.appendChild(el("mark", "", text.slice(s, e)));
      last = e;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  // ---- tabs and narrow-screen panes
  function selectTab(name) {
    ["search", "brief", "qa"].forEach((n) => {
      const on = n === name;
      $("tab-" + n).setAttribute("aria-selected", String(on));
      const panel = $("panel-" + n);
      panel.hidden = !on;
      panel.style.display = on ? "contents" : "none";
    });
    $("layout").classList.remove("show-doc");
    $({ qa: "qa-input", brief: "brief-topic" }[name] || "q").focus();
  }
  $("tab-search").onclick = () => selectTab("search");
  $("tab-brief").onclick = () => selectTab("brief");
  $("tab-qa").onclick = () => selectTab("qa");

  // ---- filters
  async function loadFacets() {
    try {
      const f = await getJSON("/api/v1/facets");
      f.doc_type.forEach((v) => $("f-type").appendChild(new Option((TYPES[v.value] || v.value) + "（" + v.count + "）", v.value)));
      f.issuer.forEach((v) => $("f-issuer").appendChild(new Option(v.value + "（" + v.count + "）", v.value)));
      f.region.forEach((v) => $("f-region").appendChild(new Option(v.value + "（" + v.count + "）", v.value)));
    } catch (e) { /* filters stay at "all" when the index is empty */ }
  }

  // ---- search
  async function search(ev) {
    if (ev) ev.preventDefault();
    const q = $("q").value.trim();
    const status = $("search-status");
    if (!q) { status.textContent = "请输入检索词。"; $("q").focus(); return; }
    const params = new URLSearchParams({ q: q, k: "20" });
    [["doc_type", "f-type"], ["issuer", "f-issuer"], ["region", "f-region"], ["valid_on", "f-date"]].forEach(([k, id]) => {
      if ($(id).value) params.set(k, $(id).value);
    });
    $("search-btn").disabled = true;
    status.textContent = "正在检索…";
    try {
      const hits = await getJSON("/api/v1/search?" + params);
      renderHits(hits);
      status.textContent = hits.length ? "共 " + hits.length + " 条结果" : "没有符合条件的结果，可放宽筛选条件再试。";
    } catch (e) {
      status.textContent = e.message;
    } finally {
      $("search-btn").disabled = false;
    }
  }

  function renderHits(hits) {
    const list = $("hits");
    list.textContent = "";
    $("search-empty").style.display = hits.length ? "none" : "";
    hits.forEach((h) => {
      const li = el("li", "hit");
      li.dataset.chunk = h.chunk_id;
      const b = el("button");
      b.type = "button";
      b.setAttribute("aria-label", "打开 " + h.title + " " + h.label);
      b.appendChild(el("div", "hit-title", h.title));
      const meta = el("div", "hit-meta");
      [h.doc_number, h.label, h.issuer].filter(Boolean).forEach((t) => meta.appendChild(el("span", "", t)));
      meta.appendChild(el("span", "badge type", TYPES[h.doc_type] || h.doc_type));
      if (!h.valid) meta.appendChild(el("span", "badge bad", "非现行"));
      b.appendChild(meta);
      const text = el("div", "hit-text");
      text.appendChild(marked(h.text, h.highlights));
      b.appendChild(text);
      b.onclick = () => {
        document.querySelectorAll(".hit.active").forEach((x) => x.classList.remove("active"));
        li.classList.add("active");
        openDoc(h.doc_id, h.chunk_id, h.highlights, h.text);
      };
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  // ---- document view
  function banner(v) {
    const div = el("div", "banner " + v.status);
    div.setAttribute("role", "note");
    div.dataset.status = v.status;
    let text = STATUS[v.status];
    if (v.status === "repealed") text += v.repealed_on ? "（" + v.repealed_on + " 起废止）" : "";
    if (v.status === "expired") text += "（有效期至 " + v.expires_at + "）";
    if (v.status === "not_yet_effective") text += "（" + v.effective_from + " 起施行）";
    if (v.status === "in_force") {
      const parts = [];
      if (v.effective_from) parts.push(v.effective_from + " 起施行");
      if (v.expires_at) parts.push("有效期至 " + v.expires_at);
      if (parts.length) text += "（" + parts.join("，") + "）";
    }
    div.appendChild(document.createTextNode(text));
    if (v.superseded_by) {
      div.appendChild(document.createTextNode("。已被 "));
      const a = el("a", "successor", v.superseded_by.title ? "《" + v.superseded_by.title + "》" : v.superseded_by.id);
      a.href = "#doc=" + encodeURIComponent(v.superseded_by.id);
      div.appendChild(a);
      div.appendChild(document.createTextNode(" 替代，请以现行规定为准。"));
    } else if (v.status !== "in_force" && v.status !== "not_yet_effective") {
      div.appendChild(document.createTextNode("。内容仅供参考，请以现行规定为准。"));
    }
    if (v.replaces && v.replaces.length) {
      div.appendChild(document.createTextNode(v.status === "in_force" ? "。替代 " : " 替代 "));
      v.replaces.forEach((r, i) => {
        if (i) div.appendChild(document.createTextNode("、"));
        const a = el("a", "", "《" + r.title + "》");
        a.href = "#doc=" + encodeURIComponent(r.id);
        div.appendChild(a);
      });
    }
    return div;
  }

  function renderNode(node, focus) {
    if (node.children.length) {
      const d = el("details", "node");
      d.open = true;
      d.dataset.label = node.label;
      const s = el("summary", "", node.label);
      if (node.title) s.appendChild(el("span", "node-title", node.title));
      d.appendChild(s);
      if (node.text) d.appendChild(el("div", "article", node.text));
      node.children.forEach((c) => d.appendChild(renderNode(c, focus)));
      return d;
    }
    const div = el("div", "article " + node.kind);
    div.dataset.chunks = node.chunk_ids.join(" ");
    div.dataset.label = node.label;
    div.id = "clause-" + (node.chunk_ids[0] || node.start);
    if (node.kind === "field") {
      div.appendChild(el("div", "field-label", node.label));
      div.appendChild(document.createTextNode(node.text.replace(/^【[^】]*】\s*/, "")));
    } else if (focus && node.chunk_ids.includes(focus.chunk) && focus.spans) {
      // marks of the search hit, shifted from the chunk's offsets to the article's
      const offset = node.text.indexOf(focus.text);
      const spans = offset >= 0 ? focus.spans.map(([s, e]) => [s + offset, e + offset]) : [];
      div.appendChild(marked(node.text, spans));
    } else {
      div.textContent = node.text;
    }
    return div;
  }

  async function openDoc(docId, chunkId, spans, chunkText) {
    const pane = $("doc");
    $("layout").classList.add("show-doc");
    if (!currentDoc || currentDoc.id !== docId) pane.textContent = "";
    pane.setAttribute("aria-busy", "true");
    let doc;
    try {
      doc = currentDoc && currentDoc.id === docId ? currentDoc : await getJSON("/api/v1/documents/" + encodeURIComponent(docId));
    } catch (e) {
      pane.textContent = "";
      pane.appendChild(el("div", "empty", e.message));
      pane.removeAttribute("aria-busy");
      return;
    }
    currentDoc = doc;
    pane.textContent = "";
    const back = el("button", "btn btn-quiet back", "← 返回列表");
    back.type = "button";
    back.onclick = () => $("layout").classList.remove("show-doc");
    pane.appendChild(back);
    pane.appendChild(el("h2", "doc-title", doc.title));
    const meta = el("div", "doc-meta");
    [doc.doc_number, doc.issuer, doc.region, doc.published ? "发布 " + doc.published : "", TYPES[doc.doc_type]]
      .filter(Boolean).forEach((t) => meta.appendChild(el("span", "", t)));
    if (doc.url) {
      const a = el("a", "", "原文链接");
      a.href = doc.url; a.target = "_blank"; a.rel = "noopener";
      meta.appendChild(a);
    }
    pane.appendChild(meta);
    if (doc.doc_type !== "guide" && doc.doc_type !== "faq") pane.appendChild(banner(doc.validity));
    const versions = compareTools(doc);
    if (versions) pane.appendChild(versions);
    const tools = el("div", "tree-tools");
    [["全部展开", true], ["全部收起", false]].forEach(([label, open]) => {
      const b = el("button", "btn btn-quiet", label);
      b.type = "button";
      b.onclick = () => pane.querySelectorAll("details.node").forEach((d) => { d.open = open; });
      tools.appendChild(b);
    });
    if (doc.clauses.some((n) => n.children.length)) pane.appendChild(tools);
    const tree = el("div", "tree");
    tree.setAttribute("aria-label", "章节条款");
    const focus = chunkId ? { chunk: chunkId, spans: spans, text: chunkText || "" } : null;
    doc.clauses.forEach((n) => tree.appendChild(renderNode(n, focus)));
    pane.appendChild(tree);
    pane.removeAttribute("aria-busy");
    const target = chunkId && Array.from(pane.querySelectorAll(".article")).find((a) => (a.dataset.chunks || "").split(" ").includes(chunkId));
    if (target) {
      target.classList.add("focus");
      for (let p = target.parentElement; p && p !== pane; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
      target.scrollIntoView({ block: "center" });
    } else {
      pane.scrollTop = 0;
    }
    pane.focus({ preventScroll: true });
  }

  // ---- comparison with the other version (a superseded policy and its successor)
  const PAIR_STATUS = { unchanged: "未变", changed: "修改", added: "新增", removed: "删除" };

  function compareTools(doc) {
    const v = doc.validity;
    const targets = [];
    if (v.superseded_by) targets.push(["与新版对比", doc.id, v.superseded_by.id]);
    (v.replaces || []).forEach((r) => targets.push(["与旧版对比" + (v.replaces.length > 1 ? "（" + r.title + "）" : ""), r.id, doc.id]));
    if (!targets.length) return null;
    const tools = el("div", "compare-tools");
    targets.forEach(([label, oldId, newId]) => {
      const b = el("button", "btn btn-quiet compare", label);
      b.type = "button";
      b.onclick = () => openDiff(oldId, newId, doc.id);
      tools.appendChild(b);
    });
    return tools;
  }

  // Text with the edits of one side marked: <del> for what the old text had, <ins> for what the
  // new one has, with words a screen reader says before each mark.
  function editedText(oldText, newText, edits) {
    const frag = document.createDocumentFragment();
    let at = 0;
    edits.forEach((e) => {
      if (e.new_start > at) frag.appendChild(document.createTextNode(newText.slice(at, e.new_start)));
      if (e.old_text) {
        const d = el("del");
        d.appendChild(el("span", "sr-only", "［删除：］"));
        d.appendChild(document.createTextNode(e.old_text));
        frag.appendChild(d);
      }
      if (e.new_text) {
        const i = el("ins");
        i.appendChild(el("span", "sr-only", "［新增：］"));
        i.appendChild(document.createTextNode(e.new_text));
        frag.appendChild(i);
      }
      at = e.new_end;
    });
    frag.appendChild(document.createTextNode(newText.slice(at)));
    return frag;
  }

  function renderPair(p) {
    const li = el("li", "diff-pair " + p.status);
    li.dataset.status = p.status;
    const head = el("div", "pair-head");
    head.appendChild(el("span", "", (p.old ? "旧版" + p.old.article : "旧版无") + " → " + (p.new ? "新版" + p.new.article : "新版无")));
    head.appendChild(el("span", "badge " + (p.status === "removed" ? "bad" : "type"), PAIR_STATUS[p.status]));
    li.appendChild(head);
    const text = el("div", "pair-text");
    if (p.status === "changed") text.appendChild(editedText(p.old.text, p.new.text, p.edits));
    else if (p.status === "added") { const i = el("ins"); i.appendChild(el("span", "sr-only", "［新增：］")); i.appendChild(document.createTextNode(p.new.text)); text.appendChild(i); }
    else if (p.status === "removed") { const d = el("del"); d.appendChild(el("span", "sr-only", "［删除：］")); d.appendChild(document.createTextNode(p.old.text)); text.appendChild(d); }
    else text.textContent = p.new.text;
    li.appendChild(text);
    if (p.figures.length) {
      const figs = el("div", "figures");
      figs.setAttribute("aria-label", "变动的金额和期限");
      p.figures.forEach((f) => figs.appendChild(el("span", "figure", (f.old || "无") + " → " + (f.new || "无"))));
      li.appendChild(figs);
    }
    return li;
  }

  async function openDiff(oldId, newId, backTo) {
    const pane = $("doc");
    pane.setAttribute("aria-busy", "true");
    let d;
    try {
      d = await getJSON("/api/v1/policy/diff?" + new URLSearchParams({ old: oldId, new: newId }));
    } catch (e) {
      pane.removeAttribute("aria-busy");
      const tools = pane.querySelector(".compare-tools");
      if (tools) tools.appendChild(el("span", "warn", e.message));
      return;
    }
    currentDoc = null;
    pane.textContent = "";
    const back = el("button", "btn btn-quiet back-doc", "← 返回原文");
    back.type = "button";
    back.onclick = () => openDoc(backTo);
    pane.appendChild(back);
    pane.appendChild(el("h2", "doc-title", "《" + d.new.title + "》新旧版本对比"));
    const meta = el("div", "doc-meta");
    meta.appendChild(el("span", "", "旧版 " + (d.old.doc_number || d.old.id)));
    meta.appendChild(el("span", "", "新版 " + (d.new.doc_number || d.new.id)));
    pane.appendChild(meta);
    const head = el("div", "diff-head");
    const summary = el("span", "diff-summary", ["changed", "added", "removed", "unchanged"].map((s) => PAIR_STATUS[s] + " " + d.counts[s] + " 条").join("，"));
    summary.setAttribute("role", "status");
    head.appendChild(summary);
    const only = el("input");
    only.type = "checkbox";
    only.id = "only-changes";
    const onlyLabel = el("label");
    onlyLabel.appendChild(only);
    onlyLabel.appendChild(document.createTextNode("只看变化"));
    head.appendChild(onlyLabel);
    pane.appendChild(head);
    const list = el("ol", "diff-list");
    list.setAttribute("aria-label", "逐条对比");
    d.pairs.forEach((p) => list.appendChild(renderPair(p)));
    only.onchange = () => list.classList.toggle("only-changes", only.checked);
    pane.appendChild(list);
    pane.removeAttribute("aria-busy");
    pane.scrollTop = 0;
    pane.focus({ preventScroll: true });
  }

  // #doc=ID&chunk=CHUNK opens a document (links from the chat widget and citations use it)
  function fromHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.get("doc")) openDoc(p.get("doc"), p.get("chunk") || "");
  }
  window.addEventListener("hashchange", fromHash);

  // ---- QA
  async function ask(text) {
    text = (text || "").trim();
    if (!text) return;
    $("qa-empty").style.display = "none";
    const log = $("qa-log");
    log.appendChild(el("div", "qa-q", text));
    const out = el("div", "qa-a", "正在查找资料…");
    log.appendChild(out);
    $("qa-btn").disabled = true;
    try {
      const r = await getJSON("/api/v1/chat", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message: text, session_id: sessionId }),
      });
      sessionId = r.session_id;
      out.textContent = r.text;
      if (r.kind === "clarify") {
        const opts = el("div", "qa-opts");
        r.options.forEach((o) => {
          const b = el("button", "qa-opt", o);
          b.type = "button";
          b.onclick = () => ask(o);
          opts.appendChild(b);
        });
        out.appendChild(opts);
      }
      (r.warnings || []).forEach((w) => out.appendChild(el("div", "warn", w)));
      if (r.citations && r.citations.length) {
        const ol = el("ol", "cites");
        ol.setAttribute("aria-label", "出处");
        r.citations.forEach((c) => {
          const li = el("li");
          li.appendChild(el("span", "n", "[" + c.marker + "]"));
          const b = el("button", "cite", [c.title, c.doc_number, c.section].filter(Boolean).join(" · "));
          b.type = "button";
          b.title = c.quote;
          b.onclick = () => openDoc(c.doc_id, c.chunk_id);
          li.appendChild(b);
          if (!c.current) li.appendChild(el("span", "badge bad", "非现行"));
          ol.appendChild(li);
        });
        out.appendChild(ol);
      }
      if (r.mode) out.appendChild(el("div", "mode", "回答方式：" + (MODES[r.mode] || r.mode)));
    } catch (e) {
      out.className = "qa-a error";
      out.textContent = e.message;
    } finally {
      $("qa-btn").disabled = false;
      out.scrollIntoView({ block: "nearest" });
    }
  }

  $("search-form").addEventListener("submit", search);
  ["f-type", "f-issuer", "f-region", "f-date"].forEach((id) => $(id).addEventListener("change", () => { if ($("q").value.trim()) search(); }));
  $("qa-form").addEventListener("submit", (ev) => { ev.preventDefault(); const t = $("qa-input").value; $("qa-input").value = ""; ask(t); });
  // What the topic brief (workbench_brief.js) uses of this page.
  window.govqaWorkbench = { el: el, getJSON: getJSON, marked: marked, openDoc: openDoc };
  loadFacets();
  fromHash();
})();
