// Précepteur chat: stream answers from the JSON API (fetch + ReadableStream of server-sent events).
// Without JavaScript the form still works: it posts to /chat and the page reloads with the answer.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  if (!form || !window.fetch || !window.TextDecoder) return;

  var messages = document.getElementById("messages");
  var errorBox = document.getElementById("chat-error");
  var liveStatus = document.getElementById("live-status");
  var button = document.getElementById("ask-button");
  var question = document.getElementById("question");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var idField = form.querySelector("input[name=conversation_id]");
  var text = form.dataset;

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function addMessage(role, content) {
    var article = el("article", "msg msg-" + role);
    article.setAttribute("aria-label", role === "user" ? text.you : text.tutor);
    article.appendChild(el("p", "msg-author", role === "user" ? text.you : text.tutor));
    var body = el("div", "msg-text", content);
    article.appendChild(body);
    messages.appendChild(article);
    return { article: article, body: body };
  }

  function addCitations(article, citations) {
    if (!citations.length) return;
    var section = el("section", "citations");
    section.setAttribute("aria-label", text.sources);
    section.appendChild(el("h3", "", text.sources));
    var list = el("ol");
    citations.forEach(function (c) {
      var item = el("li");
      item.appendChild(el("cite", "", c.document));
      if (c.locator) {
        item.appendChild(document.createTextNode(" — "));
        item.appendChild(el("span", "locator", c.locator));
      }
      if (c.quote) item.appendChild(el("blockquote", "", "« " + c.quote + " »"));
      list.appendChild(item);
    });
    section.appendChild(list);
    article.appendChild(section);
  }

  function addToHistory(id, title) {
    var list = document.getElementById("history-list");
    var empty = document.getElementById("history-empty");
    if (!list) return;
    if (empty) empty.remove();
    var item = el("li");
    var link = el("a", "", title || text.untitled);
    link.href = "/chat/" + id;
    link.setAttribute("aria-current", "page");
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
  }

  async function errorMessage(response) {
    try {
      var data = await response.json();
      if (data && data.error && data.error.message) return data.error.message;
    } catch (ignored) { /* not JSON */ }
    return text.networkError;
  }

  async function jsonPost(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
  }

  // 👍/👎 on an answer: the form posts to the JSON API; a streamed answer gets the form when done.
  function addFeedback(article, messageId) {
    var template = document.getElementById("feedback-template");
    if (!template || !messageId) return;
    var html = template.innerHTML.split("/ID").join("/" + messageId).split('"ID"').join('"' + messageId + '"')
      .split("-ID").join("-" + messageId);
    article.insertAdjacentHTML("beforeend", html);
  }

  messages.addEventListener("submit", async function (event) {
    var box = event.target;
    if (!box.classList.contains("feedback-form")) return;
    event.preventDefault();
    var reasons = Array.prototype.map.call(box.querySelectorAll("input[name=reasons]:checked"), function (c) { return c.value; });
    var rating = box.querySelector("input[name=rating]:checked");
    var response = await jsonPost("/api/answers/" + box.dataset.messageId + "/feedback", {
      rating: rating ? rating.value : "", reasons: reasons, comment: box.comment.value,
      problem: box.problem.checked,
    });
    if (!response.ok) { showError(await errorMessage(response)); return; }
    box.replaceWith(el("p", "notice", box.dataset.thanks));
  });

  function handle(name, data, answer) {
    if (name === "start") {
      answer.messageId = data.message_id;
    } else if (name === "delta") {
      answer.body.textContent += data.text;
    } else if (name === "replace") {
      answer.body.textContent = data.text;
    } else if (name === "skill") {
      answer.article.appendChild(el("p", "skill-note", "✓ " + data.note));
      if (data.detail) {
        var details = el("details", "skill-detail", "");
        details.appendChild(el("summary", "", text.seeCalculation));
        details.appendChild(el("pre", "", data.detail));
        answer.article.appendChild(details);
      }
    } else if (name === "citations") {
      addCitations(answer.article, data.citations || []);
    } else if (name === "done") {
      answer.body.textContent = data.answer;
      if (data.declined) answer.article.appendChild(el("p", "msg-flag", text.declined));
      if (data.sourced === false && !data.declined) answer.article.classList.add("unsourced");
      if (data.incomplete) answer.article.appendChild(el("p", "msg-flag warn", text.incomplete));
      answer.done = true;
      addFeedback(answer.article, answer.messageId);
    } else if (name === "error") {
      answer.article.appendChild(el("p", "msg-flag warn", data.message));
    }
  }

  async function readEvents(response, answer) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var step = await reader.read();
      if (step.done) break;
      buffer += decoder.decode(step.value, { stream: true });
      var cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        var block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        var name = "message", data = "";
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event: ") === 0) name = line.slice(7);
          else if (line.indexOf("data: ") === 0) data += line.slice(6);
        });
        if (data) handle(name, JSON.parse(data), answer);
      }
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var asked = question.value.trim();
    if (!asked) { question.focus(); return; }
    errorBox.hidden = true;
    button.disabled = true;
    var settings = {
      level: form.level.value,
      mode: form.mode.value,
      library: form.library.value || null,
    };
    try {
      var practice = await jsonPost("/api/sessions/from-chat", { text: asked, library: settings.library });
      if (practice.status === 201) { window.location.href = (await practice.json()).url; return; }
      var id = idField.value;
      if (!id) {
        var created = await jsonPost("/api/conversations", Object.assign({ title: asked.slice(0, 200) }, settings));
        if (!created.ok) { showError(await errorMessage(created)); return; }
        id = String((await created.json()).id);
        idField.value = id;
        history.replaceState(null, "", "/chat/" + id);
        addToHistory(id, asked.slice(0, 200));
        document.getElementById("chat-title").textContent = asked.slice(0, 200);
      }
      var response = await fetch("/api/conversations/" + id + "/messages", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-CSRF-Token": csrf },
        body: JSON.stringify(Object.assign({ question: asked }, settings)),
      });
      if (!response.ok) { showError(await errorMessage(response)); return; }
      addMessage("user", asked);
      question.value = "";
      var answer = addMessage("assistant", "");
      answer.article.setAttribute("aria-busy", "true");
      messages.setAttribute("aria-busy", "true");
      liveStatus.textContent = text.thinking;
      await readEvents(response, answer);
      if (!answer.done) answer.article.appendChild(el("p", "msg-flag warn", text.incomplete));
      answer.article.setAttribute("aria-busy", "false");
      messages.setAttribute("aria-busy", "false");
      liveStatus.textContent = text.done;
    } catch (failure) {
      showError(text.networkError);
    } finally {
      messages.setAttribute("aria-busy", "false");
      button.disabled = false;
    }
  });

  question.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
})();
