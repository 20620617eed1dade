package dingtalk_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/domain"
)

func TestCallback(t *testing.T) {
	t.Run("PrivateTextRepliesThroughSessionWebhook", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.h.replies = func(m bot.Message) []bot.Reply {
			return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformDingTalk, UserID: m.UserID}, Text: "已记录"}}
		}
		w := e.post(e.payload(nil))
		if w.Code != http.StatusOK || w.Body.String() != `{"msgtype":"empty"}` {
			t.Fatalf("answer = %d %q", w.Code, w.Body.String())
		}
		want := []bot.Message{{
			Platform: domain.PlatformDingTalk,
			ID:       "msgBjXREkdlZkfTfrIiQomjAw==",
			UserID:   staffID,
			UserName: "张三",
			Text:     "今天拜访了华为张总，已报价 30 万",
			At:       time.UnixMilli(1699999999000).UTC(),
		}}
		if diff := cmp.Diff(want, e.h.Messages()); diff != "" {
			t.Errorf("message (-want +got):\n%s", diff)
		}
		if e.h.deadline <= 3*time.Second || e.h.deadline > 4*time.Second {
			t.Errorf("handler deadline in %s, want about 4s", e.h.deadline)
		}
		reqs := e.fake.Requests("")
		if len(reqs) != 1 {
			t.Fatalf("requests = %v, want one sessionWebhook post", e.fake.Paths())
		}
		r := reqs[0]
		if r.Method != http.MethodPost || r.Path != "/robot/sendBySession" || r.RawQuery != "session="+sessionID {
			t.Errorf("request = %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		if r.Header.Get("x-acs-dingtalk-access-token") != "" {
			t.Error("sessionWebhook post carries an access token")
		}
		if diff := cmp.Diff(map[string]any{"msgtype": "text", "text": map[string]any{"content": "已记录"}}, r.JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("GroupMentionRepliesWithAt", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.h.replies = func(m bot.Message) []bot.Reply {
			// As the router does: To = sender and chat.
			return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformDingTalk, UserID: m.UserID, ChatID: m.ChatID}, Text: "**华为** 报价 30 万", Markdown: true}}
		}
		w := e.post(e.payload(group))
		if w.Code != http.StatusOK {
			t.Fatalf("answer = %d", w.Code)
		}
		got := e.h.Messages()
		if len(got) != 1 || got[0].ChatID != groupID || got[0].Text != "今天拜访了华为张总，已报价 30 万" || got[0].UserID != staffID {
			t.Fatalf("message = %+v", got)
		}
		reqs := e.fake.Requests("/robot/sendBySession")
		if len(reqs) != 1 {
			t.Fatalf("requests = %v", e.fake.Paths())
		}
		want := map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]any{"title": "华为 报价 30 万", "text": "**华为** 报价 30 万"},
			"at":       map[string]any{"atUserIds": []any{staffID}},
		}
		if diff := cmp.Diff(want, reqs[0].JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("EmptyDestinationMeansSameConversation", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.h.replies = func(bot.Message) []bot.Reply { return []bot.Reply{{Text: "好的"}} }
		e.post(e.payload(group))
		if n := len(e.fake.Requests("/robot/sendBySession")); n != 1 {
			t.Fatalf("requests = %v", e.fake.Paths())
		}
	})

	t.Run("ReplyToAnotherMemberUsesRobotAPI", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.h.replies = func(bot.Message) []bot.Reply {
			return []bot.Reply{{To: bot.Destination{UserID: "manager7675"}, Text: "张三记录了一次拜访"}}
		}
		e.post(e.payload(nil))
		if diff := cmp.Diff([]string{"/v1.0/oauth2/accessToken", "/v1.0/robot/oToMessages/batchSend"}, e.fake.Paths()); diff != "" {
			t.Fatalf("paths (-want +got):\n%s", diff)
		}
	})

	t.Run("CardButtonTextIsAClickOnThatCard", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		for _, tc := range []struct {
			text string
			want *bot.CardAction
		}{
			{"撤销 #undo:42:3", &bot.CardAction{Key: "undo:42:3"}},
			{"确认 #confirm:7", &bot.CardAction{Key: "confirm:7"}},
			{"撤销", nil}, // typed by hand: the router reads it as text
			{"华为 #1 客户 今天拜访了", nil},      // a report that happens to contain " #"
			{"这是一个很长很长的开头 #undo:1", nil}, // not one of our labels
		} {
			n := len(e.h.Messages())
			e.post(e.payload(func(p map[string]any) {
				p["msgId"] = "m-" + tc.text
				p["text"] = map[string]any{"content": tc.text}
			}))
			got := e.h.Messages()[n]
			if diff := cmp.Diff(tc.want, got.Action); diff != "" {
				t.Errorf("%q: action (-want +got):\n%s", tc.text, diff)
			}
			if got.Text != tc.text {
				t.Errorf("%q: text = %q", tc.text, got.Text)
			}
		}
	})

	t.Run("VoiceRecognition", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		w := e.post(e.payload(func(p map[string]any) {
			p["msgtype"] = "audio"
			delete(p, "text")
			p["content"] = map[string]any{"duration": 4000, "downloadCode": "dc", "recognition": "今天拜访了星海科技李经理。"}
		}))
		if w.Code != http.StatusOK {
			t.Fatalf("answer = %d", w.Code)
		}
		got := e.h.Messages()
		if len(got) != 1 || !got[0].Voice || got[0].Text != "今天拜访了星海科技李经理。" {
			t.Fatalf("message = %+v", got)
		}
	})

	t.Run("RichText", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.post(e.payload(func(p map[string]any) {
			p["msgtype"] = "richText"
			delete(p, "text")
			p["content"] = map[string]any{"richText": []any{
				map[string]any{"text": " 拜访了华为"},
				map[string]any{"type": "picture", "downloadCode": "dc"},
				map[string]any{"text": "，张总"},
			}}
		}))
		if got := e.h.Messages(); len(got) != 1 || got[0].Text != "拜访了华为，张总" || got[0].Voice {
			t.Fatalf("message = %+v", got)
		}
	})

	t.Run("PictureHasNoText", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		w := e.post(e.payload(func(p map[string]any) {
			p["msgtype"] = "picture"
			delete(p, "text")
			p["content"] = map[string]any{"downloadCode": "dc"}
		}))
		if got := e.h.Messages(); w.Code != http.StatusOK || len(got) != 1 || got[0].Text != "" {
			t.Fatalf("answer %d, message = %+v", w.Code, got)
		}
	})

	t.Run("GroupWithoutMentionIsIgnored", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		w := e.post(e.payload(func(p map[string]any) { group(p); p["isInAtList"] = false }))
		if w.Code != http.StatusOK {
			t.Fatalf("answer = %d", w.Code)
		}
		if n := len(e.h.Messages()); n != 0 {
			t.Fatalf("handler called %d times", n)
		}
	})

	t.Run("SkewBoundaryAccepted", func(t *testing.T) {
		for _, d := range []time.Duration{time.Hour, -time.Hour} {
			e := MustEnv(t, dingtalk.Deps{})
			e.clock.Set(vectorTime.Add(d))
			if w := e.post(e.payload(nil)); w.Code != http.StatusOK {
				t.Errorf("now %+v: answer = %d, want 200", d, w.Code)
			}
		}
	})
}

