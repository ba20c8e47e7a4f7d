// K-City Network chat widget: one <script> tag adds a chat bubble that talks to Rasa's socket.io channel.
//
//   <script>window.KCN_CHAT = { serverUrl: "https://bot.example.org", language: "ko", title: "K-City Network" };</script>
//   <script src="https://bot.example.org/widget/kcn-widget.js" defer></script>
//
// Messages are rendered as text only (never as HTML). The session id and the transcript are kept
// in localStorage, so a page reload continues the same conversation and shows its history.
import { io } from "socket.io-client";

// Its words come from the bilingual layer (knowledge/wording/messages.yml, key `widget`), written
// to ui-texts.json when the widget is built (`make widget`).
import UI from "./ui-texts.json";
// The server's limit (KCN_MAX_MESSAGE_CHARS) when the page passes it as `maxLength`.
const DEFAULT_MAX_LENGTH = 2000;
const KEEP_MESSAGES = 200;
const REPLY_TIMEOUT_MS = 30000;

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function chatIcon() {
  // Drawn rather than an emoji, which not every system has a font for.
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "28");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  svg.append(path);
  return svg;
}

function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const STYLE = `
.kcn-bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;
  background:#0b5cab;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:2147483000}
.kcn-bubble:focus-visible,.kcn-panel button:focus-visible,.kcn-panel input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.kcn-panel{position:fixed;right:20px;bottom:90px;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));
  display:flex;flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:10px;
  box-shadow:0 4px 16px rgba(0,0,0,.25);font:15px/1.45 system-ui,sans-serif;color:#111;z-index:2147483000}
.kcn-panel[hidden]{display:none}
.kcn-head{display:flex;align-items:center;gap:6px;padding:10px;background:#0b5cab;color:#fff;border-radius:10px 10px 0 0}
.kcn-head h2{flex:1;margin:0;font-size:16px}
.kcn-head button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:4px;padding:2px 6px;cursor:pointer}
.kcn-head button[aria-pressed=true]{background:#fff;color:#0b5cab}
.kcn-log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:6px}
.kcn-msg{max-width:85%;padding:7px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}
.kcn-user{align-self:flex-end;background:#0b5cab;color:#fff}
.kcn-bot{align-self:flex-start;background:#eef1f6}
.kcn-helpdesk{align-self:flex-start;background:#e6f4ea;border-left:3px solid #1b5e20}
.kcn-sender{display:block;font-size:12px;font-weight:600;color:#1b5e20;margin-bottom:2px}
.kcn-buttons{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}
.kcn-buttons button{border:1px solid #0b5cab;background:#fff;color:#0b5cab;border-radius:14px;padding:4px 10px;cursor:pointer}
.kcn-status{padding:4px 10px;font-size:13px;color:#555;min-height:1.2em}
.kcn-alert{padding:6px 10px;background:#fdecea;color:#8a1c1c;font-size:13px}
.kcn-alert:empty{display:none}
.kcn-form{display:flex;gap:6px;padding:8px;border-top:1px solid #dde}
.kcn-form input{flex:1;padding:7px;border:1px solid #99a;border-radius:6px;font:inherit}
.kcn-form button{padding:7px 12px;border:0;border-radius:6px;background:#0b5cab;color:#fff;cursor:pointer}
.kcn-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

function start(config) {
  const server = config.serverUrl || window.location.origin;
  const store = window.localStorage;
  const key = (name) => `kcn-chat:${server}:${name}`;
  let language = store.getItem(key("language")) || config.language || "ko";
  if (!UI[language]) language = "ko";
  let sessionId = store.getItem(key("session")) || randomId();
  store.setItem(key("session"), sessionId);
  let transcript = JSON.parse(store.getItem(key("transcript")) || "[]");
  let waiting = null;
  // Messages wait for the server to confirm the session: it drops messages of unconfirmed sessions.
  let confirmed = false;
  const outbox = [];

  const style = el("style", {}, STYLE);
  const bubble = el("button", { class: "kcn-bubble", type: "button", "aria-expanded": "false", "aria-controls": "kcn-panel" });
  bubble.append(chatIcon());
  const panel = el("section", { class: "kcn-panel", id: "kcn-panel", role: "dialog", "aria-labelledby": "kcn-title", hidden: "" });
  const head = el("div", { class: "kcn-head" });
  const title = el("h2", { id: "kcn-title" }, config.title || "K-City Network");
  const langGroup = el("div", { role: "group" });
  const koButton = el("button", { type: "button", lang: "ko", "data-lang": "ko" }, UI.ko.languageName);
  const enButton = el("button", { type: "button", lang: "en", "data-lang": "en" }, UI.en.languageName);
  const closeButton = el("button", { type: "button", class: "kcn-close" }, "✕");
  langGroup.append(koButton, enButton);
  head.append(title, langGroup, closeButton);
  const alertBox = el("div", { class: "kcn-alert", role: "alert" });
  const log = el("div", { class: "kcn-log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
  const status = el("div", { class: "kcn-status", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "kcn-form" });
  const inputLabel = el("label", { class: "kcn-sr", for: "kcn-input" });
  const maxLength = Number(config.maxLength) || DEFAULT_MAX_LENGTH;
  const input = el("input", { id: "kcn-input", type: "text", maxlength: String(maxLength), autocomplete: "off" });
  const sendButton = el("button", { type: "submit" });
  form.append(inputLabel, input, sendButton);
  panel.append(head, alertBox, log, status, form);
  document.body.append(style, bubble, panel);

  function t(name) { return UI[language][name]; }

  function relabel() {
    bubble.setAttribute("aria-label", t("open"));
    closeButton.setAttribute("aria-label", t("close"));
    langGroup.setAttribute("aria-label", t("language"));
    inputLabel.textContent = t("placeholder");
    input.placeholder = t("placeholder");
    sendButton.textContent = t("send");
    koButton.setAttribute("aria-pressed", String(language === "ko"));
    enButton.setAttribute("aria-pressed", String(language === "en"));
    panel.setAttribute("lang", language);
  }

  function save() {
    transcript = transcript.slice(-KEEP_MESSAGES);
    store.setItem(key("transcript"), JSON.stringify(transcript));
  }

  function render(entry) {
    if (entry.from === "user") {
      const bubbleText = el("div", { class: "kcn-msg kcn-user" });
      bubbleText.append(el("span", { class: "kcn-sr" }, t("you") + ": "), document.createTextNode(entry.text));
      log.append(bubbleText);
    } else if (entry.from === "helpdesk") {
      // A person wrote this (a helpdesk officer): their label, not the bot's look.
      const bubbleText = el("div", { class: "kcn-msg kcn-helpdesk" });
      bubbleText.append(el("span", { class: "kcn-sender" }, entry.label), document.createTextNode(entry.text));
      log.append(bubbleText);
    } else {
      if (entry.text) {
        const bubbleText = el("div", { class: "kcn-msg kcn-bot" });
        bubbleText.append(el("span", { class: "kcn-sr" }, t("bot") + ": "), document.createTextNode(entry.text));
        log.append(bubbleText);
      }
      if (entry.buttons && entry.buttons.length) {
        const row = el("div", { class: "kcn-buttons" });
        for (const b of entry.buttons) {
          const button = el("button", { type: "button" }, b.title);
          button.addEventListener("click", () => send(b.payload, b.title));
          row.append(button);
        }
        log.append(row);
      }
    }
    log.scrollTop = log.scrollHeight;
  }

  function add(entry) {
    transcript.push(entry);
    save();
    render(entry);
  }

  function typing(on) {
    clearTimeout(waiting);
    status.textContent = on ? t("typing") : "";
    if (on) waiting = setTimeout(() => { status.textContent = ""; alertBox.textContent = t("noReply"); }, REPLY_TIMEOUT_MS);
  }

  const socket = io(server, { path: "/socket.io", transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
  socket.on("connect", () => {
    alertBox.textContent = "";
    socket.emit("session_request", { session_id: sessionId });
  });
  socket.on("session_confirm", (answer) => {
    const id = typeof answer === "string" ? answer : answer && answer.session_id;
    if (id && id !== sessionId) { sessionId = id; store.setItem(key("session"), id); }
    confirmed = true;
    while (outbox.length) socket.emit("user_uttered", { ...outbox.shift(), session_id: sessionId });
  });
  socket.on("connect_error", () => { alertBox.textContent = t("offline"); typing(false); });
  socket.on("disconnect", () => { confirmed = false; alertBox.textContent = t("offline"); });
  socket.on("bot_uttered", (message) => {
    typing(false);
    alertBox.textContent = "";
    if (message.sender && message.sender.kind === "helpdesk") {
      add({ from: "helpdesk", label: String(message.sender.label || ""), text: String(message.text || "") });
      return;
    }
    const buttons = (message.quick_replies || message.buttons || []).map((b) => ({ title: String(b.title), payload: String(b.payload) }));
    add({ from: "bot", text: message.text ? String(message.text) : "", buttons });
  });

  function send(payload, shown) {
    const text = (payload || "").trim();
    if (!text) { status.textContent = t("empty"); return; }
    if (shown !== null) add({ from: "user", text: shown || text });
    const message = { message: text.slice(0, maxLength), metadata: { language } };
    if (confirmed) socket.emit("user_uttered", { ...message, session_id: sessionId });
    else { outbox.push(message); if (!socket.connected) alertBox.textContent = t("offline"); }
    typing(true);
  }

  function setLanguage(lang, greet) {
    language = lang;
    store.setItem(key("language"), lang);
    relabel();
    // A payload, not a typed message: it sets the conversation's language and greets in it.
    if (greet) send(`/greet{"language": "${lang}"}`, null);
  }

  function open(show) {
    panel.hidden = !show;
    bubble.setAttribute("aria-expanded", String(show));
    if (show) {
      input.focus();
      if (!transcript.length) setLanguage(language, true);
    } else {
      bubble.focus();
    }
  }

  bubble.addEventListener("click", () => open(panel.hidden));
  closeButton.addEventListener("click", () => open(false));
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") open(false); });
  koButton.addEventListener("click", () => setLanguage("ko", true));
  enButton.addEventListener("click", () => setLanguage("en", true));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    send(input.value, undefined);
    input.value = "";
  });

  relabel();
  transcript.forEach(render);
  if (config.open || store.getItem(key("open")) === "1") open(true);
  window.addEventListener("beforeunload", () => store.setItem(key("open"), panel.hidden ? "0" : "1"));
}

function configFromScript() {
  const script = document.currentScript;
  const data = script ? script.dataset : {};
  return Object.assign({}, { serverUrl: data.serverUrl, language: data.language, title: data.title }, window.KCN_CHAT || {});
}

const config = configFromScript();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => start(config));
else start(config);
