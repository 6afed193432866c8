// GovQA chat widget. Embed with one tag:
//   <script src="https://HOST/widget.js" data-title="政务智能问答" data-welcome="您好…" data-api="https://HOST"></script>
// It renders into <div id="govqa-chat"> when the page has one (or data-target="ID"), else a box at the end of
// the page, inside a Shadow DOM so the host page's CSS and the widget's never touch each other.
// Streams answers from POST /api/v1/chat/stream, shows clarifying options as buttons, numbered citations that
// expand to the quoted words and open the source, and helpful/unhelpful feedback (POST /api/v1/feedback).
(function () {
  "use strict";
  const script = document.currentScript;
  const attr = (name, fallback) => (script && script.getAttribute("data-" + name)) || fallback;
  const base = attr("api", script && script.src ? new URL(script.src).origin : "").replace(/\/$/, "");
  const title = attr("title", "政务智能问答");
  const welcome = attr("welcome", "您好，我可以解答办事材料、流程、时限和政策条款等问题。请问您想咨询什么？");
  const host = document.getElementById(attr("target", "govqa-chat")) || document.body.appendChild(document.createElement("div"));
  const shadow = host.attachShadow({ mode: "open" });

  const CSS = `
    :host { all: initial; display: block; contain: content; }
    * { box-sizing: border-box; margin: 0; padding: 0; }
    [hidden] { display: none !important; }
    .box { font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif;
      font-size: 15px; line-height: 1.6; letter-spacing: normal; text-transform: none; color: #1d2733; background: #fff; border: 1px solid #e1e6ec; border-radius: 12px;
      display: flex; flex-direction: column; height: var(--govqa-height, 560px); max-height: 100%; overflow: hidden;
      box-shadow: 0 2px 10px rgba(20, 30, 45, .08); text-align: left; }
    .head { background: #a31d1d; color: #fff; padding: 12px 16px; font-size: 16px; font-weight: 600; letter-spacing: .03em; }
    .log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 10px; background: #f7f8fa; }
    .msg { max-width: 88%; padding: 9px 13px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; }
    .user { align-self: flex-end; background: #a31d1d; color: #fff; border-bottom-right-radius: 3px; }
    .bot { align-self: flex-start; background: #fff; border: 1px solid #e5e9ee; border-bottom-left-radius: 3px; }
    .pending { color: #7b8794; }
    .error { align-self: flex-start; background: #fdecea; color: #b3261e; }
    .options { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; white-space: normal; }
    button { font: inherit; color: inherit; background: none; border: 0; cursor: pointer; }
    button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid #2f6fde; outline-offset: 2px; }
    .option { border: 1px solid #a31d1d; color: #a31d1d; background: #fff; border-radius: 999px; padding: 3px 12px; font-size: 14px; }
    .option:hover { background: #fbeeee; }
    .warning { margin-top: 8px; color: #9a5b00; font-size: 13px; white-space: normal; }
    .sources { list-style: none; margin-top: 10px; border-top: 1px dashed #dde2e8; padding-top: 6px; font-size: 13px; white-space: normal; }
    .sources li { margin: 3px 0; }
    .cite { color: #2f6fde; text-align: left; }
    .cite:hover { text-decoration: underline; }
    .cite .n { display: inline-block; min-width: 1.7em; color: #5d6b7a; }
    .stale { color: #b3261e; margin-left: 4px; }
    .quote { margin: 4px 0 6px 1.7em; padding: 6px 10px; background: #f3f5f8; border-left: 3px solid #a31d1d; border-radius: 4px; color: #33404d; }
    .quote a { display: inline-block; margin-top: 4px; color: #2f6fde; }
    .rate { display: flex; align-items: center; gap: 6px; margin-top: 8px; font-size: 13px; color: #5d6b7a; white-space: normal; flex-wrap: wrap; }
    .thumb { border: 1px solid #dde2e8; border-radius: 999px; padding: 2px 10px; font-size: 13px; background: #fff;
      color: #4a5563; display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
    .thumb svg { width: 14px; height: 14px; }
    .thumb[aria-pressed="true"] { border-color: #a31d1d; background: #fbeeee; color: #a31d1d; }
    .reason { display: flex; gap: 6px; width: 100%; margin-top: 4px; }
    .reason textarea { flex: 1; font: inherit; font-size: 13px; border: 1px solid #cfd6de; border-radius: 8px; padding: 5px 8px; resize: vertical; min-height: 34px; }
    .reason button, .send { background: #a31d1d; color: #fff; border-radius: 8px; padding: 0 14px; font-size: 14px; }
    .thanks { color: #1d7a46; }
    .fail { color: #b3261e; }
    form.ask { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e5e9ee; background: #fff; }
    .input { flex: 1; min-width: 0; font: inherit; border: 1px solid #cfd6de; border-radius: 999px; padding: 9px 14px; }
    .send { border-radius: 999px; padding: 0 20px; }
    .send:disabled { opacity: .55; cursor: default; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    @media (max-width: 480px) { .msg { max-width: 94%; } .head { padding: 10px 14px; } .box { border-radius: 0; border-left: 0; border-right: 0; } }
  `;
  shadow.innerHTML =
    "<style>" + CSS + "</style>" +
    '<section class="box" role="region"><div class="head" id="t"></div>' +
    '<div class="log" role="log" aria-live="polite" aria-relevant="additions text"></div>' +
    '<form class="ask"><label class="sr" for="q">问题</label>' +
    '<input class="input" id="q" name="q" autocomplete="off" maxlength="500" placeholder="请输入您要咨询的问题">' +
    '<button class="send" type="submit" aria-label="发送问题">发送</button></form></section>';
  const box = shadow.querySelector(".box");
  shadow.getElementById("t").textContent = title;
  box.setAttribute("aria-label", title);
  const log = shadow.querySelector(".log");
  const form = shadow.querySelector("form");
  const input = shadow.querySelector(".input");
  const sendButton = shadow.querySelector(".send");
  let sessionId = null;
  let turns = 0;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bubble(cls, text) {
    const div = el("div", "msg " + cls, text);
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function sourceLink(c) {
    if (c.url) return c.url;
    return base + "/workbench#doc=" + encodeURIComponent(c.doc_id) + (c.chunk_id ? "&chunk=" + encodeURIComponent(c.chunk_id) : "");
  }

  function citations(reply) {
    const ol = el("ol", "sources");
    ol.setAttribute("aria-label", "出处");
    reply.citations.forEach(function (c) {
      const li = el("li");
      const b = el("button", "cite");
      b.type = "button";
      b.setAttribute("aria-expanded", "false");
      b.appendChild(el("span", "n", "[" + c.marker + "]"));
      b.appendChild(document.createTextNode([c.title, c.doc_number, c.section].filter(Boolean).join(" · ")));
      li.appendChild(b);
      if (!c.current) li.appendChild(el("span", "stale", "（非现行）"));
      const q = el("div", "quote");
      q.hidden = true;
      q.id = "q" + Math.random().toString(36).slice(2);
      b.setAttribute("aria-controls", q.id);
      if (c.quote) q.appendChild(el("div", "", "“" + c.quote + "”"));
      const a = el("a", "", c.url ? "查看原文" : "查看文件条款");
      a.href = sourceLink(c);
      a.target = "_blank";
      a.rel = "noopener";
      q.appendChild(a);
      li.appendChild(q);
      b.onclick = function () {
        q.hidden = !q.hidden;
        b.setAttribute("aria-expanded", String(!q.hidden));
      };
      ol.appendChild(li);
    });
    return ol;
  }

  // Drawn, not an emoji: many office machines have no emoji font and would show a box.
  function thumbIcon(down) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    if (down) svg.setAttribute("transform", "rotate(180)");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10c0 1.1.9 2 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7c.1-.2.2-.5.2-.8v-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function feedback(turn, session) {
    const row = el("div", "rate");
    row.appendChild(el("span", "", "这个回答有帮助吗？"));
    const thumbs = [["up", "有帮助"], ["down", "没有帮助"]].map(function (t) {
      const b = el("button", "thumb");
      b.appendChild(thumbIcon(t[0] === "down"));
      b.appendChild(el("span", "", t[1]));
      b.type = "button";
      b.dataset.rating = t[0];
      b.setAttribute("aria-pressed", "false");
      row.appendChild(b);
      return b;
    });
    const status = el("span", "", "");
    status.setAttribute("role", "status");
    const reason = el("form", "reason");
    reason.hidden = true;
    const text = el("textarea");
    text.maxLength = 500;
    text.rows = 1;
    text.placeholder = "可选：说说原因";
    text.setAttribute("aria-label", "反馈原因（可选）");
    const submit = el("button", "", "提交");
    submit.type = "submit";
    submit.setAttribute("aria-label", "提交反馈");
    reason.appendChild(text);
    reason.appendChild(submit);
    row.appendChild(reason);
    row.appendChild(status);
    let rating = null;
    thumbs.forEach(function (b) {
      b.onclick = function () {
        rating = b.dataset.rating;
        thumbs.forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
        reason.hidden = false;
        text.focus();
      };
    });
    reason.onsubmit = async function (ev) {
      ev.preventDefault();
      const body = { session_id: session, rating: rating, turn: turn };
      if (text.value.trim()) body.comment = text.value.trim();
      submit.disabled = true;
      try {
        const resp = await fetch(base + "/api/v1/feedback", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        });
        if (!resp.ok) throw new Error(String(resp.status));
        reason.hidden = true;
        thumbs.forEach(function (x) { x.disabled = true; });
        status.className = "thanks";
        status.textContent = "感谢您的反馈！";
      } catch (e) {
        status.className = "fail";
        status.textContent = "抱歉，反馈暂时未能提交，请稍后再试。";
        submit.disabled = false;
      }
    };
    return row;
  }

  function render(div, reply, turn) {
    div.textContent = reply.text;
    if (reply.kind === "clarify") {
      const opts = el("div", "options");
      opts.setAttribute("role", "group");
      opts.setAttribute("aria-label", "请选择");
      reply.options.forEach(function (opt) {
        const b = el("button", "option", opt);
        b.type = "button";
        b.onclick = function () { send(opt); };
        opts.appendChild(b);
      });
      div.appendChild(opts);
    }
    (reply.warnings || []).forEach(function (w) { div.appendChild(el("div", "warning", w)); });
    if (reply.citations && reply.citations.length) div.appendChild(citations(reply));
    if (reply.kind === "answer") div.appendChild(feedback(turn, reply.session_id));
  }

  async function send(text) {
    text = (text || "").trim();
    if (!text) { bubble("error", "问题不能为空，请输入您想咨询的内容。"); return; }
    bubble("user", text);
    const out = bubble("bot pending", "正在查找资料…");
    out.setAttribute("aria-busy", "true");
    sendButton.disabled = true;
    const turn = ++turns;
    try {
      const resp = await fetch(base + "/api/v1/chat/stream", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message: text, session_id: sessionId }),
      });
      if (!resp.ok) {
        const err = await resp.json().catch(function () { return {}; });
        out.className = "msg error";
        out.textContent = err.detail || ("服务暂时不可用（" + resp.status + "）");
        return;
      }
      const reader = resp.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "", streamed = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = (block.match(/^event: (.*)$/m) || [])[1];
          const data = JSON.parse((block.match(/^data: (.*)$/m) || [])[1] || "{}");
          if (event === "delta") { streamed += data.text; out.textContent = streamed; }
          else if (event === "reply") { sessionId = data.session_id; out.className = "msg bot"; render(out, data, turn); }
          else if (event === "error") { out.className = "msg error"; out.textContent = data.detail; }
          log.scrollTop = log.scrollHeight;
        }
      }
    } catch (e) {
      out.className = "msg error";
      out.textContent = "网络错误，请稍后再试。";
    } finally {
      out.removeAttribute("aria-busy");
      sendButton.disabled = false;
    }
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); const t = input.value; input.value = ""; send(t); });
  bubble("bot welcome", welcome);
})();
