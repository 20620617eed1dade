package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	base, _ := mustServe(t, map[string]string{"SALESBOT_DATA_DIR": t.TempDir()}, "--demo")

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
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
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
}
