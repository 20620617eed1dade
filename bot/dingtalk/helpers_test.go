package dingtalk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
)

// Test vectors from platforms.md §5.
const (
	appSecret  = "test-app-secret-0123456789" // D1
	vectorTS   = "1700000000000"
	vectorSign = "dB+fldh2zhJ7wZChzzOHcp0S9CzN9t6Uu/qRyvKJlX8="
	robotSEC   = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" // D2
	robotSign  = "bTgY2yDbep+wesS7jKiNj+srsHoADES4+C4f8LCHFtU="

	appKey    = "dingf0apw4ibx5u5ktba"
	staffID   = "032615015535634423"
	groupID   = "cidh6ezDLHQau9V23Es/xSLNoiDDmPuN354KylQ2BaIhuM="
	sessionID = "3dc9981636af125faaf72220d6242ff7"
)

var vectorTime = time.UnixMilli(1700000000000)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// request is one request the fake DingTalk received.
type request struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     string
}

// JSON decodes the body.
func (r request) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("%s body is not JSON: %v: %s", r.Path, err, r.Body)
	}
	return m
}

// answer scripts the fake's reply to the n-th (from 0) request on a path.
type answer func(n int, r request) (status int, body string)

// fake is an httptest server standing in for api.dingtalk.com, oapi
// (custom robots) and sessionWebhooks, recording every request.
type fake struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []request
	counts  map[string]int
	answers map[string]answer
}

// MustFake starts a fake DingTalk. By default tokens come back as
// "tok-1", "tok-2", ... valid 7200 s and every other path answers success.
func MustFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{counts: map[string]int{}, answers: map[string]answer{
		"/v1.0/oauth2/accessToken": func(n int, _ request) (int, string) {
			return 200, `{"accessToken":"tok-` + strconv.Itoa(n+1) + `","expireIn":7200}`
		},
		"/v1.0/robot/oToMessages/batchSend": func(int, request) (int, string) {
			return 200, `{"processQueryKey":"pqk","invalidStaffIdList":[],"flowControlledStaffIdList":[]}`
		},
		"/v1.0/robot/groupMessages/send": func(int, request) (int, string) { return 200, `{"processQueryKey":"pqk"}` },
		"/robot/send":                    func(int, request) (int, string) { return 200, `{"errcode":0,"errmsg":"ok"}` },
		"/robot/sendBySession":           func(int, request) (int, string) { return 200, `{"errcode":0,"errmsg":"ok"}` },
	}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rq := request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b)}
		f.mu.Lock()
		f.reqs = append(f.reqs, rq)
		n := f.counts[r.URL.Path]
		f.counts[r.URL.Path]++
		a := f.answers[r.URL.Path]
		f.mu.Unlock()
		if a == nil {
			http.Error(w, `{"code":"notFound","message":"no such path"}`, http.StatusNotFound)
			return
		}
		status, body := a(n, rq)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(f.Close)
	return f
}

// Answer replaces the answer for path.
func (f *fake) Answer(path string, a answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[path] = a
}

// Requests returns what was received so far, optionally only on path.
func (f *fake) Requests(path string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []request
	for _, r := range f.reqs {
		if path == "" || r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// Paths lists the paths of all requests in order.
func (f *fake) Paths() []string {
	var p []string
	for _, r := range f.Requests("") {
		p = append(p, r.Path)
	}
	return p
}

// recorder is a Handler that records what it got and answers as told.
type recorder struct {
	mu       sync.Mutex
	msgs     []bot.Message
	deadline time.Duration // time left on the first call's context
	replies  func(m bot.Message) []bot.Reply
	err      error
}

func (h *recorder) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if dl, ok := ctx.Deadline(); ok && len(h.msgs) == 0 {
		h.deadline = time.Until(dl)
	}
	h.msgs = append(h.msgs, m)
	if h.err != nil {
		return nil, h.err
	}
	if h.replies == nil {
		return nil, nil
	}
	return h.replies(m), nil
}

func (h *recorder) Messages() []bot.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Message(nil), h.msgs...)
}

