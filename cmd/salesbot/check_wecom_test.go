package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"salesbot/bot/wecom/aibotfake"
	"salesbot/domain/kv"
)

// fakeGettoken answers gettoken: "good-secret" gets a token, "ip-secret" the
// untrusted-IP refusal, anything else a bad-secret refusal.
func fakeGettoken(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/cgi-bin/gettoken" || r.URL.Query().Get("corpid") != "wwcheck" {
			io.WriteString(w, `{"errcode":40013,"errmsg":"invalid corpid"}`)
			return
		}
		switch r.URL.Query().Get("corpsecret") {
		case "good-secret":
			io.WriteString(w, `{"errcode":0,"errmsg":"ok","access_token":"T","expires_in":7200}`)
		case "ip-secret":
			io.WriteString(w, `{"errcode":60020,"errmsg":"not allow to access from your ip"}`)
		default:
			io.WriteString(w, `{"errcode":40001,"errmsg":"invalid credential"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestWeComChecks(t *testing.T) {
	api := fakeGettoken(t)
	fake := aibotfake.New(map[string]string{"checkbot": "botsecret"})
	defer fake.Close()
	tests := []struct {
		name                    string
		corp, secret, botSecret string
		want                    []string // per check: "" passes, else a phrase of the advice
	}{
		{"AllGood", "wwcheck", "good-secret", "botsecret", []string{"", ""}},
		{"BadSecret", "wwcheck", "wrong-secret", "botsecret", []string{"SALESBOT_WECOM_SECRET", ""}},
		{"BadCorp", "wwother", "good-secret", "botsecret", []string{"SALESBOT_WECOM_CORP_ID", ""}},
		{"UntrustedIP", "wwcheck", "ip-secret", "botsecret", []string{"企业可信IP", ""}},
		{"BadBotSecret", "wwcheck", "good-secret", "wrong", []string{"", "SALESBOT_WECOM_AIBOT_SECRET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(envOf(map[string]string{
				"SALESBOT_WECOM_CORP_ID": tt.corp, "SALESBOT_WECOM_AGENT_ID": "1000002", "SALESBOT_WECOM_SECRET": tt.secret,
				"SALESBOT_WECOM_TOKEN": "apptoken", "SALESBOT_WECOM_AES_KEY": testAESKey, "SALESBOT_WECOM_API_BASE": api.URL,
				"SALESBOT_WECOM_AIBOT_BOT_ID": "checkbot", "SALESBOT_WECOM_AIBOT_SECRET": tt.botSecret, "SALESBOT_WECOM_AIBOT_WS_URL": fake.URL(),
			}), "")
			if err != nil {
				t.Fatal(err)
			}
			checks := wecomChecks(cfg, checkOptions{})
			if len(checks) != len(tt.want) {
				t.Fatalf("%d checks, want %d", len(checks), len(tt.want))
			}
			for i, c := range checks {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				err := c.run(ctx)
				cancel()
				switch {
				case tt.want[i] == "" && err != nil:
					t.Errorf("%s: %v", c.name, err)
				case tt.want[i] != "" && (err == nil || !strings.Contains(err.Error(), tt.want[i])):
					t.Errorf("%s: %v, want advice naming %q", c.name, err, tt.want[i])
				}
				if err != nil && (strings.Contains(err.Error(), tt.secret) && tt.secret != "good-secret" || strings.Contains(err.Error(), "botsecret")) {
					t.Errorf("%s: a secret in the advice: %v", c.name, err)
				}
			}
		})
	}
	if !fake.Wait(5*time.Second, func() bool { return !fake.Live("checkbot") }) {
		t.Errorf("a check left its connection open")
	}
}

// With a running replica holding the connection's lease in the shared
// Redis, the check leaves its connection alone and passes.
func TestWeComCheckRespectsLease(t *testing.T) {
	fake := aibotfake.New(map[string]string{"checkbot": "botsecret"})
	defer fake.Close()
	url := os.Getenv("SALESBOT_TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/15"
	}
	prefix := fmt.Sprintf("salesbot-check-%d:", time.Now().UnixNano())
	k, err := kv.Open(context.Background(), kv.Config{URL: url, Prefix: prefix})
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("redis not reachable: %v", err)
		}
		t.Fatal(err)
	}
	defer k.Close()
	if _, ok, err := k.AcquireLease(context.Background(), "wecom:aibot:checkbot", time.Minute); err != nil || !ok {
		t.Fatal(ok, err)
	}
	cfg, err := loadConfig(envOf(map[string]string{
		"SALESBOT_WECOM_AIBOT_BOT_ID": "checkbot", "SALESBOT_WECOM_AIBOT_SECRET": "botsecret", "SALESBOT_WECOM_AIBOT_WS_URL": fake.URL(),
		"SALESBOT_REDIS_URL": url, "SALESBOT_REDIS_PREFIX": prefix,
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	checks := wecomChecks(cfg, checkOptions{})
	if len(checks) != 1 {
		t.Fatalf("%d checks", len(checks))
	}
	if err := checks[0].run(context.Background()); err != nil {
		t.Errorf("%s: %v", checks[0].name, err)
	}
	if st := fake.Stats(); st.Dials != 0 {
		t.Errorf("the check dialled while a replica holds the connection: %+v", st)
	}
}

// `salesbot check` prints one line per WeCom check and fails when one does.
func TestCheckCommandWeCom(t *testing.T) {
	api := fakeGettoken(t)
	fake := aibotfake.New(map[string]string{"checkbot": "botsecret"})
	defer fake.Close()
	env := func(botSecret string) map[string]string {
		return map[string]string{
			"SALESBOT_WECOM_CORP_ID": "wwcheck", "SALESBOT_WECOM_AGENT_ID": "1000002", "SALESBOT_WECOM_SECRET": "good-secret",
			"SALESBOT_WECOM_TOKEN": "apptoken", "SALESBOT_WECOM_AES_KEY": testAESKey, "SALESBOT_WECOM_API_BASE": api.URL,
			"SALESBOT_WECOM_AIBOT_BOT_ID": "checkbot", "SALESBOT_WECOM_AIBOT_SECRET": botSecret, "SALESBOT_WECOM_AIBOT_WS_URL": fake.URL(),
		}
	}
	var out, errOut strings.Builder
	if err := run(context.Background(), []string{"check"}, envOf(env("botsecret")), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("check: %v\n%s%s", err, out.String(), errOut.String())
	}
	want := "ok   wecom: self-built app CorpID and Secret (access token)\nok   wecom: AI bot long connection (Bot ID and Secret)\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	out.Reset()
	if err := run(context.Background(), []string{"check"}, envOf(env("wrong")), strings.NewReader(""), &out, &errOut); err == nil {
		t.Errorf("check passed with a wrong bot secret:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "FAIL wecom: AI bot long connection (Bot ID and Secret) — WeCom refused the AI bot's Bot ID or Secret") {
		t.Errorf("output:\n%s", out.String())
	}
}
