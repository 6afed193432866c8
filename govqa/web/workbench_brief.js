// GovQA workbench: the topic brief. A topic (and a day) in, the policies in force on it out: per
// policy its quoted sentences by section, each with a button opening the cited article; documents
// on the topic that are no longer in force are listed apart. Uses the page's helpers (workbench.js).
(function () {
  "use strict";
  const { el, getJSON, marked, openDoc } = window.govqaWorkbench;
  const $ = (id) => document.getElementById(id);

  // [start, end) spans of the figures in a sentence, in order and not overlapping.
  function figureSpans(text, figures) {
    const spans = [];
    figures.forEach((f) => {
      for (let at = text.indexOf(f); at >= 0; at = text.indexOf(f, at + f.length)) spans.push([at, at + f.length]);
    });
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    return spans.filter((s, i) => !spans.slice(0, i).some((t) => s[0] < t[1]));
  }

  function renderPolicy(p) {
    const box = el("article", "brief-policy");
    box.dataset.doc = p.doc_id;
    box.appendChild(el("h3", "brief-title", "《" + p.title + "》"));
    const meta = [p.doc_number, p.effective_from ? p.effective_from + " 起施行" : "", p.expires_at ? "有效期至 " + p.expires_at : ""];
    box.appendChild(el("div", "brief-meta", meta.filter(Boolean).join(" · ")));
    p.sections.forEach((sec) => {
      const part = el("section", "brief-section");
      part.dataset.key = sec.key;
      part.appendChild(el("h4", "", sec.heading));
      const ul = el("ul", "brief-lines");
      sec.sentences.forEach((s) => {
        const li = el("li");
        const text = el("span", "brief-text");
        text.appendChild(marked(s.text, figureSpans(s.text, s.figures)));
        li.appendChild(text);
        const cite = el("button", "cite", s.article);
        cite.type = "button";
        cite.title = s.citation;
        cite.setAttribute("aria-label", "查看出处 " + s.citation);
        cite.onclick = () => openDoc(p.doc_id, s.chunk_id);
        li.appendChild(cite);
        ul.appendChild(li);
      });
      part.appendChild(ul);
      box.appendChild(part);
    });
    return box;
  }

  function renderSetAside(note, items) {
    const box = el("div", "brief-aside");
    box.setAttribute("role", "note");
    box.appendChild(el("div", "", note));
    const ul = el("ul");
    items.forEach((a) => {
      const li = el("li");
      li.dataset.doc = a.doc_id;
      li.appendChild(el("span", "badge bad", a.label));
      const open = el("button", "", " 《" + a.title + "》" + (a.doc_number ? "（" + a.doc_number + "）" : ""));
      open.type = "button";
      open.onclick = () => openDoc(a.doc_id);
      li.appendChild(open);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  async function brief(ev) {
    ev.preventDefault();
    const topic = $("brief-topic").value.trim();
    const status = $("brief-status");
    if (!topic) { status.textContent = "请输入主题词。"; $("brief-topic").focus(); return; }
    const params = new URLSearchParams({ topic: topic });
    if ($("brief-date").value) params.set("on", $("brief-date").value);
    const out = $("brief-out");
    $("brief-btn").disabled = true;
    status.textContent = "正在生成简报…";
    try {
      const b = await getJSON("/api/v1/policy/brief?" + params);
      out.textContent = "";
      $("brief-empty").style.display = "none";
      status.textContent = b.message + (b.dropped ? "（另有 " + b.dropped + " 句未通过出处核对，已略去）" : "");
      b.policies.forEach((p) => out.appendChild(renderPolicy(p)));
      if (b.set_aside.length) out.appendChild(renderSetAside(b.set_aside_note, b.set_aside));
    } catch (e) {
      status.textContent = e.message;
    } finally {
      $("brief-btn").disabled = false;
    }
  }

  $("brief-form").addEventListener("submit", brief);
})();
