package dingtalk_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/domain"
	"salesbot/domain/kv"
)

// *kv.KV is what main passes as the token cache and rate limiter.
var (
	_ dingtalk.TokenStore  = (*kv.KV)(nil)
	_ dingtalk.RateLimiter = (*kv.KV)(nil)
)

// expiredSoon makes the callback's sessionWebhook expire inside the safety
// margin, so replies must use the robot APIs.
func expiredSoon(p map[string]any) {
	p["sessionWebhookExpiredTime"] = vectorTime.Add(30 * time.Second).UnixMilli()
}

func TestSessionExpiredFallsBack(t *testing.T) {
	t.Run("GroupToGroupMessagesSend", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.h.replies = func(m bot.Message) []bot.Reply {
			return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformDingTalk, UserID: m.UserID, ChatID: m.ChatID}, Text: "### 今日排行\n1. 张三 5 次", Markdown: true}}
		}
		if w := e.post(e.payload(func(p map[string]any) { group(p); expiredSoon(p) })); w.Code != http.StatusOK {
			t.Fatalf("answer = %d", w.Code)
		}
		if diff := cmp.Diff([]string{"/v1.0/oauth2/accessToken", "/v1.0/robot/groupMessages/send"}, e.fake.Paths()); diff != "" {
			t.Fatalf("paths (-want +got):\n%s", diff)
		}
		tok := e.fake.Requests("/v1.0/oauth2/accessToken")[0]
		if tok.Method != http.MethodPost || tok.RawQuery != "" || !strings.HasPrefix(tok.Header.Get("Content-Type"), "application/json") {
			t.Errorf("token request = %s ?%s %v", tok.Method, tok.RawQuery, tok.Header)
		}
		if diff := cmp.Diff(map[string]any{"appKey": appKey, "appSecret": appSecret}, tok.JSON(t)); diff != "" {
			t.Errorf("token body (-want +got):\n%s", diff)
		}
		send := e.fake.Requests("/v1.0/robot/groupMessages/send")[0]
		if send.Method != http.MethodPost || send.RawQuery != "" {
			t.Errorf("send = %s ?%s", send.Method, send.RawQuery)
		}
		if got := send.Header.Get("x-acs-dingtalk-access-token"); got != "tok-1" {
			t.Errorf("x-acs-dingtalk-access-token = %q", got)
		}
		body := send.JSON(t)
		param := msgParam(t, body)
		delete(body, "msgParam")
		if diff := cmp.Diff(map[string]any{"robotCode": appKey, "openConversationId": groupID, "msgKey": "sampleMarkdown"}, body); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]any{"title": "今日排行", "text": "### 今日排行  \n1. 张三 5 次"}, param); diff != "" {
			t.Errorf("msgParam (-want +got):\n%s", diff)
		}
	})

	t.Run("PrivateToBatchSend", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.h.replies = func(m bot.Message) []bot.Reply {
			return []bot.Reply{{To: bot.Destination{Platform: domain.PlatformDingTalk, UserID: m.UserID}, Text: "明天回访星海科技"}}
		}
		e.post(e.payload(expiredSoon))
		reqs := e.fake.Requests("/v1.0/robot/oToMessages/batchSend")
		if len(reqs) != 1 || len(e.fake.Requests("/robot/sendBySession")) != 0 {
			t.Fatalf("paths = %v", e.fake.Paths())
		}
		body := reqs[0].JSON(t)
		want := map[string]any{
			"robotCode": appKey,
			"userIds":   []any{staffID},
			"msgKey":    "sampleText",
			"msgParam":  `{"content":"明天回访星海科技"}`,
		}
		if diff := cmp.Diff(want, body); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
		if reqs[0].Header.Get("x-acs-dingtalk-access-token") != "tok-1" {
			t.Errorf("token header = %q", reqs[0].Header.Get("x-acs-dingtalk-access-token"))
		}
	})

	t.Run("ExpiredWithoutOtherDestination", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		err := e.dt.Sender().Send(context.Background(), bot.Reply{
			To:   bot.Destination{ResponseURL: e.sessionURL() + "#expires=" + strconv.FormatInt(vectorTime.UnixMilli(), 10)},
			Text: "x",
		})
		if err == nil || len(e.fake.Paths()) != 0 {
			t.Fatalf("err = %v, paths = %v", err, e.fake.Paths())
		}
	})

	t.Run("RefusedSessionFallsBackForTheRest", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.fake.Answer("/robot/sendBySession", func(n int, _ request) (int, string) {
			if n == 0 {
				return 200, `{"errcode":0,"errmsg":"ok"}`
			}
			return 200, `{"errcode":300001,"errmsg":"session expired"}`
		})
		long := strings.Repeat(strings.Repeat("销", 99)+"\n", 30) // two parts
		err := e.dt.Sender().Send(context.Background(), bot.Reply{
			To:   bot.Destination{UserID: staffID, ResponseURL: e.sessionURL()},
			Text: long,
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"/robot/sendBySession", "/robot/sendBySession", "/v1.0/oauth2/accessToken", "/v1.0/robot/oToMessages/batchSend"}
		if diff := cmp.Diff(want, e.fake.Paths()); diff != "" {
			t.Fatalf("paths (-want +got):\n%s", diff)
		}
	})
}

