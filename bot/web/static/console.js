// The helpdesk console's page script (bot/web/templates/console.html): the live queue and one
// conversation over server-sent events, and the officer's steps (claim, reply, note, hand back,
// close) over the console's JSON API, each sent with the session's CSRF token.
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const me = document.querySelector('meta[name="staff-user"]').content;
  // The console's words in the officer's language (knowledge/wording/messages.yml, console_texts).
  const T = JSON.parse(document.getElementById("console-texts").textContent);
  const say = (key, facts) => T[key].replace(/\{(\w+)\}/g, (_, name) => (facts || {})[name] ?? "");
  let selected = null, current = null, source = null, streamTrouble = false;
  let lastQueue = [], seenWaiting = null;  // null until the first snapshot: the queue at login is not news
  const pageTitle = document.title;
  const $ = (id) => document.getElementById(id);

  function text(tag, value, cls) { const n = document.createElement(tag); n.textContent = value; if (cls) n.className = cls; return n; }
  function minutes(iso) { return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000)); }
  function showError(message) { $("error").hidden = !message; $("error").textContent = message || ""; }

  function renderQueue(queue) {
    const list = $("queue");
    list.replaceChildren();
    $("queue-empty").hidden = queue.length > 0;
    for (const h of queue) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.conversation = h.conversation_id;
      button.setAttribute("aria-current", String(h.conversation_id === selected));
      button.append(text("span", say("status_" + h.status), "badge " + h.status), document.createTextNode(" "),
        text("strong", h.conversation_id), document.createElement("br"),
        text("span", `${h.channel} · ${h.language} · ${say("waiting", { minutes: minutes(h.requested_at) })}` + (h.claimed_by ? ` · ${h.claimed_by}` : "")));
      if (h.outside_hours) button.append(document.createTextNode(" "), text("span", say("outsideHours"), "badge outside"));
      button.append(document.createElement("br"), text("em", h.last_message || ""));
      button.addEventListener("click", () => select(h.conversation_id));
      item.append(button);
      list.append(item);
    }
  }

  function renderDesk(desk) {
    if (!desk) return;
    $("desk").textContent = say(desk.open ? "deskOpen" : "deskClosed", { hours: desk.hours });
    $("desk").className = "desk" + (desk.open ? "" : " closed");
  }

  // A conversation that starts waiting while the officer is here: a sound, a browser notification
  // (once the officer turned alerts on) and the count in the tab's title.
  function announce(queue) {
    const waiting = queue.filter((h) => h.status === "waiting");
    document.title = waiting.length ? `(${waiting.length}) ${pageTitle}` : pageTitle;
    const ids = new Set(waiting.map((h) => h.id));
    const fresh = seenWaiting ? waiting.filter((h) => !seenWaiting.has(h.id)) : [];
    seenWaiting = ids;
    if (!fresh.length) return;
    chime();
    if (window.Notification && Notification.permission === "granted") {
      for (const h of fresh) new Notification(say("newWaiting"), { body: h.last_message || h.conversation_id, tag: "handoff-" + h.id });
    }
  }

  let audio = null;
  function chime() {
    try {
      audio = audio || new AudioContext();
      const tone = audio.createOscillator(), gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.6);
    } catch (e) { /* no audio device: the notification and the title still tell */ }
  }

  async function turnOnAlerts() {
    audio = audio || new AudioContext();  // browsers allow sound only after a click on the page
    await audio.resume();
    const permission = window.Notification ? await Notification.requestPermission() : "denied";
    $("alerts-state").textContent = say(permission === "granted" ? "alertsOn" : "alertsBlocked");
  }

  // Past conversations this officer may read (an admin: all), found by words of the conversation id,
  // the officer or the internal notes, and by the day they were handed over.
  async function searchPast() {
    const query = new URLSearchParams({ q: $("search-words").value, from: $("search-from").value, to: $("search-to").value });
    const response = await fetch("/helpdesk/api/handoffs?" + query);
    const result = await response.json().catch(() => ({}));
    if (!response.ok) { showError(result.error || say("failed", { status: response.status })); return; }
    showError("");
    $("past-empty").hidden = result.handoffs.length > 0;
    $("past").replaceChildren(...result.handoffs.map((h) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.append(text("span", say("status_" + h.status), "badge " + h.status), document.createTextNode(" "),
        text("strong", h.conversation_id), document.createElement("br"),
        text("span", `${h.requested_at_shown} · ${h.channel} · ${h.language}` + (h.claimed_by ? ` · ${h.claimed_by}` : "")),
        ...(h.notes.length ? [document.createElement("br"), text("em", h.notes.map((n) => n.body).join(" / "))] : []));
      button.addEventListener("click", () => select(h.conversation_id));
      item.append(button);
      return item;
    }));
  }

  function renderConversation(c) {
    current = c;
    $("conversation").hidden = false;
    const log = $("transcript");
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
    log.replaceChildren(...c.transcript.map((line) => {
      const cls = line.from.startsWith("officer") ? "officer" : line.from;
      if (line.from === "system") return text("div", `— ${say(line.event, { button: line.text })}`, "line " + cls);
      const who = line.from === "applicant" ? say("applicant") : line.from === "bot" ? say("bot")
        : say("officer", { name: line.from.replace("officer:", "") });
      return text("div", `${who}: ${line.text}`, "line " + cls);
    }));
    if (atBottom) log.scrollTop = log.scrollHeight;
    const h = c.handoff;
    $("status").textContent = h ? `${say("status_" + h.status)}${h.claimed_by ? " · " + say("claimedBy", { name: h.claimed_by }) : ""}` : say("botAnswering");
    const mine = h && h.status === "active" && h.claimed_by === me;
    $("claim").disabled = !h || (h.status === "active" && h.claimed_by !== me) || mine;
    $("hand-back").disabled = $("close").disabled = !h || (h.status === "active" && !mine);
    $("reply").disabled = $("note").disabled = $("canned").disabled = !mine;  // only the officer answering writes (knowledge.handoffs)
    $("notes").replaceChildren(...(h ? h.notes.map((n) => text("div", `${n.author}: ${n.body}`)) : []));
  }

  function listen() {
    if (source) source.close();
    source = new EventSource("/helpdesk/api/stream" + (selected ? "?conversation=" + encodeURIComponent(selected) : ""));
    source.onmessage = (e) => {
      const data = JSON.parse(e.data);
      if (data.error) { streamTrouble = true; showError(say("livePaused", { error: data.error })); return; }
      if (streamTrouble) { streamTrouble = false; showError(""); }
      lastQueue = data.queue;
      renderQueue(data.queue);
      renderDesk(data.desk);
      announce(data.queue);
      if (data.conversation && data.conversation.conversation_id === selected) renderConversation(data.conversation);
      if (data.conversation === null && selected) closeConversation(say("noLonger"));
    };
    source.onerror = () => {
      // A refused stream (the conversation is not the helpdesk's) is not retried by the browser.
      if (source.readyState === EventSource.CLOSED && selected) return closeConversation(say("notWithHelpdesk"));
      streamTrouble = true;
      showError(say("connectionLost"));
    };
  }

  function select(conversationId) { selected = conversationId; listen(); }

  // Handed back by another officer (or never ours to read): the console stops showing it.
  function closeConversation(message) {
    selected = current = null;
    $("conversation").hidden = true;
    listen();
    showError(message);
  }

  async function step(name, body) {
    if (!current || !current.handoff) return;
    const response = await fetch(`/helpdesk/api/handoffs/${current.handoff.id}/${name}`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {}),
    });
    const result = await response.json().catch(() => ({}));
    showError(response.ok ? "" : result.error || say("failed", { status: response.status }));
    return response.ok;
  }

  // A canned reply goes into the reply box in the applicant's language, to edit before sending.
  const canned = JSON.parse($("canned-replies").textContent);
  $("canned").addEventListener("change", () => {
    const chosen = canned[Number($("canned").value)];
    $("canned").value = "";
    if (!chosen) return;
    const lang = current && current.handoff ? current.handoff.language : document.documentElement.lang;
    const text = chosen[lang] || chosen.en;
    $("reply").value = $("reply").value.trim() ? `${$("reply").value.trimEnd()}\n${text}` : text;
    $("reply").focus();
  });
  $("alerts").addEventListener("click", turnOnAlerts);
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); searchPast(); });
  setInterval(() => renderQueue(lastQueue), 30000);  // the waiting minutes go on when nothing else changes
  $("claim").addEventListener("click", () => step("claim"));
  $("hand-back").addEventListener("click", () => step("hand-back"));
  $("close").addEventListener("click", () => step("close"));
  $("reply-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (await step("reply", { text: $("reply").value })) $("reply").value = "";
  });
  $("note-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (await step("note", { text: $("note").value })) $("note").value = "";
  });
  listen();
})();