// env is an adapter wired to a fake DingTalk, a recording handler and a
// test clock set to the vectors' time.
type env struct {
	dt    *dingtalk.DingTalk
	fake  *fake
	clock *clock
	h     *recorder
	logs  *syncBuffer
	stop  func() // ends the Stream client runStream started
}

// MustEnv builds an env; deps may set Tokens or Limiter.
func MustEnv(t *testing.T, deps dingtalk.Deps) *env {
	t.Helper()
	return mustEnvHandler(t, deps, nil)
}

// mustEnvHandler builds an env whose adapter feeds h (nil: the recorder);
// deps.Now, when set, replaces the test clock.
func mustEnvHandler(t *testing.T, deps dingtalk.Deps, h bot.Handler) *env {
	t.Helper()
	e := &env{fake: MustFake(t), clock: &clock{t: vectorTime}, h: &recorder{}, logs: &syncBuffer{}}
	if deps.Now == nil {
		deps.Now = e.clock.Now
	}
	if h == nil {
		h = e.h
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dt, err := dingtalk.New(dingtalk.Config{
		AppKey:    appKey,
		AppSecret: appSecret,
		APIBase:   e.fake.URL,
		OAPIBase:  e.fake.URL,
	}, h, deps, log)
	if err != nil {
		t.Fatal(err)
	}
	e.dt = dt
	return e
}

// sessionURL is the fake's sessionWebhook.
func (e *env) sessionURL() string { return e.fake.URL + "/robot/sendBySession?session=" + sessionID }

// payload is the §4.1 sample callback body, private by default, changed by
// edit.
func (e *env) payload(edit func(p map[string]any)) []byte {
	p := map[string]any{
		"msgtype":                   "text",
		"text":                      map[string]any{"content": " 今天拜访了华为张总，已报价 30 万"},
		"msgId":                     "msgBjXREkdlZkfTfrIiQomjAw==",
		"createAt":                  int64(1699999999000),
		"conversationType":          "1",
		"conversationId":            "cidPRIVATEconversation==",
		"senderId":                  "$:LWCP_v1:$gzXDEXQDiM8piyLH4HRRcg==",
		"senderNick":                "张三",
		"senderCorpId":              "dinge19e25c0b3f73fd635c2f4657eb6378f",
		"senderStaffId":             staffID,
		"chatbotUserId":             "$:LWCP_v1:$01B/44e/ph+R21B/X+43WLnAcUVO5BKL",
		"robotCode":                 appKey,
		"isAdmin":                   false,
		"sessionWebhook":            e.sessionURL(),
		"sessionWebhookExpiredTime": vectorTime.Add(90 * time.Minute).UnixMilli(),
	}
	if edit != nil {
		edit(p)
	}
	b, _ := json.Marshal(p)
	return b
}

// group turns the payload into a group @-mention.
func group(p map[string]any) {
	p["conversationType"] = "2"
	p["conversationId"] = groupID
	p["conversationTitle"] = "华东销售群"
	p["isInAtList"] = true
	p["atUsers"] = []any{map[string]any{"dingtalkId": p["chatbotUserId"]}}
}

// post sends a signed callback (the D1 vector headers) and returns the
// answer.
func (e *env) post(body []byte) *httptest.ResponseRecorder {
	return e.postSigned(body, vectorTS, vectorSign)
}

func (e *env) postSigned(body []byte, ts, sign string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/dingtalk/callback", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if ts != "" {
		r.Header.Set("timestamp", ts)
	}
	if sign != "" {
		r.Header.Set("sign", sign)
	}
	w := httptest.NewRecorder()
	e.dt.CallbackHandler().ServeHTTP(w, r)
	return w
}

// syncBuffer is a log sink safe for concurrent writes.
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

// msgParam decodes a robot API body's msgParam JSON string.
func msgParam(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	s, ok := body["msgParam"].(string)
	if !ok {
		t.Fatalf("msgParam is not a JSON string: %#v", body["msgParam"])
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("msgParam: %v", err)
	}
	return m
}
