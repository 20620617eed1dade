package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/jobs/chart"
)

// chromium finds the browser for the browser test: SALESBOT_TEST_CHROMIUM,
// else chromium on PATH. CI installs it (.ci/run) and must not skip.
func chromium(t *testing.T) string {
	if p := os.Getenv("SALESBOT_TEST_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is required in CI (.ci/run installs it)")
	}
	t.Skip("chromium not installed; skipping the browser test")
	return ""
}

// TestSimulatorPageInBrowser opens the simulator page in headless Chromium,
// sends a report as a rep and sees the bot's card.
func TestSimulatorPageInBrowser(t *testing.T) {
	exe := chromium(t)
	dataDir := t.TempDir()
	base, _ := mustServe(t, map[string]string{"SALESBOT_DATA_DIR": dataDir}, "--demo")

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 120*time.Second)
	defer cancel()
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#who")); err != nil {
		t.Fatalf("browser: %v", err)
	}
	// Wait for the member list to load, then pick 李娜 as a person would.
	const pick = `new Promise((resolve) => {
		const sel = document.getElementById("who");
		const f = () => {
			if (!sel.querySelector('option[value="lina"]')) return setTimeout(f, 50);
			sel.value = "lina";
			sel.dispatchEvent(new Event("change"));
			resolve(sel.options[sel.selectedIndex].text);
		};
		f();
	})`
	who, err := chromedp.Run(ctx, chromedp.Evaluate[string](pick, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("pick member: %v", err)
	}
	if !strings.Contains(who, "李娜") {
		t.Errorf("selected member = %q; want 李娜", who)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys("#text", "今天拜访金石重工张总，已发报价50万，下周三再约演示"),
		chromedp.Click("#send button"),
		chromedp.WaitVisible("#log .card"),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	role, log, card := text("#role"), text("#log"), text("#log .card")
	if role != "销售" {
		t.Errorf("role shown = %q; want 销售", role)
	}
	if !strings.Contains(log, "今天拜访金石重工张总") {
		t.Errorf("the sent message is not shown:\n%s", log)
	}
	for _, want := range []string{"已记录拜访", "金石重工股份有限公司", "张总", "50万", "撤销"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}

	// Undo from the card: it turns into its final state.
	err = chromedp.Do(ctx,
		chromedp.Click("#log .card .buttons button.danger"),
		chromedp.WaitVisible("#log .card .final"),
	)
	if err != nil {
		t.Fatalf("browser undo: %v", err)
	}
	if final := text("#log .card .final"); final != "已撤销" {
		t.Errorf("card final state = %q; want 已撤销", final)
	}
	simulatorRendering(t, ctx, base, pick)
	simulatorPushes(t, ctx, dataDir)
}

// simulatorRendering goes on from the undone card: the simulator shows what
// the platforms show (markdown, pictures, cards updated in place) and keeps
// the chat across a reload.
func simulatorRendering(t *testing.T, ctx context.Context, base, pick string) {
	eval, wait := pageHelpers(t, ctx)
	send := func(text string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SendKeys("#text", text), chromedp.Click("#send button")); err != nil {
			t.Fatalf("send %q: %v", text, err)
		}
	}
	const cards = `document.querySelectorAll("#log .card").length`

	// The undone card stays where it was, its buttons greyed; no copy is added.
	if got := eval(`(() => { const cs = document.querySelectorAll("#log .card"); const bs = [...cs[0].querySelectorAll(".buttons button")];
		return cs.length + " " + (bs.length > 0 && bs.every((b) => b.disabled)); })()`); got != "1 true" {
		t.Errorf("after 撤销: cards and buttons disabled = %q; want one card, every button disabled", got)
	}

	// Markdown is rendered: bold is bold, no ** left.
	send("我的客户")
	bold := wait("a markdown answer", `(() => { const b = document.querySelector("#log .bubble.md strong"); return b ? b.textContent + "|" + getComputedStyle(b).fontWeight : ""; })()`)
	if name, weight, _ := strings.Cut(bold, "|"); !strings.Contains(name, "的客户") || weight < "600" {
		t.Errorf("bold in 我的客户 = %q", bold)
	}
	if log := eval(`document.getElementById("log").innerText`); strings.Contains(log, "**") {
		t.Errorf("raw markdown shown:\n%s", log)
	}

	// What a rep types is text, never markup: in their own message and in
	// the markdown renderer.
	const hostile = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`
	send(hostile)
	wait("the hostile message", `(() => { const m = [...document.querySelectorAll("#log li.me .bubble:not(.pending)")].pop(); return m && m.textContent.includes("<script>") ? "ok" : ""; })()`)
	rendered := eval(`(() => { const d = document.createElement("div");
		d.innerHTML = salesbotMarkdown('**粗** <script>window.__pwned=1<\/script><img src=x onerror="window.__pwned=1"> [x](javascript:alert(1)) <font color="warning">3</font>\n- 一\n- 二');
		return [d.querySelectorAll("script,img,a").length, d.querySelector("strong").textContent, d.querySelectorAll("li").length,
			d.textContent.includes("<script>"), d.querySelector("span[style]").style.color].join("|"); })()`)
	if rendered != "0|粗|2|true|rgb(255, 125, 0)" {
		t.Errorf("markdown renderer on hostile text = %q; want no script/img/link, bold, a list, the tags as text, the warning colour", rendered)
	}
	if got := eval(`String(window.__pwned) + "|" + document.querySelectorAll("#log script, #log img:not(.pic)").length`); got != "undefined|0" {
		t.Errorf("typed HTML ran or was inserted: %s", got)
	}

	// A picture is shown (the funnel chart), when the machine has a CJK font.
	if _, err := chart.FindFont(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no CJK font for the charts in CI: %v", err)
		}
		t.Log("no CJK font: skipping the picture")
	} else {
		send("漏斗")
		if w := wait("the funnel picture", `(() => { const i = document.querySelector("#log img.pic"); return i && i.complete && i.naturalWidth > 0 ? String(i.naturalWidth) : ""; })()`); w == "" {
			t.Error("no picture")
		}
	}

	// A correction updates the card shown earlier, in place.
	send("今天拜访金石重工张总，已发报价50万")
	wait("a second card", cards+` === 2 ? "ok" : ""`)
	send("改一下，金额是60万")
	card := wait("the corrected card", `(() => { const c = [...document.querySelectorAll("#log .card")].pop(); const d = c.querySelector("dd.changed"); return d && d.textContent === "60万" ? c.innerText : ""; })()`)
	if n := eval(`String(` + cards + `)`); n != "2" || strings.Contains(card, "50万") {
		t.Errorf("after 改一下: %s cards, the last:\n%s", n, card)
	}

	// A reload shows the same chat, from the server.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible("#who")); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](pick, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("pick member after reload: %v", err)
	}
	got := wait("the history after a reload", `(() => { const l = document.getElementById("log"); return l.querySelectorAll(".card").length === 2 ? l.innerText : ""; })()`)
	for _, want := range []string{"已撤销", "60万", "<script>", "我的客户"} {
		if !strings.Contains(got, want) {
			t.Errorf("after a reload the chat lacks %q:\n%s", want, got)
		}
	}
}

// simulatorPushes: a job's push to another member waits for them, counted
// in the member list, and shows when the page switches to them.
func simulatorPushes(t *testing.T, ctx context.Context, dataDir string) {
	eval, wait := pageHelpers(t, ctx)
	as := func(user string) {
		eval(`(() => { const sel = document.getElementById("who"); sel.value = "` + user + `"; sel.dispatchEvent(new Event("change")); return ""; })()`)
	}

	// A rep's words reach the manager inside a markdown answer (今日团队
	// quotes each visit's summary): never as markup. The parser reads tags
	// as transparent, so the summary keeps the words and drops the tags;
	// whatever is left must not turn into a bold element on the page.
	if err := chromedp.Do(ctx, chromedp.SendKeys("#text", "<b>加急</b>今天拜访华辰科技李经理，已发报价30万"), chromedp.Click("#send button")); err != nil {
		t.Fatal(err)
	}
	wait("the third card", `document.querySelectorAll("#log .card").length === 3 ? "ok" : ""`)
	as("zhangwei")
	if err := chromedp.Do(ctx, chromedp.SendKeys("#text", "今日团队"), chromedp.Click("#send button")); err != nil {
		t.Fatal(err)
	}
	team := wait("今日团队", `(() => { const b = [...document.querySelectorAll("#log .bubble.md")].find((b) => b.textContent.includes("团队今天的拜访")); return b ? b.querySelectorAll("b").length + "|" + b.textContent : ""; })()`)
	if !strings.HasPrefix(team, "0|") || !strings.Contains(team, "加急今天拜访华辰科技") {
		t.Errorf("今日团队 with a rep's <b> = %q; want the words, and no bold element", team)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// The demo gives 刘洋 a follow-up due tomorrow (蓝鲸新材料).
	tomorrow := time.Now().In(loc).AddDate(0, 0, 1).Format("2006-01-02")
	var stdout, stderr bytes.Buffer
	if err := runJob(context.Background(), []string{"reminders", "--date", tomorrow}, envOf(map[string]string{"SALESBOT_DATA_DIR": dataDir}), &stdout, &stderr); err != nil {
		t.Fatalf("job reminders: %v\n%s", err, stderr.String())
	}
	counted := wait("刘洋's unread push in the member list", `(() => { const o = document.querySelector('#who option[value="liuyang"]'); return o && o.textContent.includes("条新推送") ? o.textContent : ""; })()`)
	if !strings.Contains(counted, "刘洋") {
		t.Errorf("member option = %q", counted)
	}
	as("liuyang")
	card := wait("刘洋's reminder", `(() => { const c = document.querySelector("#log li.push .card"); return c ? c.innerText : ""; })()`)
	if !strings.Contains(card, "蓝鲸新材料") || !strings.Contains(card, "已处理") {
		t.Errorf("刘洋's pushed reminder:\n%s", card)
	}
	if got := eval(`document.querySelector('#who option[value="liuyang"]').textContent`); strings.Contains(got, "条新推送") {
		t.Errorf("after switching to 刘洋 his option still counts unread: %q", got)
	}
}

// pageHelpers: eval runs an expression; wait polls one until it is a
// non-empty string and returns it.
func pageHelpers(t *testing.T, ctx context.Context) (eval func(js string) string, wait func(what, js string) string) {
	eval = func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return s
	}
	wait = func(what, js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Poll[string](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second)))
		if err != nil {
			t.Fatalf("waiting for %s: %v\nlog: %s", what, err, eval(`document.getElementById("log").innerText`))
		}
		return s
	}
	return eval, wait
}
