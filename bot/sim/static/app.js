// The chat simulator page: pick a member, chat privately with the bot or in
// the team group, click card buttons, and watch what scheduled jobs push.
// The server keeps every conversation (GET /sim/history), so a reload or a
// second tab shows the same chat; the page asks for what changed since the
// last answer, including cards updated in place.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const store = {
    get(k, d) { try { const v = localStorage.getItem("salesbot.sim." + k); return v === null ? d : JSON.parse(v); } catch (_) { return d; } },
    set(k, v) { try { localStorage.setItem("salesbot.sim." + k, JSON.stringify(v)); } catch (_) { /* private mode */ } },
  };
  const state = {
    users: [], me: null, chat: "",
    entries: new Map(), // id → entry, the current member's chats
    rev: 0,
    local: [], // this tab's own lines: messages on their way, errors
    unreadConv: {}, // conversation → new entries not yet looked at
    pushSeq: store.get("pushSeq", 0),
    unreadMember: store.get("unreadMember", {}), // user → pushes not yet looked at
  };
  const roles = { rep: "销售", manager: "经理", admin: "管理员" };

  const conv = (chat, user) => chat ? "g:" + chat : "p:" + user;
  const current = () => state.me ? conv(state.chat, state.me.user) : "";

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await res.json().catch(() => ({}));
    if (res.status === 401 && data.login && path !== "/sim/login") {
      // Beside a real database the simulator needs its token: ask, log in
      // (the server sets a session cookie) and try again.
      const token = window.prompt(data.error + "（SALESBOT_SIMULATOR_TOKEN）");
      if (token) {
        await api("POST", "/sim/login", { token });
        return api(method, path, body);
      }
    }
    if (!res.ok) throw new Error(data.error || res.statusText);
    return data;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderCard(card) {
    const box = el("div", "card" + (card.final ? " done" : ""));
    box.dataset.card = card.id;
    box.appendChild(el("h3", "", card.title));
    const dl = el("dl");
    const changed = new Set(card.changed || []);
    for (const f of card.fields || []) {
      if (!f.Value) continue;
      const dd = el("dd", changed.has(f.Label) ? "changed" : "", f.Value);
      dl.append(el("dt", "", f.Label), dd);
    }
    box.appendChild(dl);
    if (card.note) box.appendChild(el("div", "note", card.note));
    if (!card.final && changed.size) box.appendChild(el("div", "updated", "已更新：" + [...changed].join("、")));
    if ((card.buttons || []).length) {
      const bs = el("div", "buttons");
      for (const b of card.buttons) {
        const btn = el("button", b.Style === "danger" ? "danger" : "", b.Text);
        if (card.final) btn.disabled = true; // the card is settled: its buttons no longer act
        else btn.onclick = () => click(b.Key, card.id);
        bs.appendChild(btn);
      }
      box.appendChild(bs);
    }
    if (card.final) box.appendChild(el("div", "final", card.final));
    return box;
  }

  function renderEntry(e) {
    const mine = state.me && e.from === state.me.user;
    const li = el("li", mine ? "me" : e.from ? "other" : e.push ? "push" : "bot");
    const at = e.at ? new Date(e.at) : null;
    const time = at ? " " + String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0") : "";
    li.appendChild(el("span", "who", (mine ? "我" : e.name) + (e.push ? "（定时推送）" : "") + time));
    if (e.card) li.appendChild(renderCard(e.card));
    if (e.text) {
      const b = el("div", "bubble" + (e.pending ? " pending" : ""));
      if (e.markdown) { b.classList.add("md"); b.innerHTML = window.salesbotMarkdown(e.text); } else b.textContent = e.text;
      li.appendChild(b);
    }
    if (e.image) {
      const img = el("img", "pic");
      img.src = e.image;
      img.alt = e.alt || "图片";
      // The server keeps the newest pictures only: an old one shows its caption.
      img.onerror = () => img.replaceWith(el("div", "bubble", "［图片已过期：" + img.alt + "］"));
      li.appendChild(img);
    }
    return li;
  }

  function renderMembers() {
    const sel = $("who");
    for (const o of sel.options) {
      const u = state.users.find((x) => x.user === o.value);
      if (!u) continue;
      const n = state.unreadMember[u.user] || 0;
      o.textContent = u.name + "（" + (u.team || "公司") + " · " + (roles[u.role] || u.role) + "）" + (n ? " · " + n + " 条新推送" : "");
    }
    let others = 0;
    for (const [u, n] of Object.entries(state.unreadMember)) if (!state.me || u !== state.me.user) others += n;
    $("others").textContent = others ? "其他成员有 " + others + " 条新推送" : "";
  }

  function render() {
    renderMembers();
    const nav = $("chats");
    nav.textContent = "";
    if (!state.me) return;
    const chats = [{ chat: "", name: "与销售助手私聊" }];
    if (state.me.chat) chats.push({ chat: state.me.chat, name: state.me.team + " 群" });
    state.unreadConv[current()] = 0;
    for (const c of chats) {
      const k = conv(c.chat, state.me.user);
      const b = el("button", c.chat === state.chat ? "active" : "", c.name);
      b.dataset.chat = c.chat;
      if (state.unreadConv[k]) b.appendChild(el("span", "badge", String(state.unreadConv[k])));
      b.onclick = () => { state.chat = c.chat; store.set("chat", c.chat); render(); };
      nav.appendChild(b);
    }
    $("title").textContent = state.chat ? state.me.team + " 群（@销售助手 的消息都会被处理）" : "与销售助手私聊";
    const ol = $("log");
    const atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
    ol.textContent = "";
    const k = current();
    const shown = [...state.entries.values()].filter((e) => e.conv === k).sort((a, b) => a.id - b.id)
      .concat(state.local.filter((e) => e.conv === k));
    if (!shown.length) {
      ol.appendChild(el("li", "empty", state.chat
        ? "这是团队群。在群里说的拜访记录同样会被记下，经理的日报和每周排行也会推送到这里。"
        : "直接用一句话告诉销售助手你今天见了谁、聊了什么、下一步做什么，例如：今天拜访金石重工张总，聊了设备联网，已发报价50万，下周三再约演示"));
    }
    for (const e of shown) ol.appendChild(renderEntry(e));
    if (atBottom || state.scroll) ol.scrollTop = ol.scrollHeight;
    state.scroll = false;
  }

  // refresh fetches what changed in the member's chats since the last time.
  async function refresh() {
    if (!state.me) return;
    const me = state.me;
    const data = await api("GET", "/sim/history?user=" + encodeURIComponent(me.user) + "&after=" + state.rev);
    if (state.me !== me) return; // switched member meanwhile
    let changed = false;
    for (const e of data.entries || []) {
      if (!state.entries.has(e.id) && state.rev > 0 && e.conv !== current() && e.from !== me.user) {
        state.unreadConv[e.conv] = (state.unreadConv[e.conv] || 0) + 1;
      }
      state.entries.set(e.id, e);
      changed = true;
    }
    state.rev = Math.max(state.rev, data.rev || 0);
    if (changed) { state.scroll = true; render(); }
  }

  function say(text, who) {
    state.local.push({ conv: current(), name: who || "系统", text, id: 0 });
    state.scroll = true;
    render();
  }

  async function send(text) {
    if (!text.trim() || !state.me) return;
    const line = { conv: current(), from: state.me.user, name: state.me.name, text, pending: true };
    state.local.push(line);
    state.scroll = true;
    render();
    try {
      await api("POST", "/sim/messages", { user: state.me.user, chat: state.chat, text });
    } catch (err) {
      state.local.push({ conv: line.conv, name: "系统", text: "发送失败：" + err.message });
    } finally {
      state.local = state.local.filter((e) => e !== line);
    }
    await refresh().catch(() => {});
    render();
  }

  async function click(k, cardId) {
    try {
      await api("POST", "/sim/actions", { user: state.me.user, chat: state.chat, key: k, card: cardId });
      await refresh();
    } catch (err) {
      say("操作失败：" + err.message);
    }
  }

  // pollPushes counts, per member, the pushes nobody has looked at yet.
  async function pollPushes() {
    const pushes = await api("GET", "/sim/pushes?after=" + state.pushSeq);
    let changed = false;
    for (const p of pushes) {
      state.pushSeq = Math.max(state.pushSeq, p.seq);
      for (const u of state.users) {
        if (state.me && u.user === state.me.user) continue;
        if (p.chat ? p.chat === u.chat : p.user === u.user) {
          state.unreadMember[u.user] = (state.unreadMember[u.user] || 0) + 1;
          changed = true;
        }
      }
    }
    store.set("pushSeq", state.pushSeq);
    store.set("unreadMember", state.unreadMember);
    if (changed) renderMembers();
  }

  async function poll() {
    try {
      await refresh();
      await pollPushes();
    } catch (_) { /* the server may be restarting */ }
    setTimeout(poll, 1500);
  }

  async function start() {
    state.users = await api("GET", "/sim/users");
    const sel = $("who");
    for (const u of state.users) {
      const o = document.createElement("option");
      o.value = u.user;
      sel.appendChild(o);
    }
    const pick = () => {
      state.me = state.users.find((u) => u.user === sel.value) || null;
      state.entries = new Map();
      state.rev = 0;
      state.unreadConv = {};
      state.local = [];
      state.chat = "";
      if (state.me) {
        delete state.unreadMember[state.me.user];
        store.set("unreadMember", state.unreadMember);
        store.set("me", state.me.user);
      }
      $("role").textContent = state.me ? roles[state.me.role] : "";
      render();
      refresh().catch((err) => say("加载记录失败：" + err.message));
    };
    sel.onchange = pick;
    // Back to the member of the last visit; the first time, the first rep:
    // reporting a visit is what most people try first.
    const last = state.users.find((u) => u.user === store.get("me", ""));
    const rep = last || state.users.find((u) => u.role === "rep");
    if (rep) sel.value = rep.user;
    pick();
    if (last && last.chat && store.get("chat", "") === last.chat) { state.chat = last.chat; render(); }
    $("send").onsubmit = (ev) => { ev.preventDefault(); const t = $("text").value; $("text").value = ""; send(t); };
    for (const h of document.querySelectorAll(".hint")) h.onclick = () => send(h.textContent);
    poll();
  }

  start().catch((err) => { $("title").textContent = "加载失败：" + err.message; });
})();