// Every refused callback leaves the handler uncalled and sends nothing.
func TestCallbackRefused(t *testing.T) {
	tests := []struct {
		name   string
		method string
		ts     string
		sign   string
		now    time.Time
		body   func(e *env) []byte
		want   int
	}{
		{name: "GET", method: http.MethodGet, want: http.StatusMethodNotAllowed},
		{name: "NoHeaders", ts: "-", sign: "-", want: http.StatusForbidden},
		{name: "NoSign", sign: "-", want: http.StatusForbidden},
		{name: "BadSign", sign: "dB+fldh2zhJ7wZChzzOHcp0S9CzN9t6Uu/qRyvKJlX9=", want: http.StatusForbidden},
		{name: "SignOfOtherSecret", sign: "AAAAfldh2zhJ7wZChzzOHcp0S9CzN9t6Uu/qRyvKJlX8=", want: http.StatusForbidden},
		{name: "TimestampNotNumber", ts: "2023-11-14T22:13:20Z", want: http.StatusForbidden},
		{name: "StaleByOneMillisecond", now: vectorTime.Add(time.Hour + time.Millisecond), want: http.StatusForbidden},
		{name: "FutureByOneMillisecond", now: vectorTime.Add(-time.Hour - time.Millisecond), want: http.StatusForbidden},
		{name: "BadJSON", body: func(*env) []byte { return []byte(`{"msgtype":"text",`) }, want: http.StatusBadRequest},
		{name: "NotAnObject", body: func(*env) []byte { return []byte(`["x"]`) }, want: http.StatusBadRequest},
		{name: "NoMsgID", body: func(e *env) []byte { return e.payload(func(p map[string]any) { delete(p, "msgId") }) }, want: http.StatusBadRequest},
		{name: "UnknownConversationType", body: func(e *env) []byte {
			return e.payload(func(p map[string]any) { p["conversationType"] = "3" })
		}, want: http.StatusBadRequest},
		{name: "GroupWithoutConversationID", body: func(e *env) []byte {
			return e.payload(func(p map[string]any) { group(p); p["conversationId"] = "" })
		}, want: http.StatusBadRequest},
		{name: "Oversized", body: func(e *env) []byte {
			return e.payload(func(p map[string]any) {
				p["text"] = map[string]any{"content": strings.Repeat("拜", 1<<20/3+1)}
			})
		}, want: http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustEnv(t, dingtalk.Deps{})
			if !tt.now.IsZero() {
				e.clock.Set(tt.now)
			}
			body := e.payload(nil)
			if tt.body != nil {
				body = tt.body(e)
			}
			ts, sign := vectorTS, vectorSign
			if tt.ts != "" {
				ts = strings.TrimPrefix(tt.ts, "-")
			}
			if tt.sign != "" {
				sign = strings.TrimPrefix(tt.sign, "-")
			}
			method := http.MethodPost
			if tt.method != "" {
				method = tt.method
			}
			r := httptest.NewRequest(method, "/dingtalk/callback", bytes.NewReader(body))
			if ts != "" {
				r.Header.Set("timestamp", ts)
			}
			if sign != "" {
				r.Header.Set("sign", sign)
			}
			w := httptest.NewRecorder()
			e.dt.CallbackHandler().ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("status = %d, want %d (%s)", w.Code, tt.want, w.Body.String())
			}
			if n := len(e.h.Messages()); n != 0 {
				t.Errorf("handler called %d times", n)
			}
			if p := e.fake.Paths(); len(p) != 0 {
				t.Errorf("requests sent: %v", p)
			}
		})
	}
}

