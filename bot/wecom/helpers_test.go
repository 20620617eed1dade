package wecom_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"salesbot/bot"
	"salesbot/bot/wecom"
)

// The official test configuration of WeCom's crypto samples (platforms.md §5).
const (
	vecToken  = "QDG6eK"
	vecAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	vecCorpID = "wx5823bf96d3bd56c7"
	testAgent = 1000002
	// testSecret is checked for in logs and errors: it must never appear.
	testSecret = "SECRET-must-not-leak-0123456789"
)

// sdkHub is where the SDK's process-wide URI modifier points (set once in
// TestMain). It forwards each gettoken call to the fake of the test whose
// CorpID it names, so that parallel tests cannot see each other's fakes.
type sdkHub struct {
	mu    sync.Mutex
	fakes map[string]*fakeAPI
}

var hub = &sdkHub{fakes: map[string]*fakeAPI{}}

func (h *sdkHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	f := h.fakes[r.URL.Query().Get("corpid")]
	h.mu.Unlock()
	if f == nil {
		http.Error(w, "no fake for this corp", http.StatusNotFound)
		return
	}
	f.ServeHTTP(w, r)
}

func TestMain(m *testing.M) {
	srv := httptest.NewServer(hub)
	if err := wecom.ConfigureSDK(srv.URL, srv.Client()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// recorded is one request a fake platform server received.
type recorded struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   string
}

// fakeAPI is a fake WeCom API server. gettoken hands out Tokens in turn;
// other paths answer with Answers[path] (one per call, the last repeated)
// or {"errcode":0,"errmsg":"ok"}.
type fakeAPI struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []recorded
	Tokens  []string
	Answers map[string][]string
	calls   map[string]int
}

// newFakeAPI starts a fake serving corpID's gettoken (through the hub) and
// every other call (directly).
func newFakeAPI(t testing.TB, corpID string) *fakeAPI {
	f := &fakeAPI{Tokens: []string{"TOKEN1"}, Answers: map[string][]string{}, calls: map[string]int{}}
	f.srv = httptest.NewServer(f)
	hub.mu.Lock()
	if hub.fakes[corpID] != nil {
		hub.mu.Unlock()
		t.Fatalf("two fakes for corp %s", corpID)
	}
	hub.fakes[corpID] = f
	hub.mu.Unlock()
	t.Cleanup(func() {
		hub.mu.Lock()
		delete(hub.fakes, corpID)
		hub.mu.Unlock()
		f.srv.Close()
	})
	return f
}

func (f *fakeAPI) URL() string { return f.srv.URL }

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(body)})
	n := f.calls[r.URL.Path]
	f.calls[r.URL.Path]++
	var answer string
	if r.URL.Path == "/cgi-bin/gettoken" && len(f.Tokens) == 0 {
		answer = "HTTP 500"
	} else if r.URL.Path == "/cgi-bin/gettoken" {
		tok := f.Tokens[min(n, len(f.Tokens)-1)]
		answer = `{"errcode":0,"errmsg":"ok","access_token":"` + tok + `","expires_in":7200}`
	} else if as := f.Answers[r.URL.Path]; len(as) > 0 {
		answer = as[min(n, len(as)-1)]
	} else {
		answer = `{"errcode":0,"errmsg":"ok"}`
	}
	f.mu.Unlock()
	if strings.HasPrefix(answer, "HTTP ") {
		var code int
		fmt.Sscanf(answer, "HTTP %d", &code)
		http.Error(w, "fake failure", code)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, answer)
}

// answer sets the answers of path, from the next call on.
func (f *fakeAPI) answer(path string, answers ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Answers[path] = answers
	f.calls[path] = 0
}

