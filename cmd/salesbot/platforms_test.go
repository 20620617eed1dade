package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot/wecom"
	"salesbot/bot/wecom/aibotfake"
)

// fakePlatform records the requests a fake platform API receives and
// answers every call with a token or {"errcode":0}.
type fakePlatform struct {
	mu    sync.Mutex
	paths []string
}

func (f *fakePlatform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.paths = append(f.paths, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, "/gettoken"):
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","access_token":"TOKEN1","expires_in":7200}`)
	case strings.HasSuffix(r.URL.Path, "/accessToken"):
		io.WriteString(w, `{"accessToken":"DTTOKEN","expireIn":7200}`)
	default:
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}
}

func (f *fakePlatform) seen(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, p := range f.paths {
		if strings.HasSuffix(p, " "+path) {
			n++
		}
	}
	return n
}

const (
	testAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	testCorpID = "wwservetest"
)

// allPlatformsEnv configures every platform at once on the embedded
// default (simulator on), against fakes.
func allPlatformsEnv(t *testing.T, wecomAPI, aibotWS, dingtalkAPI, dtMode string) map[string]string {
	return map[string]string{
		"SALESBOT_WECOM_AIBOT_BOT_ID":  "servebot",
		"SALESBOT_WECOM_AIBOT_SECRET":  "servebot-secret",
		"SALESBOT_WECOM_AIBOT_WS_URL":  aibotWS,
		"SALESBOT_DATA_DIR":            t.TempDir(),
		"SALESBOT_WECOM_CORP_ID":       testCorpID,
		"SALESBOT_WECOM_AGENT_ID":      "1000002",
		"SALESBOT_WECOM_SECRET":        "app-secret",
		"SALESBOT_WECOM_TOKEN":         "apptoken",
		"SALESBOT_WECOM_AES_KEY":       testAESKey,
		"SALESBOT_WECOM_AIBOT_TOKEN":   "bottoken",
		"SALESBOT_WECOM_AIBOT_AES_KEY": testAESKey,
		"SALESBOT_WECOM_API_BASE":      wecomAPI,
		"SALESBOT_DINGTALK_APP_KEY":    "dtkey",
		"SALESBOT_DINGTALK_APP_SECRET": "dtsecret",
		"SALESBOT_DINGTALK_ROBOT_CODE": "dtrobot",
		"SALESBOT_DINGTALK_API_BASE":   dingtalkAPI,
		"SALESBOT_DINGTALK_OAPI_BASE":  dingtalkAPI,
		"SALESBOT_DINGTALK_MODE":       dtMode,
	}
}

// With every platform configured at once and the simulator on, serve
// starts and each route answers with its own handler.
func TestServeEveryPlatform(t *testing.T) {
	for _, mode := range []string{"callback", "stream"} {
		t.Run("dingtalk_"+mode, func(t *testing.T) {
			wapi, dapi := &fakePlatform{}, &fakePlatform{}
			wsrv, dsrv := httptest.NewServer(wapi), httptest.NewServer(dapi)
			defer wsrv.Close()
			defer dsrv.Close()
			aibot := aibotfake.New(map[string]string{"servebot": "servebot-secret"})
			defer aibot.Close()
			env := allPlatformsEnv(t, wsrv.URL, aibot.URL(), dsrv.URL, mode)
			base, stop := mustServe(t, env, "--demo")
			defer stop()

			expect := func(method, path string, body []byte, want int, contains string) {
				t.Helper()
				req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != want || !strings.Contains(string(b), contains) {
					t.Errorf("%s %s: %d %q, want %d containing %q", method, path, res.StatusCode, b, want, contains)
				}
			}
			// The simulator's page and API.
			expect("GET", "/", nil, http.StatusOK, "<html")
			expect("GET", "/sim/users", nil, http.StatusOK, `"lina"`)
			// WeCom: an unsigned handshake is refused by the callback
			// handler itself (the simulator would have served its page), and
			// a sealed message from a known rep is acknowledged.
			expect("GET", "/wecom/callback", nil, http.StatusForbidden, "Forbidden")
			expect("GET", "/wecom/aibot/callback", nil, http.StatusForbidden, "Forbidden")
			expect("PUT", "/wecom/callback", nil, http.StatusMethodNotAllowed, "")
			cfg := wecom.Config{CorpID: testCorpID, AgentID: 1000002, Token: "apptoken", AESKey: testAESKey}
			q, body, err := wecom.SealText(cfg, "lina", "serve-1", "你好", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			expect("POST", "/wecom/callback?"+q.Encode(), body, http.StatusOK, "")
			// DingTalk's callback refuses an unsigned request.
			expect("POST", "/dingtalk/callback", []byte(`{}`), http.StatusForbidden, "forbidden")
			expect("GET", "/healthz", nil, http.StatusOK, "ok")
			expect("GET", "/readyz", nil, http.StatusOK, "ready")

			// The AI bot's long connection is up and answers lina on the
			// socket.
			req := aibot.Message("servebot", map[string]any{
				"msgid": "serve-ws-1", "chattype": "single", "from": map[string]any{"userid": "lina"},
				"msgtype": "text", "text": map[string]any{"content": "帮助"},
			})
			if !aibot.Wait(10*time.Second, func() bool {
				for _, f := range aibot.Frames("aibot_respond_msg") {
					if f.ReqID == req {
						return true
					}
				}
				return false
			}) {
				t.Errorf("no answer on the AI bot's long connection: %+v", aibot.Frames(""))
			}

			// The reply to lina went out through the app.
			deadline := time.Now().Add(10 * time.Second)
			for wapi.seen("/cgi-bin/message/send") == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("no reply sent through the WeCom app: %v", wapi.paths)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