// A handler failure is not acknowledged, and nothing is sent.
func TestCallbackHandlerErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"Busy", bot.ErrBusy, http.StatusServiceUnavailable},
		{"WrappedBusy", errors.Join(errors.New("claim"), bot.ErrBusy), http.StatusServiceUnavailable},
		{"Internal", errors.New("database is down"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustEnv(t, dingtalk.Deps{})
			e.h.err = tt.err
			e.h.replies = func(bot.Message) []bot.Reply { return []bot.Reply{{Text: "x"}} }
			w := e.post(e.payload(nil))
			if w.Code != tt.want {
				t.Errorf("status = %d, want %d", w.Code, tt.want)
			}
			if w.Code == http.StatusOK || strings.Contains(w.Body.String(), "msgtype") {
				t.Errorf("failure acknowledged: %q", w.Body.String())
			}
			if p := e.fake.Paths(); len(p) != 0 {
				t.Errorf("requests sent: %v", p)
			}
		})
	}
}

func TestCallbackWithoutHandler(t *testing.T) {
	f := MustFake(t)
	dt, err := dingtalk.New(dingtalk.Config{AppKey: appKey, AppSecret: appSecret, APIBase: f.URL}, nil,
		dingtalk.Deps{Now: func() time.Time { return vectorTime }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/dingtalk/callback", strings.NewReader(`{"msgId":"m","conversationType":"1"}`))
	r.Header.Set("timestamp", vectorTS)
	r.Header.Set("sign", vectorSign)
	w := httptest.NewRecorder()
	dt.CallbackHandler().ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d", w.Code)
	}
}

// The callback sign is checked against a freshly computed timestamp too,
// not only the vector's.
func TestCallbackOtherTimestamp(t *testing.T) {
	e := MustEnv(t, dingtalk.Deps{})
	ts := strconv.FormatInt(vectorTime.UnixMilli()+1, 10)
	if w := e.postSigned(e.payload(nil), ts, vectorSign); w.Code != http.StatusForbidden {
		t.Fatalf("vector sign with another timestamp: status %d", w.Code)
	}
}

func TestNewChecksConfig(t *testing.T) {
	for name, cfg := range map[string]dingtalk.Config{
		"NoKey":     {AppSecret: "s"},
		"NoSecret":  {AppKey: "k"},
		"BadBase":   {AppKey: "k", AppSecret: "s", APIBase: "api.dingtalk.com"},
		"BadOBase":  {AppKey: "k", AppSecret: "s", OAPIBase: "ftp://x"},
		"EmptyHost": {AppKey: "k", AppSecret: "s", APIBase: "https://"},
	} {
		if _, err := dingtalk.New(cfg, nil, dingtalk.Deps{}, nil); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
}
