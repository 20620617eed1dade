package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"salesbot/domain"
)

func TestDayWord(t *testing.T) {
	today := domain.Date("2026-12-02")
	for k, want := range []string{"今天", "昨天", "前天", "大前天", "11月28日", "11月27日"} {
		if got := dayWord(today, k); got != want {
			t.Errorf("dayWord(%s, %d) = %q, want %q", today, k, got, want)
		}
	}
}

// The table holds each row against the storage limit and the targets.
func TestPrintTable(t *testing.T) {
	lat := func(d time.Duration, n int) []time.Duration {
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = d
		}
		return out
	}
	rows := []row{
		{path: "fast paced", rate: 300, r: result{ok: 10, latencies: lat(20*time.Millisecond, 10), elapsed: time.Second}},
		{path: "slow paced", rate: 300, r: result{ok: 10, latencies: lat(150*time.Millisecond, 10), elapsed: time.Second}},
		{path: "lossy paced", rate: 300, r: result{ok: 9, failed: 1, latencies: lat(time.Millisecond, 9), elapsed: time.Second}},
		{path: "fast open", r: result{ok: 70, elapsed: time.Second}},
		{path: "slow open", r: result{ok: 50, elapsed: time.Second}},
		{path: "storage", r: result{ok: 100, elapsed: time.Second}, storage: true},
	}
	var b bytes.Buffer
	printTable(&b, rows)
	t.Logf("\n%s", b.String())
	want := map[string]string{
		"fast paced":  "ok   p99 < 100 ms",
		"slow paced":  "MISS p99 < 100 ms",
		"lossy paced": "MISS p99 < 100 ms",
		"fast open":   "70%  ok   >= 60% of storage",
		"slow open":   "50%  MISS >= 60% of storage",
		"storage":     "100%",
	}
	lines := strings.Split(b.String(), "\n")
	for path, end := range want {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, path+" ") {
				found = true
				if !strings.HasSuffix(strings.TrimRight(l, " "), end) {
					t.Errorf("row %q = %q, want it to end with %q", path, l, end)
				}
			}
		}
		if !found {
			t.Errorf("no row %q", path)
		}
	}
}

func testPhase(n, rate int) phaseSpec {
	return phaseSpec{run: "t", name: "p", day: "今天", date: "2026-12-02", n: n, rate: rate, conc: 2, maxTime: 5 * time.Second, now: time.Now(),
		members: []domain.Member{{Name: "甲", WeComUserID: "u1", DingTalkUserID: "d1"}}, custs: []domain.Customer{{Name: "客户"}}}
}

// aibotPhase counts a report when its frame is answered on the
// connection, and fails the ones left unanswered; unpaced, an unanswered
// report holds one of its two slots and the rest go through the other.
func TestAIBotPhaseCountsAnswers(t *testing.T) {
	fake := newFakeAIBot()
	defer fake.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, _, err := websocket.Dial(ctx, fake.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	write := func(v any) {
		b, _ := json.Marshal(v)
		if err := c.Write(ctx, websocket.MessageText, b); err != nil {
			t.Error(err)
		}
	}
	write(map[string]any{"cmd": "aibot_subscribe", "headers": map[string]string{"req_id": "sub"}, "body": map[string]string{"bot_id": aibotID, "secret": aibotSecret}})
	// The client answers every report but the one from msgid t-p-2.
	go func() {
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			var f struct {
				Cmd     string
				Headers map[string]string
				Body    struct {
					MsgID string `json:"msgid"`
					Text  struct{ Content string }
				}
			}
			json.Unmarshal(b, &f)
			if f.Cmd == "aibot_msg_callback" && f.Body.MsgID != "t-p-2" && strings.Contains(f.Body.Text.Content, "拜访客户") {
				write(map[string]any{"cmd": "aibot_respond_msg", "headers": map[string]string{"req_id": f.Headers["req_id"]}, "body": map[string]any{"msgtype": "markdown"}})
			}
		}
	}()
	if !fake.Wait(5*time.Second, func() bool { return fake.Live(aibotID) }) {
		t.Fatal("not subscribed")
	}
	p := testPhase(5, 0)
	p.maxTime = time.Second
	r := aibotPhase(ctx, p, fake)
	if r.ok != 4 || r.failed != 1 || len(r.latencies) != 4 {
		t.Errorf("ok %d failed %d latencies %d; want 4, 1, 4", r.ok, r.failed, len(r.latencies))
	}
}

// streamPhase counts a report when it is both acknowledged on the
// connection and answered at its sessionWebhook.
func TestStreamPhaseCountsAckAndReply(t *testing.T) {
	fake := newFakeDingTalk()
	defer fake.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(fake.URL, "http")+"/connect", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := fake.waitConnected(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	// The client acknowledges all; it answers all but t-p-1, and t-p-3
	// only by reply (no acknowledgement).
	go func() {
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return
			}
			var f struct {
				Data    string
				Headers map[string]string
			}
			json.Unmarshal(b, &f)
			var d struct{ MsgID, SessionWebhook string }
			json.Unmarshal([]byte(f.Data), &d)
			if d.MsgID != "t-p-3" {
				ack, _ := json.Marshal(map[string]any{"code": 200, "headers": map[string]string{"messageId": f.Headers["messageId"]}})
				c.Write(ctx, websocket.MessageText, ack)
			}
			if d.MsgID != "t-p-1" {
				res, err := http.Post(d.SessionWebhook, "application/json", strings.NewReader(`{"msgtype":"text"}`))
				if err == nil {
					res.Body.Close()
				}
			}
		}
	}()
	p := testPhase(5, 100)
	p.maxTime = time.Second
	r := fake.streamPhase(ctx, p)
	if r.ok != 3 || r.failed != 2 {
		t.Errorf("ok %d failed %d; want 3, 2", r.ok, r.failed)
	}
}