func TestAccessToken(t *testing.T) {
	private := bot.Reply{To: bot.Destination{UserID: staffID}, Text: "提醒"}

	t.Run("CachedBetweenSends", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		for range 3 {
			if err := e.dt.Sender().Send(context.Background(), private); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(e.fake.Requests("/v1.0/oauth2/accessToken")); n != 1 {
			t.Fatalf("%d token requests", n)
		}
	})

	t.Run("ConcurrentSendsFetchOnce", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if err := e.dt.Sender().Send(context.Background(), private); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := len(e.fake.Requests("/v1.0/oauth2/accessToken")); n != 1 {
			t.Fatalf("%d token requests", n)
		}
	})

	t.Run("RefreshedBeforeExpiry", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		send := func() {
			t.Helper()
			if err := e.dt.Sender().Send(context.Background(), private); err != nil {
				t.Fatal(err)
			}
		}
		send()
		e.clock.Set(vectorTime.Add(7200*time.Second - 5*time.Minute - time.Second))
		send()
		if n := len(e.fake.Requests("/v1.0/oauth2/accessToken")); n != 1 {
			t.Fatalf("%d token requests before the margin", n)
		}
		e.clock.Set(vectorTime.Add(7200*time.Second - 5*time.Minute))
		send()
		reqs := e.fake.Requests("/v1.0/robot/oToMessages/batchSend")
		if n := len(e.fake.Requests("/v1.0/oauth2/accessToken")); n != 2 || reqs[2].Header.Get("x-acs-dingtalk-access-token") != "tok-2" {
			t.Fatalf("%d token requests, last send with %q", n, reqs[2].Header.Get("x-acs-dingtalk-access-token"))
		}
	})

	t.Run("RejectedMidSendIsRefreshedAndRetriedOnce", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.fake.Answer("/v1.0/robot/oToMessages/batchSend", func(_ int, r request) (int, string) {
			if r.Header.Get("x-acs-dingtalk-access-token") == "tok-1" {
				return 401, `{"code":"InvalidAuthentication","message":"不合法的access_token"}`
			}
			return 200, `{"processQueryKey":"pqk"}`
		})
		if err := e.dt.Sender().Send(context.Background(), private); err != nil {
			t.Fatal(err)
		}
		want := []string{"/v1.0/oauth2/accessToken", "/v1.0/robot/oToMessages/batchSend", "/v1.0/oauth2/accessToken", "/v1.0/robot/oToMessages/batchSend"}
		if diff := cmp.Diff(want, e.fake.Paths()); diff != "" {
			t.Fatalf("paths (-want +got):\n%s", diff)
		}
		sends := e.fake.Requests("/v1.0/robot/oToMessages/batchSend")
		if sends[0].Body != sends[1].Body {
			t.Errorf("retry sent another body:\n%s\n%s", sends[0].Body, sends[1].Body)
		}
		// The new token is kept.
		if err := e.dt.Sender().Send(context.Background(), private); err != nil {
			t.Fatal(err)
		}
		if n := len(e.fake.Requests("/v1.0/oauth2/accessToken")); n != 2 {
			t.Fatalf("%d token requests", n)
		}
	})

	t.Run("RejectedTwiceFails", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.fake.Answer("/v1.0/robot/groupMessages/send", func(int, request) (int, string) {
			return 403, `{"code":"Forbidden.AccessDenied","message":"denied"}`
		})
		err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{ChatID: groupID}, Text: "x"})
		var ae *dingtalk.APIError
		if !errors.As(err, &ae) || ae.Status != 403 || ae.Code != "Forbidden.AccessDenied" {
			t.Fatalf("err = %v", err)
		}
		if n := len(e.fake.Requests("/v1.0/robot/groupMessages/send")); n != 2 {
			t.Fatalf("%d sends, want 2", n)
		}
	})

	t.Run("TokenEndpointError", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		e.fake.Answer("/v1.0/oauth2/accessToken", func(int, request) (int, string) {
			return 400, `{"code":"invalidClientSecret","message":"bad secret"}`
		})
		err := e.dt.Sender().Send(context.Background(), private)
		var ae *dingtalk.APIError
		if !errors.As(err, &ae) || ae.Code != "invalidClientSecret" {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), appSecret) {
			t.Fatal("error shows the app secret")
		}
	})

	t.Run("SharedBetweenReplicas", func(t *testing.T) {
		store, err := kv.Open(context.Background(), kv.Config{Prefix: "test:"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		a := MustEnv(t, dingtalk.Deps{Tokens: store})
		// A second replica talking to the same fake.
		b, err := dingtalk.New(dingtalk.Config{AppKey: appKey, AppSecret: appSecret, APIBase: a.fake.URL},
			nil, dingtalk.Deps{Tokens: store, Now: a.clock.Now}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.dt.Sender().Send(context.Background(), private); err != nil {
			t.Fatal(err)
		}
		if err := b.Sender().Send(context.Background(), private); err != nil {
			t.Fatal(err)
		}
		if n := len(a.fake.Requests("/v1.0/oauth2/accessToken")); n != 1 {
			t.Fatalf("%d token requests across replicas", n)
		}
		// b finds the shared token rejected: it refreshes for everyone.
		a.fake.Answer("/v1.0/robot/oToMessages/batchSend", func(_ int, r request) (int, string) {
			if r.Header.Get("x-acs-dingtalk-access-token") == "tok-1" {
				return 401, `{"code":"InvalidAuthentication"}`
			}
			return 200, `{}`
		})
		if err := b.Sender().Send(context.Background(), private); err != nil {
			t.Fatal(err)
		}
		v, ok, err := store.GetState(context.Background(), "dingtalk:token:"+appKey)
		if err != nil || !ok || !strings.Contains(string(v), "tok-2") || strings.Contains(string(v), appSecret) {
			t.Fatalf("shared token = %s %v %v", v, ok, err)
		}
	})
}

func TestRobotAPIErrors(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		status    int
		body      string
		throttled bool
		temporary bool
	}{
		{"FlowControlledStaff", "/v1.0/robot/oToMessages/batchSend", 200, `{"processQueryKey":"p","invalidStaffIdList":[],"flowControlledStaffIdList":["` + staffID + `"]}`, true, true},
		{"InvalidStaff", "/v1.0/robot/oToMessages/batchSend", 200, `{"processQueryKey":"p","invalidStaffIdList":["` + staffID + `"]}`, false, false},
		{"TooManyRequests", "/v1.0/robot/oToMessages/batchSend", 429, `{"code":"Throttling","message":"slow down"}`, true, true},
		{"ServerError", "/v1.0/robot/oToMessages/batchSend", 500, `{"code":"ServiceUnavailable"}`, false, true},
		{"BadParam", "/v1.0/robot/oToMessages/batchSend", 400, `{"code":"invalidParameter.robotCode.auth","message":"robot"}`, false, false},
		{"NotJSON", "/v1.0/robot/oToMessages/batchSend", 502, `<html>bad gateway</html>`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustEnv(t, dingtalk.Deps{})
			e.fake.Answer(tt.path, func(int, request) (int, string) { return tt.status, tt.body })
			err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{UserID: staffID}, Text: "x"})
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, dingtalk.ErrThrottled); got != tt.throttled {
				t.Errorf("throttled = %v (%v)", got, err)
			}
			var ae *dingtalk.APIError
			if !errors.As(err, &ae) || ae.Temporary() != tt.temporary {
				t.Errorf("temporary: %#v", ae)
			}
		})
	}
}

