// GovQA chat widget: embed with <div id="govqa-chat"></div><script src="https://HOST/widget.js"></script>.
// Streams answers from /api/v1/chat/stream, shows clarifying options as buttons and sources below answers.
(function () {
  const script = document.currentScript;
  const base = script && script.src ? new URL(script.src).origin : "";
  const root = document.getElementById("govqa-chat") || document.body.appendChild(document.createElement("div"));
  root.classList.add("govqa");
  root.innerHTML =
    '<div class="govqa-log" role="log" aria-live="polite"></div>' +
    '<form class="govqa-form"><input class="govqa-input" name="q" autocomplete="off" maxlength="500" ' +
    'placeholder="请输入您要咨询的问题，例如：公积金提取需要什么材料" aria-label="问题">' +
    '<button class="govqa-send" type="submit">发送</button></form>';
  const log = root.querySelector(".govqa-log");
  const form = root.querySelector("form");
  const input = root.querySelector("input");
  let sessionId = null;

  function bubble(cls, text) {
    const div = document.createElement("div");
    div.className = "govqa-msg " + cls;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function render(div, reply) {
    div.textContent = reply.text;
    if (reply.kind === "clarify") {
      const opts = document.createElement("div");
      opts.className = "govqa-options";
      reply.options.forEach(function (opt) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "govqa-option";
        b.textContent = opt;
        b.onclick = function () { send(opt); };
        opts.appendChild(b);
      });
      div.appendChild(opts);
    }
    (reply.warnings || []).forEach(function (w) {
      const p = document.createElement("div");
      p.className = "govqa-warning";
      p.textContent = w;
      div.appendChild(p);
    });
    if (reply.citations && reply.citations.length) {
      const ol = document.createElement("ol");
      ol.className = "govqa-sources";
      reply.citations.forEach(function (c) {
        const li = document.createElement("li");
        li.value = c.marker;
        const label = [c.title, c.doc_number, c.section].filter(Boolean).join(" · ");
        li.textContent = label + (c.quote ? "：“" + c.quote + "”" : "") + (c.current ? "" : "（非现行）");
        ol.appendChild(li);
      });
      div.appendChild(ol);
    }
  }

  async function send(text) {
    text = (text || "").trim();
    if (!text) { bubble("govqa-error", "问题不能为空，请输入您想咨询的内容。"); return; }
    bubble("govqa-user", text);
    const out = bubble("govqa-bot govqa-pending", "正在查找资料…");
    form.querySelector("button").disabled = true;
    try {
      const resp = await fetch(base + "/api/v1/chat/stream", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message: text, session_id: sessionId }),
      });
      if (!resp.ok) {
        const err = await resp.json().catch(function () { return {}; });
        out.className = "govqa-msg govqa-error";
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
          else if (event === "reply") { sessionId = data.session_id; out.className = "govqa-msg govqa-bot"; render(out, data); }
          else if (event === "error") { out.className = "govqa-msg govqa-error"; out.textContent = data.detail; }
        }
      }
    } catch (e) {
      out.className = "govqa-msg govqa-error";
      out.textContent = "网络错误，请稍后再试。";
    } finally {
      form.querySelector("button").disabled = false;
    }
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); const t = input.value; input.value = ""; send(t); });
})();
