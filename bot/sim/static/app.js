// The chat simulator page: pick a member, chat privately with the bot or in
// the team group, click card buttons, and watch what scheduled jobs push.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const state = { users: [], me: null, chat: "", logs: {}, unread: {}, pushSeq: 0 };

  const key = (chat, user) => chat ? "g:" + chat : "p:" + user;

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

  function log(k) { return (state.logs[k] = state.logs[k] || []); }

  function add(k, entry) {
    if (entry.card && entry.update) {
      // A card update replaces the earlier card with the same id.
      for (const e of log(k)) if (e.card && e.card.id === entry.card.id) { e.card = entry.card; }
    } else {
      log(k).push(entry);
    }
    if (k !== key(state.chat, state.me && state.me.user)) state.unread[k] = (state.unread[k] || 0) + 1;
    render();
  }

  function renderCard(card) {
    const el = document.createElement("div");
    el.className = "card";
    const h = document.createElement("h3");
    h.textContent = card.title;
    el.appendChild(h);
    const dl = document.createElement("dl");
    for (const f of card.fields || []) {
      if (!f.Value) continue;
      const dt = document.createElement("dt"); dt.textContent = f.Label;
      const dd = document.createElement("dd"); dd.textContent = f.Value;
      dl.append(dt, dd);
    }
    el.appendChild(dl);
    if (card.note) { const n = document.createElement("div"); n.className = "note"; n.textContent = card.note; el.appendChild(n); }
    if (card.final) {
      const f = document.createElement("div"); f.className = "final"; f.textContent = card.final; el.appendChild(f);
    } else if ((card.buttons || []).length) {
      const bs = document.createElement("div"); bs.className = "buttons";
      for (const b of card.buttons) {
        const btn = document.createElement("button");
        btn.textContent = b.Text;
        if (b.Style === "danger") btn.className = "danger";
        btn.onclick = () => click(b.Key, card.id);
        bs.appendChild(btn);
      }
      el.appendChild(bs);
    }
    return el;
  }

  function render() {
    const nav = $("chats");
    nav.textContent = "";
    if (!state.me) return;
    const chats = [{ chat: "", name: "与销售助手私聊" }];
    if (state.me.chat) chats.push({ chat: state.me.chat, name: state.me.team + " 群" });
    for (const c of chats) {
      const b = document.createElement("button");
      const k = key(c.chat, state.me.user);
      b.textContent = c.name;
      b.dataset.chat = c.chat;
      if (c.chat === state.chat) b.className = "active";
      if (state.unread[k]) { const s = document.createElement("span"); s.className = "badge"; s.textContent = state.unread[k]; b.appendChild(s); }
      b.onclick = () => { state.chat = c.chat; state.unread[k] = 0; render(); };
      nav.appendChild(b);
    }
    const k = key(state.chat, state.me.user);
    state.unread[k] = 0;
    $("title").textContent = state.chat ? state.me.team + " 群（@销售助手 的消息都会被处理）" : "与销售助手私聊";
    const ol = $("log");
    ol.textContent = "";
    if (!log(k).length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = state.chat
        ? "这是团队群。在群里说的拜访记录同样会被记下，经理的日报和每周排行也会推送到这里。"
        : "直接用一句话告诉销售助手你今天见了谁、聊了什么、下一步做什么，例如：今天拜访金石重工张总，聊了设备联网，已发报价50万，下周三再约演示";
      ol.appendChild(li);
    }
    for (const e of log(k)) {
      const li = document.createElement("li");
      li.className = e.mine ? "me" : e.push ? "push" : "bot";
      const who = document.createElement("span"); who.className = "who"; who.textContent = e.who;
      li.appendChild(who);
      if (e.card) li.appendChild(renderCard(e.card));
      else { const b = document.createElement("div"); b.className = "bubble"; b.textContent = e.text; li.appendChild(b); }
      ol.appendChild(li);
    }
    ol.scrollTop = ol.scrollHeight;
  }

  function showReplies(data) {
    for (const r of data.replies || []) {
      add(key(r.chat, state.me.user), { who: "销售助手", text: r.text, card: r.card, update: r.update });
    }
  }

  async function send(text) {
    if (!text.trim() || !state.me) return;
    const chat = state.chat;
    add(key(chat, state.me.user), { who: state.me.name, text, mine: true });
    try {
      showReplies(await api("POST", "/sim/messages", { user: state.me.user, chat, text }));
    } catch (err) {
      add(key(chat, state.me.user), { who: "系统", text: "发送失败：" + err.message });
    }
  }

  async function click(k, cardId) {
    try {
      showReplies(await api("POST", "/sim/actions", { user: state.me.user, chat: state.chat, key: k, card: cardId }));
    } catch (err) {
      add(key(state.chat, state.me.user), { who: "系统", text: "操作失败：" + err.message });
    }
  }

  async function pollPushes() {
    try {
      const pushes = await api("GET", "/sim/pushes?after=" + state.pushSeq);
      for (const p of pushes) {
        state.pushSeq = Math.max(state.pushSeq, p.seq);
        if (!state.me) continue;
        if (p.chat ? p.chat === state.me.chat : p.user === state.me.user) {
          add(key(p.chat, state.me.user), { who: "销售助手（定时推送）", text: p.text, card: p.card, push: true });
        }
      }
    } catch (_) { /* the server may be restarting */ }
  }

  async function start() {
    state.users = await api("GET", "/sim/users");
    const sel = $("who");
    const roles = { rep: "销售", manager: "经理", admin: "管理员" };
    for (const u of state.users) {
      const o = document.createElement("option");
      o.value = u.user;
      o.textContent = u.name + "（" + (u.team || "公司") + " · " + (roles[u.role] || u.role) + "）";
      sel.appendChild(o);
    }
    const pick = () => {
      state.me = state.users.find((u) => u.user === sel.value) || null;
      state.chat = "";
      $("role").textContent = state.me ? roles[state.me.role] : "";
      render();
    };
    sel.onchange = pick;
    // Start as the first rep: reporting a visit is what most people try first.
    const rep = state.users.find((u) => u.role === "rep");
    if (rep) sel.value = rep.user;
    pick();
    $("send").onsubmit = (ev) => { ev.preventDefault(); const t = $("text").value; $("text").value = ""; send(t); };
    for (const h of document.querySelectorAll(".hint")) h.onclick = () => send(h.textContent);
    setInterval(pollPushes, 2000);
  }

  start().catch((err) => { $("title").textContent = "加载失败：" + err.message; });
})();
