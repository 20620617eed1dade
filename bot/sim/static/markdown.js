// A small markdown renderer for the bot's messages, showing what WeCom and
// DingTalk show: headings, bold, italics, links, inline code, quotes, lists,
// rules, WeCom's <font color> and <@user> mentions. It escapes the whole text
// first, so what anyone typed can never become markup: only the patterns
// below turn into the few tags they name.
(() => {
  "use strict";
  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (s) => s.replace(/[&<>"']/g, (c) => ESC[c]);
  // WeCom's three named colours, and plain hex ones.
  const COLORS = { info: "#00b42a", comment: "#86909c", warning: "#ff7d00" };

  // inline marks up one escaped line.
  function inline(s) {
    const codes = [];
    s = s.replace(/`([^`]+)`/g, (_, c) => { codes.push(c); return "\u0000" + (codes.length - 1) + "\u0000"; });
    s = s.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
    s = s.replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
    s = s.replace(/(^|[^*\w])\*(?![\s*])([^*]+?)\*(?!\*)/g, "$1<em>$2</em>");
    s = s.replace(/&lt;font color=(?:&quot;|&#39;)?(info|comment|warning|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6})(?:&quot;|&#39;)?&gt;(.*?)&lt;\/font&gt;/g,
      (_, c, t) => '<span style="color:' + (COLORS[c] || c) + '">' + t + "</span>");
    s = s.replace(/&lt;@([\w.-]+)&gt;/g, '<span class="at">@$1</span>');
    return s.replace(/\u0000(\d+)\u0000/g, (_, i) => "<code>" + codes[+i] + "</code>");
  }

  // render returns the HTML for a markdown text.
  function render(src) {
    const lines = esc(String(src).replace(/\u0000/g, "")).split(/\r?\n/);
    let html = "", list = "", quote = false, para = [];
    const flush = () => {
      if (para.length) { html += "<p>" + para.map(inline).join("<br>") + "</p>"; para = []; }
      if (list) { html += "</" + list + ">"; list = ""; }
      if (quote) { html += "</blockquote>"; quote = false; }
    };
    const openList = (tag) => {
      if (list === tag) return;
      flush();
      html += "<" + tag + ">";
      list = tag;
    };
    for (const line of lines) {
      let m;
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
        flush();
        html += "<h" + m[1].length + ">" + inline(m[2]) + "</h" + m[1].length + ">";
      } else if ((m = /^&gt;\s?(.*)$/.exec(line))) {
        if (!quote) { flush(); html += "<blockquote>"; quote = true; } else html += "<br>";
        html += inline(m[1]);
      } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
        flush();
        html += "<hr>";
      } else if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) {
        openList("ul");
        html += "<li>" + inline(m[1]) + "</li>";
      } else if ((m = /^\s*(\d{1,4})[.)]\s+(.*)$/.exec(line))) {
        openList("ol");
        html += '<li value="' + m[1] + '">' + inline(m[2]) + "</li>";
      } else if (!line.trim()) {
        flush();
      } else {
        if (list || quote) flush();
        para.push(line);
      }
    }
    flush();
    return html;
  }

  window.salesbotMarkdown = render;
})();