func TestRender(t *testing.T) {
	card := &bot.Card{
		ID:    "visit:42",
		Title: "✅ 已记录拜访",
		Fields: []bot.Field{
			{Label: "客户", Value: "华为"},
			{Label: "联系人", Value: "张总"},
			{Label: "金额", Value: ""},
		},
		Note: "说错了可以直接回复修改",
		Buttons: []bot.Button{
			{Key: "confirm:42", Text: "确认", Style: "primary"},
			{Key: "correct:42", Text: "修改"},
			{Key: "undo:42", Text: "撤销", Style: "danger"},
		},
	}
	cardText := "#### ✅ 已记录拜访  \n**客户**：华为  \n**联系人**：张总  \n说错了可以直接回复修改"
	// A button sends its label and its key, so the click acts on this card.
	link := func(s string) string { return "dtmd://dingtalkclient/sendMessage?content=" + s }

	t.Run("PrivateCardIsActionCard", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{UserID: staffID, ResponseURL: e.sessionURL()}, Text: bot.CardText(*card), Card: card})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"msgtype": "actionCard",
			"actionCard": map[string]any{
				"title":          "✅ 已记录拜访",
				"text":           cardText + "\n\n点下方按钮或回复「确认」、「修改」、「撤销」",
				"btnOrientation": "0",
				"btns": []any{
					map[string]any{"title": "确认", "actionURL": link("%E7%A1%AE%E8%AE%A4%20%23confirm%3A42")},
					map[string]any{"title": "修改", "actionURL": link("%E4%BF%AE%E6%94%B9%20%23correct%3A42")},
					map[string]any{"title": "撤销", "actionURL": link("%E6%92%A4%E9%94%80%20%23undo%3A42")},
				},
			},
		}
		if diff := cmp.Diff(want, e.fake.Requests("/robot/sendBySession")[0].JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("PrivateCardThroughAPI", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		if err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{UserID: staffID}, Card: card}); err != nil {
			t.Fatal(err)
		}
		body := e.fake.Requests("/v1.0/robot/oToMessages/batchSend")[0].JSON(t)
		if body["msgKey"] != "sampleActionCard3" {
			t.Errorf("msgKey = %v", body["msgKey"])
		}
		want := map[string]any{
			"title":        "✅ 已记录拜访",
			"text":         cardText + "\n\n点下方按钮或回复「确认」、「修改」、「撤销」",
			"actionTitle1": "确认", "actionURL1": link("%E7%A1%AE%E8%AE%A4%20%23confirm%3A42"),
			"actionTitle2": "修改", "actionURL2": link("%E4%BF%AE%E6%94%B9%20%23correct%3A42"),
			"actionTitle3": "撤销", "actionURL3": link("%E6%92%A4%E9%94%80%20%23undo%3A42"),
		}
		if diff := cmp.Diff(want, msgParam(t, body)); diff != "" {
			t.Errorf("msgParam (-want +got):\n%s", diff)
		}
	})

	t.Run("TwoButtonsSideBySide", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		c := *card
		c.Buttons = c.Buttons[:2]
		if err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{UserID: staffID}, Card: &c}); err != nil {
			t.Fatal(err)
		}
		body := e.fake.Requests("/v1.0/robot/oToMessages/batchSend")[0].JSON(t)
		p := msgParam(t, body)
		if body["msgKey"] != "sampleActionCard6" || p["buttonTitle2"] != "修改" || p["buttonUrl1"] != link("%E7%A1%AE%E8%AE%A4%20%23confirm%3A42") {
			t.Errorf("body = %v, param = %v", body, p)
		}
	})

	t.Run("GroupCardIsMarkdownWithHint", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{UserID: staffID, ChatID: groupID, ResponseURL: e.sessionURL()}, Card: card})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]any{"title": "✅ 已记录拜访", "text": cardText + "\n\n@我并回复「确认」、「修改」、「撤销」"},
			"at":       map[string]any{"atUserIds": []any{staffID}},
		}
		if diff := cmp.Diff(want, e.fake.Requests("/robot/sendBySession")[0].JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("UpdateIsSentAsNewMessage", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		final := bot.Card{ID: "visit:42", Title: "拜访记录：华为 2023-11-14", Final: "已确认"}
		err := e.dt.Sender().Send(context.Background(), bot.Reply{
			To:     bot.Destination{UserID: staffID, ResponseURL: e.sessionURL()},
			Text:   bot.CardText(final),
			Update: &bot.Update{CardID: "visit:42", Card: final},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]any{"title": "拜访记录：华为 2023-11-14", "text": "#### 拜访记录：华为 2023-11-14\n\n**【已确认】**"},
		}
		if diff := cmp.Diff(want, e.fake.Requests("/robot/sendBySession")[0].JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("UpdatedLiveCardSaysTheOldOneIsVoid", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		err := e.dt.Sender().Send(context.Background(), bot.Reply{
			To:     bot.Destination{UserID: staffID, ResponseURL: e.sessionURL()},
			Update: &bot.Update{CardID: "visit:42", Card: *card},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := e.fake.Requests("/robot/sendBySession")[0].JSON(t)
		ac, _ := got["actionCard"].(map[string]any)
		text, _ := ac["text"].(string)
		if !strings.Contains(text, "说错了可以直接回复修改 "+bot.VoidNote) || len(ac["btns"].([]any)) != 3 {
			t.Errorf("body = %v", got)
		}
		if card.Note != "说错了可以直接回复修改" {
			t.Errorf("the caller's card was changed: %q", card.Note)
		}
	})

	t.Run("LongTextIsSplitWithPointer", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		line := strings.Repeat("销", 99) + "\n"
		err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{ChatID: groupID}, Text: strings.Repeat(line, 100), Markdown: true})
		if err != nil {
			t.Fatal(err)
		}
		reqs := e.fake.Requests("/v1.0/robot/groupMessages/send")
		if len(reqs) != 3 {
			t.Fatalf("%d messages, want 3", len(reqs))
		}
		for i, r := range reqs {
			if len(r.JSON(t)["msgParam"].(string)) > 15000 {
				t.Errorf("part %d msgParam over 15000 bytes", i)
			}
		}
		if last := msgParam(t, reqs[2].JSON(t))["text"].(string); !strings.Contains(last, "内容过长") {
			t.Errorf("last part has no pointer")
		}
	})

	t.Run("ImageFallsBackToText", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{UserID: staffID, ResponseURL: e.sessionURL()}, Image: &bot.Image{PNG: []byte{0x89}, Alt: "本周排行图"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.fake.Requests("/robot/sendBySession")[0].Body; got != `{"msgtype":"text","text":{"content":"本周排行图"}}` {
			t.Errorf("body = %s", got)
		}
	})
}

func TestSendRefused(t *testing.T) {
	for name, r := range map[string]bot.Reply{
		"OtherPlatform": {To: bot.Destination{Platform: domain.PlatformWeCom, UserID: "zhangsan"}, Text: "x"},
		"NoDestination": {Text: "x"},
		"Empty":         {To: bot.Destination{UserID: staffID}},
	} {
		t.Run(name, func(t *testing.T) {
			e := MustEnv(t, dingtalk.Deps{})
			if err := e.dt.Sender().Send(context.Background(), r); err == nil {
				t.Fatal("sent")
			}
			if p := e.fake.Paths(); len(p) != 0 {
				t.Fatalf("requests: %v", p)
			}
		})
	}
}
