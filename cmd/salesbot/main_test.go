package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/domain/domaintest"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// envOf turns a map into a getenv function.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var urlRe = regexp.MustCompile(`http://[^/\s]+/`)

// mustServe runs `salesbot serve` with env on 127.0.0.1:0, waits for
// /healthz and returns the base URL and a function that stops the server
// gracefully and waits for run to return.
func mustServe(tb testing.TB, env map[string]string, args ...string) (string, func()) {
	tb.Helper()
	env["SALESBOT_ADDR"] = "127.0.0.1:0"
	if env["SALESBOT_MYSQL_DSN"] != "" && env["SALESBOT_SIMULATOR"] == "1" {
		env["SALESBOT_SIMULATOR_TOKEN"] = simToken
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), envOf(env), strings.NewReader(""), &stdout, &stderr)
	}()
	var base string
	deadline := time.Now().Add(30 * time.Second)
	for base == "" {
		select {
		case err := <-done:
			cancel()
			tb.Fatalf("serve exited early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			tb.Fatalf("serve did not start:\n%s", stderr.String())
		}
		if m := urlRe.FindString(stdout.String()); m != "" {
			base = strings.TrimSuffix(m, "/")
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			tb.Fatalf("healthz never answered: %v\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("serve returned %v\n%s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			tb.Errorf("serve did not stop")
		}
	}
	tb.Cleanup(stop)
	return base, stop
}

// simToken is the simulator token of the servers beside MySQL; the
// helpers below present it (the embedded default ignores it).
const simToken = "e2e-simulator-token"

// simRequest is a simulator API request with the token.
func simRequest(tb testing.TB, method, url string, body io.Reader) *http.Response {
	tb.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+simToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func postJSON(tb testing.TB, url string, body any, out any) int {
	tb.Helper()
	b, _ := json.Marshal(body)
	res := simRequest(tb, http.MethodPost, url, bytes.NewReader(b))
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("decode %s: %v: %s", url, err, data)
		}
	}
	return res.StatusCode
}

func getJSON(tb testing.TB, url string, out any) {
	tb.Helper()
	res := simRequest(tb, http.MethodGet, url, nil)
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		tb.Fatal(err)
	}
}

type simReplies struct {
	Replies []struct {
		Chat string `json:"chat"`
		User string `json:"user"`
		Text string `json:"text"`
		Card *struct {
			ID      string `json:"id"`
			Buttons []struct {
				Key  string `json:"Key"`
				Text string `json:"Text"`
			} `json:"buttons"`
			Final string `json:"final"`
		} `json:"card"`
	} `json:"replies"`
}

func say(tb testing.TB, base, user, chat, text string) simReplies {
	tb.Helper()
	var out simReplies
	if code := postJSON(tb, base+"/sim/messages", map[string]string{"user": user, "chat": chat, "text": text}, &out); code != http.StatusOK {
		tb.Fatalf("POST /sim/messages %q: status %d", text, code)
	}
	return out
}

func exportVisits(tb testing.TB, env map[string]string) string {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"export", "visits"}, envOf(env), nil, &stdout, &stderr); err != nil {
		tb.Fatalf("export: %v\n%s", err, stderr.String())
	}
	return stdout.String()
}

// TestSimulatorEndToEnd: a new user starts the demo, reports a visit in the
// simulator, undoes and re-reports, restarts, and finds the visit in the
// export.
func TestSimulatorEndToEnd(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		simulatorEndToEnd(t, map[string]string{"SALESBOT_DATA_DIR": t.TempDir()})
	})
	t.Run("mysql+redis", func(t *testing.T) {
		redisURL := os.Getenv("SALESBOT_TEST_REDIS_URL")
		if redisURL == "" {
			redisURL = "redis://127.0.0.1:6379/15"
		}
		simulatorEndToEnd(t, map[string]string{
			"SALESBOT_MYSQL_DSN":    domaintest.FreshMySQLDSN(t),
			"SALESBOT_REDIS_URL":    redisURL,
			"SALESBOT_REDIS_PREFIX": fmt.Sprintf("salesbot-e2e-%d:", time.Now().UnixNano()),
			"SALESBOT_SIMULATOR":    "1",
			"SALESBOT_DATA_DIR":     t.TempDir(),
		})
	})
}

func simulatorEndToEnd(t *testing.T, env map[string]string) {
	base, stop := mustServe(t, env, "--demo")

	var users []struct{ User, Name, Role, Team, Chat string }
	getJSON(t, base+"/sim/users", &users)
	if len(users) < 5 {
		t.Fatalf("demo has %d users; want a manager, three reps and more", len(users))
	}
	roles := map[string]int{}
	for _, u := range users {
		roles[u.Role]++
	}
	if roles["manager"] < 1 || roles["rep"] < 3 {
		t.Fatalf("demo roles = %v", roles)
	}

	// An unknown sender is told what to do.
	out := say(t, base, "nobody", "", "你好")
	if len(out.Replies) != 1 || !strings.Contains(out.Replies[0].Text, "管理员") {
		t.Fatalf("unknown sender reply = %+v", out)
	}

	out = say(t, base, "lina", "", "今天拜访金石重工张总，聊了设备联网，已发报价50万，下周三再约演示")
	if len(out.Replies) != 1 || out.Replies[0].Card == nil {
		t.Fatalf("report reply = %+v", out)
	}
	r := out.Replies[0]
	for _, want := range []string{"金石重工股份有限公司", "张总", "报价", "50万"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, r.Text)
		}
	}
	if len(r.Card.Buttons) != 3 {
		t.Fatalf("card buttons = %+v", r.Card.Buttons)
	}

	// Undo through the card's button, then report again.
	var undo simReplies
	postJSON(t, base+"/sim/actions", map[string]string{"user": "lina", "key": r.Card.Buttons[2].Key, "card": r.Card.ID}, &undo)
	if len(undo.Replies) != 1 || undo.Replies[0].Card == nil || undo.Replies[0].Card.Final != "已撤销" {
		t.Fatalf("undo reply = %+v", undo)
	}
	if got := exportVisits(t, env); strings.Contains(got, "金石重工") {
		// The server holds the embedded database open; export reads the same file.
		t.Fatalf("undone visit still exported:\n%s", got)
	}
	say(t, base, "lina", "", "昨天电话联系了金石重工李经理，已经提交了方案，预算80万")

	// Restart: the visit survives and comes out of the export.
	stop()
	base, _ = mustServe(t, env)
	out = say(t, base, "lina", "", "我的客户")
	if len(out.Replies) != 1 || !strings.Contains(out.Replies[0].Text, "金石重工") {
		t.Fatalf("my customers after restart = %+v", out)
	}
	csv := exportVisits(t, env)
	if !strings.Contains(csv, "金石重工股份有限公司") || !strings.Contains(csv, "李经理") || !strings.Contains(csv, ",电话,方案,800000,") {
		t.Fatalf("export lacks the visit:\n%s", csv)
	}
	if strings.Count(csv, "金石重工股份有限公司") != 1 {
		t.Fatalf("export has the undone visit too:\n%s", csv)
	}
	if !strings.HasPrefix(strings.TrimPrefix(csv, "\ufeff"), "拜访日期,成员,团队,客户") {
		t.Fatalf("export header:\n%s", csv)
	}
}