// requests returns the requests to path ("" for all).
func (f *fakeAPI) requests(path string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
		if path == "" || r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// wait polls until path has received n requests.
func (f *fakeAPI) wait(t testing.TB, path string, n int) []recorded {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rs := f.requests(path)
		if len(rs) >= n {
			return rs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: got %d requests, want %d (all: %v)", path, len(rs), n, f.paths())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *fakeAPI) paths() []string {
	var out []string
	for _, r := range f.requests("") {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// recorder is a bot.Handler that records messages and answers with reply.
type recorder struct {
	mu    sync.Mutex
	msgs  []bot.Message
	reply func(bot.Message) ([]bot.Reply, error)
}

// Handle keeps the Router's contract: the sender is enrolled before the
// message is taken.
func (h *recorder) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	if m.Enroll != nil {
		if err := m.Enroll(ctx); err != nil {
			return nil, err
		}
	}
	h.mu.Lock()
	h.msgs = append(h.msgs, m)
	h.mu.Unlock()
	if h.reply == nil {
		return nil, nil
	}
	return h.reply(m)
}

func (h *recorder) messages() []bot.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Message(nil), h.msgs...)
}

// countingState is a StateStore that counts writes, to show that refused
// callbacks leave no trace.
type countingState struct {
	mu     sync.Mutex
	m      map[string][]byte
	writes int
}

func newState() *countingState { return &countingState{m: map[string][]byte{}} }

func (s *countingState) GetState(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

func (s *countingState) SetState(_ context.Context, key string, val []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ttl <= 0 {
		return fmt.Errorf("ttl %v", ttl)
	}
	s.m[key] = append([]byte(nil), val...)
	s.writes++
	return nil
}

func (s *countingState) DeleteState(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	s.writes++
	return nil
}

func (s *countingState) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// logBuffer collects log output (to check that secrets stay out of it).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// env is one adapter under test with its fakes.
type env struct {
	t     *testing.T
	cfg   wecom.Config
	w     *wecom.WeCom
	api   *fakeAPI
	h     *recorder
	state *countingState
	logs  *logBuffer
	now   time.Time
}

type option func(*wecom.Config, *wecom.Deps)

// corpFor gives each test its own CorpID, so that the shared SDK hub can
// tell their gettoken calls apart.
func corpFor(t testing.TB) string {
	sum := sha1.Sum([]byte(t.Name()))
	return "ww" + hex.EncodeToString(sum[:8])
}

// newEnv builds an adapter with the app and the AI bot on (official test
// token and key), a fake API and a recording handler; the clock stands at
// 1700000000.
func newEnv(t *testing.T, opts ...option) *env {
	t.Helper()
	return newEnvHandler(t, nil, opts...)
}

// newEnvHandler is newEnv with another Handler than the recorder.
func newEnvHandler(t *testing.T, h bot.Handler, opts ...option) *env {
	t.Helper()
	e := &env{t: t, h: &recorder{}, state: newState(), logs: &logBuffer{}, now: time.Unix(1700000000, 0)}
	corp := corpFor(t)
	hub.mu.Lock()
	for n := 2; hub.fakes[corp] != nil; n++ { // another replica in the same test
		corp = fmt.Sprintf("%s-%d", corpFor(t), n)
	}
	hub.mu.Unlock()
	e.api = newFakeAPI(t, corp)
	cfg := wecom.Config{
		CorpID: corp, AgentID: testAgent, Secret: testSecret, Token: vecToken, AESKey: vecAESKey,
		AIBotToken: vecToken, AIBotAESKey: vecAESKey, APIBase: e.api.URL(),
		FailHold: 50 * time.Millisecond,
	}
	deps := wecom.Deps{State: e.state, Now: func() time.Time { return e.now }}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if h == nil {
		h = e.h
	}
	w, err := wecom.New(cfg, h, deps, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		w.Close(ctx)
		for _, secret := range []string{testSecret, vecAESKey, "TOKEN1", "TOKEN2", "ROBOTKEY", "SECRETKEY", "response_code="} {
			if strings.Contains(e.logs.String(), secret) {
				t.Errorf("%q appears in the logs:\n%s", secret, e.logs.String())
			}
		}
	})
	e.cfg, e.w = cfg, w
	return e
}

const (
	fixedRandom = "0123456789abcdef"
	fixedNonce  = "nonce123"
)

// seal encrypts plaintext as WeCom does (receive id rid) and signs it.
func seal(t testing.TB, token, aesKey, rid, plaintext string, ts int64, nonce string) (enc, query string) {
	t.Helper()
	b, err := util.EncryptMsg([]byte(fixedRandom), []byte(plaintext), rid, aesKey)
	if err != nil {
		t.Fatal(err)
	}
	enc = string(b)
	tss := fmt.Sprint(ts)
	q := url.Values{"msg_signature": {util.Signature(token, tss, nonce, enc)}, "timestamp": {tss}, "nonce": {nonce}}
	return enc, q.Encode()
}

// appXML is the envelope of an app callback.
func appXML(corp, enc string) string {
	return "<xml><ToUserName><![CDATA[" + corp + "]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
}

// postApp delivers an app message (plaintext XML) to the callback.
func (e *env) postApp(plain string) *httptest.ResponseRecorder {
	e.t.Helper()
	enc, q := seal(e.t, e.cfg.Token, e.cfg.AESKey, e.cfg.CorpID, plain, e.now.Unix(), fixedNonce)
	return e.serve(e.w.CallbackHandler(), http.MethodPost, "/wecom/callback?"+q, appXML(e.cfg.CorpID, enc))
}

// postAIBot delivers an AI bot callback (plaintext JSON).
func (e *env) postAIBot(plain string) *httptest.ResponseRecorder {
	e.t.Helper()
	enc, q := seal(e.t, e.cfg.AIBotToken, e.cfg.AIBotAESKey, "", plain, e.now.Unix(), fixedNonce)
	return e.serve(e.w.AIBotHandler(), http.MethodPost, "/wecom/aibot/callback?"+q, `{"encrypt":"`+enc+`"}`)
}

func (e *env) serve(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// textXML is an app text message from user.
func textXML(corp, user, msgID, content string, at int64) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%s</MsgId><AgentID>1000002</AgentID></xml>", corp, user, at, content, msgID)
}

// cardEventXML is a template_card_event click.
func cardEventXML(corp, user, key, taskID, code string, at int64) string {
	return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[%s]]></EventKey><TaskId><![CDATA[%s]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[%s]]></ResponseCode><AgentID>1000002</AgentID></xml>", corp, user, at, key, taskID, code)
}

// decodeAIBotAnswer checks the signature of an AI bot passive reply and
// returns its plaintext JSON.
func (e *env) decodeAIBotAnswer(rec *httptest.ResponseRecorder) map[string]any {
	e.t.Helper()
	var ans struct {
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Timestamp    string `json:"timestamp"`
		Nonce        string `json:"nonce"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		e.t.Fatalf("answer %q: %v", rec.Body.String(), err)
	}
	if ans.Nonce != fixedNonce || ans.Timestamp != fmt.Sprint(e.now.Unix()) {
		e.t.Errorf("nonce/timestamp = %q/%q", ans.Nonce, ans.Timestamp)
	}
	if want := util.Signature(e.cfg.AIBotToken, ans.Timestamp, ans.Nonce, ans.Encrypt); ans.MsgSignature != want {
		e.t.Errorf("msgsignature %s, want %s", ans.MsgSignature, want)
	}
	plain := decryptEmptyRID(e.t, e.cfg.AIBotAESKey, ans.Encrypt)
	var m map[string]any
	if err := json.Unmarshal(plain, &m); err != nil {
		e.t.Fatalf("plaintext %q: %v", plain, err)
	}
	return m
}

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
