package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

const (
	fakeAppKey    = "dingcheckkey"
	fakeAppSecret = "check-secret-0123456789"
)

// dingtalkFake is a fake api.dingtalk.com for `salesbot check` and serve:
// access tokens, the Stream gateway and its WebSocket (which records the
// acks it gets and can send frames). It records the paths asked for.
type dingtalkFake struct {
	*httptest.Server
	endpoint string // overrides the WebSocket endpoint the gateway gives

	mu    sync.Mutex
	paths []string
	conns []*websocket.Conn
	acks  []map[string]any
}

func newDingTalkFake(t *testing.T) *dingtalkFake {
	f := &dingtalkFake{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.mu.Lock()
		for _, c := range f.conns {
			c.CloseNow()
		}
		f.mu.Unlock()
		f.Close()
	})
	return f
}

func (f *dingtalkFake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.paths = append(f.paths, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/v1.0/oauth2/accessToken":
		if body["appKey"] != fakeAppKey || body["appSecret"] != fakeAppSecret {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":"invalidClientSecret","message":"无效的appSecret"}`)
			return
		}
		io.WriteString(w, `{"accessToken":"tok","expireIn":7200}`)
	case "/v1.0/gateway/connections/open":
		if body["clientId"] != fakeAppKey || body["clientSecret"] != fakeAppSecret {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"requestid":"R1","code":"authFailed","message":"鉴权失败"}`)
			return
		}
		ep := f.endpoint
		if ep == "" {
			ep = "ws" + strings.TrimPrefix(f.URL, "http") + "/connect"
		}
		json.NewEncoder(w).Encode(map[string]string{"endpoint": ep, "ticket": "T1"})
	case "/connect":
		if r.URL.Query().Get("ticket") != "T1" {
			http.Error(w, "bad ticket", http.StatusUnauthorized)
			return
		}
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns = append(f.conns, c)
		f.mu.Unlock()
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var a map[string]any
			_ = json.Unmarshal(b, &a)
			f.mu.Lock()
			f.acks = append(f.acks, a)
			f.mu.Unlock()
		}
	case "/robot/sendBySession":
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	default:
		http.NotFound(w, r)
	}
}

// Paths lists the requests so far, "METHOD /path".
func (f *dingtalkFake) Paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

func (f *dingtalkFake) Connects() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

func (f *dingtalkFake) Acks() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.acks...)
}

// Send sends a frame on every connection.
func (f *dingtalkFake) Send(t *testing.T, frame any) {
	t.Helper()
	b, _ := json.Marshal(frame)
	f.mu.Lock()
	conns := append([]*websocket.Conn(nil), f.conns...)
	f.mu.Unlock()
	for _, c := range conns {
		if err := c.Write(context.Background(), websocket.MessageText, b); err != nil {
			t.Errorf("send frame: %v", err)
		}
	}
}

func (f *dingtalkFake) env(secret, mode string) map[string]string {
	return map[string]string{
		"SALESBOT_DINGTALK_APP_KEY": fakeAppKey, "SALESBOT_DINGTALK_APP_SECRET": secret,
		"SALESBOT_DINGTALK_API_BASE": f.URL, "SALESBOT_DINGTALK_OAPI_BASE": f.URL,
		"SALESBOT_DINGTALK_MODE": mode,
	}
}

// lines splits output into lines.
func lines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

func TestCheckDingTalkStream(t *testing.T) {
	t.Run("Good", func(t *testing.T) {
		f := newDingTalkFake(t)
		out, err := runCmd(t, f.env(fakeAppSecret, "stream"), "check")
		if err != nil {
			t.Fatalf("check failed: %v\n%s", err, out)
		}
		want := []string{
			"ok   dingtalk: AppKey and AppSecret (access token)",
			"ok   dingtalk: Stream mode long connection",
		}
		if got := lines(out); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("output:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
		}
		// It connected, and sent nothing to anyone.
		if f.Connects() != 1 {
			t.Errorf("WebSocket connections = %d, want 1", f.Connects())
		}
		want = []string{"POST /v1.0/oauth2/accessToken", "POST /v1.0/gateway/connections/open", "GET /connect"}
		if got := f.Paths(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("requests = %v, want %v", got, want)
		}
	})

	t.Run("WrongSecret", func(t *testing.T) {
		f := newDingTalkFake(t)
		out, err := runCmd(t, f.env("not-the-secret", "stream"), "check")
		t.Logf("output:\n%s", out)
		if err == nil || err.Error() != "2 of 2 checks failed" {
			t.Fatalf("err = %v\n%s", err, out)
		}
		got := lines(out)
		if len(got) != 2 {
			t.Fatalf("output:\n%s", out)
		}
		for _, l := range got {
			if !strings.HasPrefix(l, "FAIL dingtalk: ") || !strings.Contains(l, "refused the app's credentials") ||
				!strings.Contains(l, "SALESBOT_DINGTALK_APP_SECRET") || strings.Contains(l, "not-the-secret") {
				t.Errorf("line %q does not say to fix the credentials (or shows the secret)", l)
			}
		}
		if !strings.Contains(got[1], "鉴权失败") {
			t.Errorf("stream line lacks DingTalk's own message: %q", got[1])
		}
	})

	t.Run("StreamHostBlocked", func(t *testing.T) {
		f := newDingTalkFake(t)
		closed := httptest.NewServer(http.NotFoundHandler())
		f.endpoint = "ws" + strings.TrimPrefix(closed.URL, "http") + "/connect"
		closed.Close()
		out, err := runCmd(t, f.env(fakeAppSecret, "stream"), "check")
		t.Logf("output:\n%s", out)
		if err == nil {
			t.Fatalf("check passed:\n%s", out)
		}
		got := lines(out)
		if len(got) != 2 || !strings.HasPrefix(got[0], "ok ") ||
			!strings.HasPrefix(got[1], "FAIL dingtalk: Stream mode long connection — ") || !strings.Contains(got[1], "wss-open-connection.dingtalk.com") ||
			strings.Contains(got[1], "T1") {
			t.Errorf("output (must not show the ticket T1):\n%s", out)
		}
	})

	t.Run("APIUnreachable", func(t *testing.T) {
		f := newDingTalkFake(t)
		env := f.env(fakeAppSecret, "stream")
		f.Close()
		out, err := runCmd(t, env, "check")
		if err == nil || !strings.Contains(out, "FAIL dingtalk: AppKey and AppSecret (access token) — cannot reach DingTalk") ||
			!strings.Contains(out, "outbound HTTPS") {
			t.Errorf("err %v, output:\n%s", err, out)
		}
	})
}

func TestCheckNothingConfigured(t *testing.T) {
	out, err := runCmd(t, map[string]string{}, "check")
	if err == nil || !strings.HasPrefix(out, "FAIL config: no chat platform is configured") {
		t.Errorf("err %v, output:\n%s", err, out)
	}
}

func TestCheckBadMode(t *testing.T) {
	f := newDingTalkFake(t)
	out, err := runCmd(t, f.env(fakeAppSecret, "websocket"), "check")
	if err == nil || !strings.Contains(err.Error(), "SALESBOT_DINGTALK_MODE") {
		t.Errorf("err %v, output:\n%s", err, out)
	}
}

// In callback mode check probes the running salesbot's /dingtalk/callback
// as DingTalk would: signed with the app secret, carrying no message.
func TestCheckDingTalkCallback(t *testing.T) {
	f := newDingTalkFake(t)
	env := f.env(fakeAppSecret, "callback")
	env["SALESBOT_DATA_DIR"] = t.TempDir()
	base, _ := mustServe(t, env)

	t.Run("NoURL", func(t *testing.T) {
		out, err := runCmd(t, f.env(fakeAppSecret, "callback"), "check")
		if err != nil || !strings.Contains(out, "skip dingtalk: callback URL — not probed") {
			t.Errorf("err %v, output:\n%s", err, out)
		}
	})
	t.Run("Good", func(t *testing.T) {
		out, err := runCmd(t, f.env(fakeAppSecret, "callback"), "check", "--url", base+"/")
		if err != nil || !strings.Contains(out, "ok   dingtalk: callback URL "+base+"/dingtalk/callback") {
			t.Errorf("err %v, output:\n%s", err, out)
		}
	})
	t.Run("OtherSecret", func(t *testing.T) {
		// The token check fails too; the callback line says why the
		// server refused.
		out, err := runCmd(t, f.env("another-secret", "callback"), "check", "--url", base)
		if err == nil || !strings.Contains(out, "FAIL dingtalk: callback URL "+base+"/dingtalk/callback — "+base+"/dingtalk/callback refused a request signed with this SALESBOT_DINGTALK_APP_SECRET") {
			t.Errorf("err %v, output:\n%s", err, out)
		}
	})
	t.Run("NotSalesbot", func(t *testing.T) {
		other := httptest.NewServer(http.NotFoundHandler())
		defer other.Close()
		out, err := runCmd(t, f.env(fakeAppSecret, "callback"), "check", "--url", other.URL)
		if err == nil || !strings.Contains(out, "route /dingtalk/callback to salesbot") {
			t.Errorf("err %v, output:\n%s", err, out)
		}
	})
}

// serve in stream mode connects to DingTalk, stores and acknowledges a
// robot message that arrives on the connection, and closes it on stop.
func TestServeDingTalkStream(t *testing.T) {
	f := newDingTalkFake(t)
	env := f.env(fakeAppSecret, "stream")
	env["SALESBOT_DATA_DIR"] = t.TempDir()
	base, stop := mustServe(t, env, "--demo")
	waitUntil(t, "stream connection", func() bool { return f.Connects() == 1 })

	now := time.Now()
	data, _ := json.Marshal(map[string]any{
		"msgtype": "text", "text": map[string]any{"content": "今天拜访了华辰科技王总，已报价 30 万"},
		"msgId": "msg-serve-1", "createAt": now.UnixMilli(), "conversationType": "1",
		"senderStaffId": "0100102", "senderNick": "李娜",
		"sessionWebhook": f.URL + "/robot/sendBySession?session=s1", "sessionWebhookExpiredTime": now.Add(time.Hour).UnixMilli(),
	})
	f.Send(t, map[string]any{"specVersion": "1.0", "type": "CALLBACK", "data": string(data),
		"headers": map[string]string{"messageId": "frame-1", "topic": "/v1.0/im/bot/messages/get", "contentType": "application/json"}})
	waitUntil(t, "ack", func() bool { return len(f.Acks()) == 1 })
	if a := f.Acks()[0]; a["code"] != float64(200) {
		t.Errorf("ack = %v", a)
	}
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`salesbot_stream_connected{platform="dingtalk"} 1`, `salesbot_stream_frames_total{outcome="acked",platform="dingtalk"} 1`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	stop()
	out := exportVisits(t, env)
	if !strings.Contains(out, "华辰科技") {
		t.Errorf("visit not stored; export:\n%s", out)
	}
	var replies int
	for _, p := range f.Paths() {
		if p == "POST /robot/sendBySession" {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("replies = %d, want 1 (paths %v)", replies, f.Paths())
	}
}

// waitUntil polls cond until it holds; it fails after a generous limit
// (not a timing assertion: the condition must come true).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
