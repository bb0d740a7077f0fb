// The order timeline page: fetches GET /api/orders/{id}/timeline every few seconds and redraws what changed.
// Everything from the API is put in the page with textContent, never as HTML: customers and senders wrote much of it.
"use strict";

(() => {
  const POLL_MS = 3000;
  const FETCH_TIMEOUT_MS = 10000;
  // After a poll that failed, the next waits twice as long, up to this, and after one with no answer in time it may also
  // take twice as long: a link too slow for the answer in 10 s gets the time it needs instead of starting the whole
  // download again every 13 s, and a server answering 503 or 429 is not asked again every 3 s by every open tab.
  const MAX_BACKOFF_MS = 60000;
  // A Retry-After the server sends is waited out, up to this: a longer one is taken for a mistake, not obeyed for hours.
  const MAX_RETRY_AFTER_MS = 300000;
  // A session token lives 60 s and clerk-js renews the cookie before it ends; a tab in the background may be late at it, so
  // a 401 "expired" is waited out, polling with the backoff, for this long before the page takes it for a sign-out.
  const MAX_RENEWAL_WAIT_MS = 600000;
  // A moment in the reader's own zone, named: a time without its zone is ambiguous to anyone working across zones.
  const TIME_FORMAT = { dateStyle: "medium", timeStyle: "long" };
  const TONES = new Set(["info", "good", "warning", "problem"]);
  const KNOWN_LABELS = new Set(["needs-review", "needs-action"]);
  // A customer's messages are announced by sender, ours by the agent's reply entry: their timeline entries would say the same again.
  const MESSAGE_KINDS = new Set(["message_in", "message_out"]);
  const MAX_NEWS = 3;

  const orderId = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop() || "");
  const timelineUrl = `/api/orders/${encodeURIComponent(orderId)}/timeline`;
  let lastDrawn = null;
  let lastView = null;
  // The ETag of the answer drawn: sent back in If-None-Match, so while nothing changed a poll costs a 304 with no body.
  let lastTag = null;
  let stopped = false;
  // When the first 401 "expired" of the current wait came, or null while the session is good.
  let renewalSince = null;
  let waitMs = POLL_MS;
  let timeoutMs = FETCH_TIMEOUT_MS;

  const byId = (id) => document.getElementById(id);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  // Text a customer or sender wrote, shown whole: it takes its direction from its own first letter (an Arabic or Hebrew
  // subject reads right to left, its punctuation where its writer put it), not the page's. The API's own sentences get
  // none: it isolates the foreign text inside them, and dir=auto would give a whole sentence the direction of its subject.
  function foreign(tag, className, text) {
    const node = element(tag, className, text);
    node.dir = "auto";
    return node;
  }

  // Class names come only from fixed sets, so no value from the API ever becomes markup or a selector.
  const tone = (value) => (TONES.has(value) ? value : "info");

  function when(iso) {
    if (!iso) {
      return "time not recorded";
    }
    return new Date(iso).toLocaleString(undefined, TIME_FORMAT);
  }

  // The moment in words and, in datetime, in UTC for whatever reads the page's markup (a screen reader, a translation).
  function time(className, iso) {
    const node = element("time", className, when(iso));
    if (iso) {
      node.dateTime = new Date(iso).toISOString();
    }
    return node;
  }

  function labels(values) {
    const list = element("span", "labels");
    for (const value of values || []) {
      const known = KNOWN_LABELS.has(value) ? ` label-${value}` : "";
      list.append(element("span", `label${known}`, value));
    }
    return list;
  }

  // The status is a live region: a screen reader reads out every write, so it is written only when what it says changed
  // (fine to failing and back), never at each poll.
  function setStatus(text, statusTone) {
    const status = byId("status");
    status.dataset.tone = statusTone || "";
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  // Outside any live region: the time of the latest answer changes at every poll, to be seen, not read out. The count of
  // answers tells whoever watches the page (the browser specs) that a poll was answered. An answer ends any backoff.
  function answered(at) {
    waitMs = POLL_MS;
    timeoutMs = FETCH_TIMEOUT_MS;
    renewalSince = null;
    const freshness = byId("freshness");
    freshness.textContent = `as of ${at.toLocaleTimeString(undefined, { timeStyle: TIME_FORMAT.timeStyle })}`;
    freshness.dataset.answers = String(Number(freshness.dataset.answers || 0) + 1);
  }

  const entryKey = (entry) => JSON.stringify([entry.kind, entry.title, entry.at, entry.detail]);

  // What an answer brings that the one drawn before did not, in words: new messages received by sender, other new or
  // changed entries by their title.
  function news(before, view) {
    const known = new Set(before.conversation.map((message) => message.id));
    const messages = view.conversation.filter((message) => message.direction === "inbound" && !known.has(message.id));
    const said = [];
    if (messages.length === 1) {
      said.push(`1 new message from ${messages[0].from}`);
    } else if (messages.length > 1) {
      said.push(`${messages.length} new messages, the newest from ${messages[messages.length - 1].from}`);
    }
    const seen = new Set(before.timeline.map(entryKey));
    said.push(...view.timeline.filter((entry) => !MESSAGE_KINDS.has(entry.kind) && !seen.has(entryKey(entry))).map((entry) => entry.title));
    return said.length > MAX_NEWS ? [...said.slice(0, MAX_NEWS), `and ${said.length - MAX_NEWS} more changes`] : said;
  }

  // A new node in the log region is read out once; the previous one goes, so the region holds only the latest news.
  function announce(said) {
    if (said.length > 0) {
      byId("news").replaceChildren(element("p", null, said.join(". ")));
    }
  }

  function renderOrder(order) {
    document.title = `${order.order_ref} · Order timeline`;
    byId("title").textContent = `Order ${order.order_ref}`;

    const provisioning = order.provisioning.detail
      ? `${order.provisioning.state}: ${order.provisioning.detail}`
      : order.provisioning.state;
    const facts = [
      ["Reference", order.order_ref],
      ["State", order.status],
      ["Customer", order.customer_name ? `${order.customer_name} <${order.customer_email}>` : order.customer_email],
      ["Reply address", order.reply_address || "not provisioned yet"],
      ["Inbox", provisioning, order.provisioning.state === "failed" ? "tone-problem" : null],
      ["Placed", when(order.created_at)],
      ["Messages", `${order.message_count} (${order.unread_count} unread)`],
      ["Emails", order.email_count],
    ];
    byId("facts").replaceChildren(...facts.flatMap(([term, value, className]) => [element("dt", null, term), element("dd", className, value)]));

    // Amounts are shown as the server writes them, the confirmation's and the "Order placed" entry's text: a JSON number
    // is a double here, about 16 significant digits where an amount may have 19, and formatting it to the currency's usual
    // decimals would show 12.345 EUR as €12.35.
    byId("items").replaceChildren(...order.items.map((item) => {
      const row = element("tr");
      const name = element("td", null, item.name);
      name.append(element("span", "sku", item.sku));
      row.append(
        name,
        element("td", "num", item.quantity),
        element("td", "num", item.unit_price_text),
        element("td", "num", item.amount_text));
      return row;
    }));
    byId("total").textContent = order.total_text;
  }

  // The answer tells the order's newest emails and its confirmation's, however old; the rest are the API's to page through.
  function renderTimeline(entries, order, emailsShown) {
    const older = byId("timeline-older");
    older.hidden = order.email_count <= emailsShown;
    const confirmation = emailsShown > order.emails.length ? ", and the order confirmation" : "";
    older.textContent = `The newest ${order.emails.length} of ${order.email_count} emails are shown${confirmation}; the older ones are not shown here.`;
    byId("timeline").replaceChildren(...entries.map((entry) => {
      const item = element("li", `tone-${tone(entry.tone)}`);
      item.dataset.kind = entry.kind;
      const what = element("span", "what", entry.title);
      item.append(time("when", entry.at), what);
      if (entry.labels && entry.labels.length > 0) {
        what.append(labels(entry.labels));
      }
      // A message's detail is its subject.
      if (entry.detail) {
        item.append((MESSAGE_KINDS.has(entry.kind) ? foreign : element)("span", "detail", entry.detail));
      }
      return item;
    }));
  }

  // The answer carries the newest messages only; the rest are the API's to page through.
  function renderConversation(messages, total) {
    byId("conversation-empty").hidden = messages.length > 0;
    const older = byId("conversation-older");
    older.hidden = total <= messages.length;
    older.textContent = `The newest ${messages.length} of ${total} messages; the older ones are not shown here.`;
    byId("conversation").replaceChildren(...messages.map((message) => {
      const ours = message.direction === "outbound";
      const item = element("li", ours ? "outbound" : "inbound");
      const head = element("div", "message-head");
      // Said in words as well as by the tint and the side, which tell a screen reader, or a reader who cannot tell the
      // colours apart, nothing. Every outbound message is the agent's reply; an inbound one may be from anyone.
      head.append(element("span", "direction", ours ? "Our reply" : "Received"), foreign("span", "from", message.from), time(null, message.received_at));
      if (message.direction === "inbound" && !message.sender_verified) {
        head.append(element("span", "unverified", "not the order's address"));
      }
      if (message.labels.length > 0) {
        head.append(labels(message.labels));
      }
      item.append(head, foreign("span", "subject", message.subject), foreign("p", "body", message.body));
      if (message.body_cut) {
        item.append(element("p", "body-cut", "… the message goes on; only its beginning is shown here."));
      }

      const reply = message.agent_reply;
      if (reply) {
        const state = reply.delivery_state || "waiting for the relay";
        const replyTone = ["bounced", "complained", "failed"].includes(reply.delivery_state) ? "problem"
          : reply.delivery_state === "delivered" ? "good" : "info";
        item.append(element("p", `reply tone-${replyTone}`,
          `Agent replied (${reply.intent.replaceAll("_", " ")}, by ${reply.composer}) ${when(reply.written_at)}: email ${state.replaceAll("_", " ")}`));
      }
      return item;
    }));
  }

  function render(view) {
    renderOrder(view.order);
    renderTimeline(view.timeline, view.order, view.emails_shown);
    renderConversation(view.conversation, view.order.message_count);
  }

  // Signed out, or a session not renewed in time: the order goes from the page, the customer's mail with it, so whoever
  // comes to the screen next sees none of it, and the page stops asking.
  function signedOut() {
    stopped = true;
    for (const id of ["facts", "items", "timeline", "conversation", "news"]) {
      byId(id).replaceChildren();
    }
    for (const id of ["total", "freshness"]) {
      byId(id).textContent = "";
    }
    for (const id of ["timeline-older", "conversation-older", "conversation-empty"]) {
      byId(id).hidden = true;
    }
    byId("title").textContent = "Order";
    document.title = "Order timeline";
    setStatus("You are signed out: sign in again to see this order.", "problem");
  }

  // The problem's reason (SessionTokenRejection's codes), or null when the answer is not a problem that names one.
  async function reasonOf(response) {
    try {
      return (await response.json()).reason ?? null;
    } catch {
      return null;
    }
  }

  // Retry-After in seconds or as an HTTP date; 0 when there is none or it makes no sense.
  function retryAfterMs(response) {
    const value = (response.headers.get("Retry-After") || "").trim();
    const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
    return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : 0;
  }

  async function poll() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      // no-store: the browser never answers from a copy of its own; the page asks with the tag it holds instead.
      const headers = { Accept: "application/json" };
      if (lastTag) {
        headers["If-None-Match"] = lastTag;
      }
      const response = await fetch(timelineUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers,
        signal: controller.signal,
      });
      if (response.status === 401) {
        renewalSince ??= Date.now();
        if (await reasonOf(response) !== "expired" || Date.now() - renewalSince >= MAX_RENEWAL_WAIT_MS) {
          signedOut();
          return;
        }
        waitMs = Math.min(waitMs * 2, MAX_BACKOFF_MS);
        setStatus(`Waiting for your sign-in to be renewed${lastView ? "; the order shown may be out of date" : ""}`, "warning");
        return;
      }
      if (response.status === 404) {
        stopped = true;
        setStatus("No such order.", "problem");
        return;
      }
      if (response.status === 304) {
        setStatus("Up to date", "good");
        answered(new Date());
        return;
      }
      if (!response.ok) {
        throw Object.assign(new Error(`the server answered ${response.status}`), { retryAfterMs: retryAfterMs(response) });
      }
      // generated_at is new in every answer, so it is left out of the comparison: only a changed order is drawn
      // again, so a reader's place and selection survive the polling. The freshness line says how fresh it is instead.
      const { generated_at: generatedAt, ...view } = await response.json();
      const drawn = JSON.stringify(view);
      if (drawn !== lastDrawn) {
        if (lastView) {
          announce(news(lastView, view));
        }
        lastDrawn = drawn;
        lastView = view;
        render(view);
      }
      lastTag = response.headers.get("ETag");
      setStatus("Up to date", "good");
      answered(new Date(generatedAt));
    } catch (error) {
      const timedOut = error.name === "AbortError";
      waitMs = Math.max(Math.min(waitMs * 2, MAX_BACKOFF_MS), error.retryAfterMs ?? 0);
      if (timedOut) {
        timeoutMs = Math.min(timeoutMs * 2, MAX_BACKOFF_MS);
      }
      // Before a first answer there is nothing on the page to refresh: it is empty, not an order without messages.
      const what = lastView ? "Could not refresh" : "Could not load this order";
      setStatus(`${what} (${timedOut ? "no answer in time" : error.message}); trying again`, "warning");
    } finally {
      clearTimeout(timer);
      if (!stopped) {
        setTimeout(poll, waitMs);
      }
    }
  }

  // The page's own text says it needs this script; it is running.
  setStatus("Loading…");
  poll();
})();
