/*
 * The clinic's chat widget: a small, dependency-light client for the bot's
 * socket.io channel (bot/channels/web.py). Needs the socket.io client (`io`)
 * loaded first, from web/vendor/socket.io.min.js.
 *
 * Embed:
 *   <link rel="stylesheet" href="/widget/widget.css">
 *   <script src="/vendor/socket.io.min.js" defer></script>
 *   <script src="/widget/widget.js" data-socket-url="https://bot.clinic.example" defer></script>
 *
 * Config (data attributes on the script tag): data-socket-url (else the page's
 * <meta name="cpp-chat-socket-url">, else this host on port 5005), data-title.
 *
 * Persistence: only the server-signed session token is stored (localStorage);
 * after a reload the transcript is fetched from the server ("history"), so the
 * caregiver's words are never kept in browser storage. Every bot text is put in
 * the page as text nodes; links are built as elements, never with innerHTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var TOKEN_KEY = "cppchat.session";
  var OPEN_KEY = "cppchat.open";
  var LINKABLE = new RegExp(
    "(https?://[^\\s<>\"]+|www\\.[^\\s<>\"]+)" + // 1: a web address
      "|([\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+)" + // 2: an email address
      "|((?:\\+?1[\\s.-]?)?(?:\\(\\d{3}\\)|\\d{3})[\\s.-]?\\d{3}[\\s.-]\\d{4})" + // 3: a phone number
      "|\\b(911|988)\\b", // 4: emergency and crisis lines
    "g"
  );

  function config() {
    var meta = document.querySelector('meta[name="cpp-chat-socket-url"]');
    var data = (script && script.dataset) || {};
    return {
      socketUrl:
        data.socketUrl ||
        (meta && meta.content) ||
        location.protocol + "//" + location.hostname + ":5005",
      title: data.title || "Questions about CPP?",
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function storage(kind) {
    try {
      return window[kind]; // may throw when storage is blocked
    } catch (e) {
      return null;
    }
  }

  /* Text with web addresses and phone numbers as links; everything else stays text. */
  function linkify(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    text.replace(LINKABLE, function (match, url, email, phone, shortLine, offset) {
      var shown = match;
      var trailing = "";
      if (url) {
        var cut = /[.,;:!?)\]]+$/.exec(shown); // sentence punctuation is not part of a URL
        if (cut) {
          trailing = cut[0];
          shown = shown.slice(0, -trailing.length);
        }
      }
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = document.createElement("a");
      link.textContent = shown;
      if (url) {
        link.href = /^https?:/i.test(shown) ? shown : "https://" + shown;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else if (email) {
        link.href = "mailto:" + shown;
      } else {
        link.href = "tel:" + shown.replace(/[^\d+]/g, "");
      }
      fragment.appendChild(link);
      if (trailing) fragment.appendChild(document.createTextNode(trailing));
      last = offset + match.length;
      return match;
    });
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function Widget(options) {
    this.options = options;
    this.socket = null;
    this.ready = false;
    this.pending = []; // sent, not yet acknowledged: re-sent (same id) after a reconnect
    this.build();
  }

  Widget.prototype.build = function () {
    var self = this;
    this.launcher = el("button", { type: "button", class: "cppchat-launcher", "aria-expanded": "false" });
    this.launcher.textContent = "Chat with us";
    this.panel = el("section", { class: "cppchat-panel", "aria-labelledby": "cppchat-title" });
    this.panel.hidden = true;

    var header = el("div", { class: "cppchat-header" });
    header.appendChild(el("h2", { id: "cppchat-title" }, this.options.title));
    this.closeButton = el("button", { type: "button", class: "cppchat-close", "aria-label": "Close chat" }, "×");
    header.appendChild(this.closeButton);

    var note = el("p", { class: "cppchat-note" });
    note.appendChild(document.createTextNode("You're talking to an automated assistant, not a therapist. "));
    note.appendChild(document.createTextNode("Messages are stored securely and read only by clinic staff. "));
    var emergency = el("strong", { class: "cppchat-emergency" });
    emergency.appendChild(linkify("In an emergency, call 911."));
    note.appendChild(emergency);

    this.log = el("ol", { class: "cppchat-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    this.typing = el("p", { class: "cppchat-typing", role: "status" });
    this.replies = el("div", { class: "cppchat-replies", role: "group", "aria-label": "Suggested replies" });
    this.status = el("p", { class: "cppchat-status", role: "status" });

    this.form = el("form", { class: "cppchat-form" });
    var label = el("label", { for: "cppchat-input", class: "cppchat-visually-hidden" }, "Your message");
    this.input = el("textarea", { id: "cppchat-input", rows: "2", autocomplete: "off", placeholder: "Type your question…" });
    this.sendButton = el("button", { type: "submit", class: "cppchat-send" }, "Send");
    this.form.appendChild(label);
    this.form.appendChild(this.input);
    this.form.appendChild(this.sendButton);

    [header, note, this.log, this.typing, this.replies, this.form, this.status].forEach(function (n) {
      self.panel.appendChild(n);
    });
    document.body.appendChild(this.launcher);
    document.body.appendChild(this.panel);

    this.launcher.addEventListener("click", function () {
      self.open(true);
    });
    this.closeButton.addEventListener("click", function () {
      self.close();
    });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") self.close();
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.send(text, text);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.form.requestSubmit ? self.form.requestSubmit() : self.form.dispatchEvent(new Event("submit"));
      }
    });

    var session = storage("sessionStorage");
    if (session && session.getItem(OPEN_KEY) === "1") this.open(false);
  };

  Widget.prototype.open = function (focus) {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    var session = storage("sessionStorage");
    if (session) session.setItem(OPEN_KEY, "1");
    this.connect();
    if (focus) this.input.focus();
  };

  Widget.prototype.close = function () {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    var session = storage("sessionStorage");
    if (session) session.removeItem(OPEN_KEY);
    this.launcher.focus();
  };

  Widget.prototype.connect = function () {
    var self = this;
    if (this.socket) return;
    if (typeof window.io !== "function") {
      this.setStatus("The chat could not load. Please call the clinic instead.");
      return;
    }
    this.setStatus("Connecting…");
    // WebSocket only: no CORS involved (the server checks the Origin itself), and one
    // connection stays on the Rasa instance it opened on, so several instances behind
    // a plain round-robin proxy need no sticky sessions (README, Production stack).
    // Long-polling would send each poll to any instance; the proxy refuses it.
    this.socket = window.io(this.options.socketUrl, {
      transports: ["websocket"],
      reconnectionDelayMax: 10000,
    });
    this.socket.on("connect", function () {
      var local = storage("localStorage");
      self.socket.emit("session_request", { session_id: local && local.getItem(TOKEN_KEY) });
    });
    this.socket.on("session_confirm", function (token) {
      var local = storage("localStorage");
      if (local) local.setItem(TOKEN_KEY, token);
      self.token = token;
      self.ready = true;
      self.setStatus("");
      self.loadHistory();
    });
    this.socket.on("bot_uttered", function (message) {
      self.addBotMessage(message || {});
    });
    this.socket.on("disconnect", function () {
      self.ready = false;
      self.setStatus("Connection lost. Trying again…");
    });
    this.socket.on("connect_error", function () {
      self.ready = false;
      self.setStatus(
        self.socket.active
          ? "Can't reach the chat right now. Trying again…"
          : "This page can't use the chat. Please call the clinic instead."
      );
    });
  };

  /* Re-render the conversation from the server, then re-send anything unacknowledged. */
  Widget.prototype.loadHistory = function () {
    var self = this;
    this.socket.emit("history", {}, function (reply) {
      var messages = (reply && reply.messages) || [];
      var unsent = self.pending.map(function (p) {
        return p.shown;
      });
      self.log.setAttribute("aria-busy", "true"); // one re-render, not a read-out of it all
      self.log.textContent = "";
      self.clearReplies();
      messages.forEach(function (m) {
        if (m.sender === "user") self.addUserMessage(m.text);
        else self.addBotMessage(m);
      });
      unsent.forEach(function (text) {
        self.addUserMessage(text);
      });
      self.log.removeAttribute("aria-busy");
      self.flush();
    });
  };

  Widget.prototype.send = function (message, shown) {
    this.clearReplies();
    this.addUserMessage(shown);
    this.pending.push({ message: message, shown: shown, id: randomId() });
    this.flush();
  };

  Widget.prototype.flush = function () {
    var self = this;
    if (!this.ready) return;
    this.pending.forEach(function (item) {
      if (item.inFlight === self.socket.id) return;
      item.inFlight = self.socket.id;
      self.socket.emit(
        "user_uttered",
        { message: item.message, message_id: item.id, session_id: self.token },
        function () {
          self.pending = self.pending.filter(function (p) {
            return p !== item;
          });
          self.updateTyping();
        }
      );
    });
    this.updateTyping();
  };

  Widget.prototype.updateTyping = function () {
    var busy = this.pending.length > 0;
    this.typing.classList.toggle("cppchat-typing-on", busy);
    this.typing.textContent = busy ? "The assistant is typing…" : "";
  };

  Widget.prototype.addUserMessage = function (text) {
    var item = el("li", { class: "cppchat-msg cppchat-user" });
    item.appendChild(el("span", { class: "cppchat-visually-hidden" }, "You said: "));
    item.appendChild(document.createTextNode(text));
    this.append(item);
  };

  Widget.prototype.addBotMessage = function (message) {
    if (typeof message.text === "string" && message.text) {
      var item = el("li", { class: "cppchat-msg cppchat-bot" });
      item.appendChild(el("span", { class: "cppchat-visually-hidden" }, "Assistant: "));
      item.appendChild(linkify(message.text));
      this.append(item);
    }
    this.clearReplies();
    this.showReplies(message.quick_replies || []);
  };

  Widget.prototype.append = function (item) {
    this.log.appendChild(item);
    this.log.scrollTop = this.log.scrollHeight;
  };

  Widget.prototype.clearReplies = function () {
    this.replies.textContent = "";
  };

  Widget.prototype.showReplies = function (replies) {
    var self = this;
    replies.forEach(function (reply) {
      if (!reply || typeof reply.title !== "string" || typeof reply.payload !== "string") return;
      var button = el("button", { type: "button", class: "cppchat-reply" }, reply.title);
      button.addEventListener("click", function () {
        self.send(reply.payload, reply.title);
        self.input.focus();
      });
      self.replies.appendChild(button);
    });
  };

  Widget.prototype.setStatus = function (text) {
    this.status.textContent = text;
  };

  function start() {
    window.cppChat = new Widget(config());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
