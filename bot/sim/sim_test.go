package sim_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/sim"
	"salesbot/domain"
)

func newSim(t *testing.T) (*sim.Sim, *httptest.Server, *bottest.Stack) {
	s := bottest.New(t)
	sm := sim.New(s.Router, s.Store, sim.Access{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	return sm, srv, s
}

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestBadRequestsAreRefused(t *testing.T) {
	_, srv, _ := newSim(t)
	for _, tt := range []struct{ name, path, body string }{
		{"NotJSON", "/sim/messages", "hello"},
		{"NoUser", "/sim/messages", `{"text":"你好"}`},
		{"NoText", "/sim/messages", `{"user":"lina","text":"  "}`},
		{"NoKey", "/sim/actions", `{"user":"lina"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out := post(t, srv.URL+tt.path, tt.body)
			if code != http.StatusBadRequest || out["error"] == "" {
				t.Fatalf("status %d body %v; want 400 with an error", code, out)
			}
		})
	}
}

func TestUsersAndReplies(t *testing.T) {
	_, srv, s := newSim(t)
	res, err := http.Get(srv.URL + "/sim/users")
	if err != nil {
		t.Fatal(err)
	}
	var users []map[string]string
	json.NewDecoder(res.Body).Decode(&users)
	res.Body.Close()
	found := false
	for _, u := range users {
		if u["user"] == "lina" {
			found = u["name"] == "李娜" && u["role"] == "rep" && u["team"] == "华东大客户部" && u["chat"] == s.Demo.East.SimChatID()
		}
	}
	if !found {
		t.Fatalf("users = %v", users)
	}
	code, out := post(t, srv.URL+"/sim/messages", `{"user":"lina","chat":"`+s.Demo.East.SimChatID()+`","text":"今天拜访金石重工张总，已发报价50万"}`)
	replies, _ := out["replies"].([]any)
	if code != http.StatusOK || len(replies) != 1 {
		t.Fatalf("status %d out %v", code, out)
	}
	r := replies[0].(map[string]any)
	if r["chat"] != s.Demo.East.SimChatID() || !strings.Contains(r["text"].(string), "金石重工股份有限公司") || r["card"] == nil {
		t.Fatalf("reply = %v", r)
	}
}

func TestPushesAreKeptForThePage(t *testing.T) {
	sm, srv, _ := newSim(t)
	if err := sm.Send(context.Background(), bot.Reply{To: bot.Destination{Platform: domain.PlatformSim, ChatID: "team-1"}, Text: "日报"}); err != nil {
		t.Fatal(err)
	}
	if err := sm.Send(context.Background(), bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: "x"}, Text: "x"}); err == nil {
		t.Fatal("a WeCom destination was accepted by the simulator")
	}
	res, err := http.Get(srv.URL + "/sim/pushes?after=0")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var pushes []sim.Push
	json.NewDecoder(res.Body).Decode(&pushes)
	if len(pushes) != 1 || pushes[0].Chat != "team-1" || pushes[0].Text != "日报" {
		t.Fatalf("pushes = %+v", pushes)
	}
	if got := sm.Pushes(pushes[0].Seq); len(got) != 0 {
		t.Fatalf("pushes after the last = %+v", got)
	}
}
