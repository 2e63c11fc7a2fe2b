/*
 * The support chat's loader for other sites. A support site adds one tag:
 *
 *   <script src="https://support.example.com/embed.js" async
 *           data-label="Chat with support" data-colour="#1f5fbf" data-position="right"
 *           data-lang="en"></script>
 *
 * and gets a launcher button. The chat (the wasm app) loads in an iframe only when the launcher
 * is hovered, focused or opened, so the host page pays for this file alone. The page talks to
 * the chat through postMessage with the exact origin on both sides; every message is checked for
 * its origin, its sender and its shape, and anything else is ignored. The host page may call
 * window.SupportWidget.open(), .close() and .prefill({ name, problem }), and hears
 * "support-widget" events on window (detail.type "ended" or "moved").
 *
 * Plain JavaScript, no framework: it runs on pages we do not control.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || window.SupportWidget) return;
  const server = new URL(script.src).origin;
  const data = script.dataset;
  const lang = data.lang === "de" || data.lang === "en" ? data.lang
    : (navigator.language || "").toLowerCase().startsWith("de") ? "de" : "en";
  const texts = {
    en: { label: "Chat with support", close: "Close chat", frame: "Support chat", unread: "unread" },
    de: { label: "Chat mit dem Support", close: "Chat schließen", frame: "Support-Chat", unread: "ungelesen" },
  }[lang];
  const label = (data.label || texts.label).slice(0, 60);
  const colour = /^#[0-9a-fA-F]{3,8}$/.test(data.colour || "") ? data.colour : "#1f5fbf";
  const side = data.position === "left" ? "left" : "right";
  // Whether the chat was open, so that the next page of the host site opens it again.
  const OPEN_KEY = "support-widget:open";
  const PREFIX = "support:";

  const style = document.createElement("style");
  style.textContent = `
#support-widget-launcher{position:fixed;bottom:20px;${side}:20px;z-index:2147483000;
 font:600 15px/1 system-ui,sans-serif;color:#fff;background:${colour};border:0;
 border-radius:24px;padding:14px 20px;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}
#support-widget-launcher:focus-visible{outline:3px solid #000;outline-offset:3px}
#support-widget-badge{position:fixed;bottom:52px;${side}:14px;z-index:2147483001;
 min-width:22px;height:22px;border-radius:11px;background:#c62828;color:#fff;
 font:700 13px/22px system-ui,sans-serif;text-align:center;padding:0 6px;box-sizing:border-box}
#support-widget-panel{position:fixed;bottom:20px;${side}:20px;z-index:2147483002;
 width:min(400px,calc(100vw - 40px));height:min(640px,calc(100vh - 40px));display:flex;
 flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;
 box-shadow:0 8px 30px rgba(0,0,0,.3)}
#support-widget-panel[hidden],#support-widget-badge[hidden],#support-widget-launcher[hidden]{display:none}
#support-widget-close{align-self:flex-end;margin:6px;font:600 14px system-ui,sans-serif;
 background:none;border:1px solid #888;border-radius:6px;padding:6px 10px;cursor:pointer;color:#222}
#support-widget-frame{flex:1;border:0;width:100%}
.support-widget-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.id = "support-widget-launcher";
  launcher.textContent = label;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "support-widget-panel");

  const badge = document.createElement("span");
  badge.id = "support-widget-badge";
  badge.hidden = true;
  badge.setAttribute("role", "status");

  const panel = document.createElement("div");
  panel.id = "support-widget-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", texts.frame);
  const close = document.createElement("button");
  close.type = "button";
  close.id = "support-widget-close";
  close.textContent = texts.close;
  panel.append(close);

  let frame = null;
  let ready = false;
  let waiting = []; // messages for the chat until it says it is ready

  function load() {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.id = "support-widget-frame";
    frame.title = texts.frame;
    frame.allow = "display-capture; autoplay; clipboard-write; fullscreen";
    const address = new URL("/chat", server);
    address.searchParams.set("embed", "1");
    address.searchParams.set("host", location.origin);
    address.searchParams.set("lang", lang);
    frame.src = address.href;
    panel.append(frame);
  }

  function tell(message) {
    if (ready) frame.contentWindow.postMessage(message, server);
    else waiting.push(message);
  }

  function open() {
    load();
    panel.hidden = false;
    launcher.hidden = true;
    badge.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    sessionStorage.setItem(OPEN_KEY, "1");
    tell({ type: PREFIX + "open" });
    frame.focus();
  }

  function shut() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    sessionStorage.removeItem(OPEN_KEY);
    tell({ type: PREFIX + "close" });
    launcher.focus();
  }

  function showUnread(count) {
    badge.hidden = count === 0 || !panel.hidden;
    badge.textContent = String(count);
    badge.setAttribute("aria-label", `${count} ${texts.unread}`);
  }

  const isText = (v, max) => typeof v === "string" && v.length <= max;
  const hasKeys = (d, keys) =>
    Object.keys(d).length === keys.length && keys.every((k) => Object.hasOwn(d, k));

  // What the chat may say, each with its exact shape.
  function fromChat(d) {
    if (typeof d !== "object" || d === null || Array.isArray(d)) return;
    switch (d.type) {
      case PREFIX + "ready":
        if (!hasKeys(d, ["type"])) return;
        ready = true;
        waiting.forEach((m) => frame.contentWindow.postMessage(m, server));
        waiting = [];
        return;
      case PREFIX + "close":
        if (hasKeys(d, ["type"])) shut();
        return;
      case PREFIX + "unread":
        if (hasKeys(d, ["type", "count"]) && Number.isInteger(d.count) && d.count >= 0 && d.count < 10000)
          showUnread(d.count);
        return;
      case PREFIX + "ended":
      case PREFIX + "moved":
        if (!hasKeys(d, ["type"])) return;
        // Nothing to take up again on the next page.
        sessionStorage.removeItem(OPEN_KEY);
        window.dispatchEvent(new CustomEvent("support-widget", { detail: { type: d.type.slice(PREFIX.length) } }));
        return;
    }
  }

  window.addEventListener("message", (event) => {
    if (!frame || event.origin !== server || event.source !== frame.contentWindow) return;
    fromChat(event.data);
  });
  launcher.addEventListener("click", open);
  // Load the chat as soon as the customer shows interest, so it is there when they click.
  launcher.addEventListener("pointerenter", load);
  launcher.addEventListener("focus", load);
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") shut();
  });

  window.SupportWidget = Object.freeze({
    open,
    close: shut,
    prefill(fields) {
      const name = fields && fields.name;
      const problem = fields && fields.problem;
      if (!isText(name, 100) || !isText(problem, 2000)) return false;
      tell({ type: PREFIX + "prefill", name, problem });
      return true;
    },
  });

  function mount() {
    document.head.append(style);
    document.body.append(launcher, badge, panel);
    if (sessionStorage.getItem(OPEN_KEY) === "1") open();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
