package wecom_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/domain"
)

// limiter is a RateLimiter allowing n events per key.
type limiter struct {
	mu     sync.Mutex
	n      int
	counts map[string]int
	limit  int
	window time.Duration
}

func (l *limiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.counts[key]++
	l.limit, l.window = limit, window
	return l.counts[key] <= l.n, nil
}

// Group robot pushes: exact bodies, no access token, errcode checked, 20 a
// minute per robot.
func TestRobot(t *testing.T) {
	lim := &limiter{n: 1000}
	e := newEnv(t, func(_ *wecom.Config, d *wecom.Deps) { d.Limiter = lim })
	hook := e.api.URL() + "/cgi-bin/webhook/send?key=ROBOTKEY"
	to := bot.Destination{Platform: domain.PlatformWeCom, RobotURL: hook}
	ctx := context.Background()
	card := &bot.Card{ID: "rank", Title: "今日排行", Fields: []bot.Field{{Label: "第一", Value: "张三"}}, Note: "继续加油", Buttons: []bot.Button{{Key: "k", Text: "看看"}}}

	tests := []struct {
		name  string
		reply bot.Reply
		want  string
	}{
		{"Markdown", bot.Reply{To: to, Text: "## 今日排行\n<font color=\"warning\">3</font> 单 <@zhangsan>", Markdown: true},
			`{"msgtype":"markdown","markdown":{"content":"## 今日排行\n<font color=\"warning\">3</font> 单 <@zhangsan>"}}`},
		{"Text", bot.Reply{To: to, Text: "明天 10:00 周会"},
			`{"msgtype":"text","text":{"content":"明天 10:00 周会"}}`},
		{"Image", bot.Reply{To: to, Text: "排行图", Image: &bot.Image{PNG: []byte("hello"), Alt: "排行图"}},
			`{"msgtype":"image","image":{"base64":"aGVsbG8=","md5":"5d41402abc4b2a76b9719d911017c592"}}`},
		{"CardAsMarkdown", bot.Reply{To: to, Text: bot.CardText(*card), Card: card},
			`{"msgtype":"markdown","markdown":{"content":"**今日排行**\n> 第一：张三\n继续加油"}}`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := e.w.Send(ctx, tt.reply); err != nil {
				t.Fatal(err)
			}
			r := e.api.requests("/cgi-bin/webhook/send")[i]
			if r.Body != tt.want {
				t.Errorf("body\n got %s\nwant %s", r.Body, tt.want)
			}
			if r.Method != "POST" || len(r.Query) != 1 || r.Query.Get("key") != "ROBOTKEY" || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("request %s %v %q", r.Method, r.Query, r.Header.Get("Content-Type"))
			}
		})
	}
	if n := len(e.api.requests("/cgi-bin/gettoken")); n != 0 {
		t.Errorf("robot pushes fetched %d tokens", n)
	}
	if lim.limit != 20 || lim.window != time.Minute || len(lim.counts) != 1 {
		t.Errorf("limiter used with %d/%v keys %v", lim.limit, lim.window, lim.counts)
	}
	for k := range lim.counts {
		if strings.Contains(k, "ROBOTKEY") {
			t.Errorf("rate-limit key %q holds the robot key", k)
		}
	}

	t.Run("TemplateCard", func(t *testing.T) {
		e := newEnv(t, func(c *wecom.Config, _ *wecom.Deps) { c.RobotCardURL = "https://crm.example.com/board" })
		to := bot.Destination{RobotURL: e.api.URL() + "/cgi-bin/webhook/send?key=K2"}
		if err := e.w.Send(ctx, bot.Reply{To: to, Card: card}); err != nil {
			t.Fatal(err)
		}
		want := `{"msgtype":"template_card","template_card":{"card_type":"text_notice","main_title":{"title":"今日排行"},"sub_title_text":"继续加油","horizontal_content_list":[{"keyname":"第一","value":"张三"}],"card_action":{"type":1,"url":"https://crm.example.com/board"}}}`
		if got := e.api.requests("/cgi-bin/webhook/send")[0].Body; got != want {
			t.Errorf("body\n got %s\nwant %s", got, want)
		}
	})
	t.Run("LongMarkdownIsOneMessage", func(t *testing.T) {
		e := newEnv(t)
		to := bot.Destination{RobotURL: e.api.URL() + "/cgi-bin/webhook/send?key=K3"}
		if err := e.w.Send(ctx, bot.Reply{To: to, Text: strings.Repeat("· 张三 拜访 华为\n", 400), Markdown: true}); err != nil {
			t.Fatal(err)
		}
		rs := e.api.requests("/cgi-bin/webhook/send")
		c := strings.ReplaceAll(between(rs[0].Body, `"content":"`, `"}}`), `\n`, "\n")
		if len(rs) != 1 || len(c) > 4096 || !strings.HasSuffix(c, "……（内容过长，其余已省略）") {
			t.Errorf("%d messages, %d bytes, ends %q", len(rs), len(c), c[len(c)-30:])
		}
	})
	t.Run("Errors", func(t *testing.T) {
		e := newEnv(t)
		to := bot.Destination{RobotURL: e.api.URL() + "/cgi-bin/webhook/send?key=SECRETKEY"}
		e.api.Answers["/cgi-bin/webhook/send"] = []string{
			`{"errcode":93000,"errmsg":"invalid webhook url"}`,
			`{"errcode":45009,"errmsg":"api freq out of limit"}`,
			`{"errcode":0,"errmsg":"ok. Warning: wrong json format. "}`,
			"HTTP 502",
		}
		r := bot.Reply{To: to, Text: "hi"}
		var ae *wecom.APIError
		if err := e.w.Send(ctx, r); !errors.As(err, &ae) || ae.Code != 93000 {
			t.Errorf("93000: %v", err)
		}
		if err := e.w.Send(ctx, r); !errors.Is(err, wecom.ErrRateLimited) {
			t.Errorf("45009: %v", err)
		}
		if err := e.w.Send(ctx, r); err == nil {
			t.Error("wrong json format warning taken as success")
		}
		err := e.w.Send(ctx, r)
		if err == nil || strings.Contains(err.Error(), "SECRETKEY") {
			t.Errorf("HTTP 502: %v", err)
		}
	})
	t.Run("OurRateLimit", func(t *testing.T) {
		lim := &limiter{n: 2}
		e := newEnv(t, func(_ *wecom.Config, d *wecom.Deps) { d.Limiter = lim })
		to := bot.Destination{RobotURL: e.api.URL() + "/cgi-bin/webhook/send?key=K4"}
		for i := 0; i < 2; i++ {
			if err := e.w.Send(ctx, bot.Reply{To: to, Text: "hi"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.w.Send(ctx, bot.Reply{To: to, Text: "hi"}); !errors.Is(err, wecom.ErrRateLimited) {
			t.Errorf("third push: %v", err)
		}
		if n := len(e.api.requests("/cgi-bin/webhook/send")); n != 2 {
			t.Errorf("%d pushes reached WeCom", n)
		}
	})
}

// Replies to an AI bot message's response_url.
func TestResponseURL(t *testing.T) {
	e := newEnv(t)
	to := bot.Destination{Platform: domain.PlatformWeCom, ResponseURL: e.api.URL() + "/cgi-bin/aibot/response?response_code=RESP1", ChatID: "CHAT"}
	card := &bot.Card{ID: "visit:3", Title: "已记录", Buttons: []bot.Button{{Key: "confirm:3", Text: "确认"}}}
	if err := e.w.Send(context.Background(), bot.Reply{To: to, Text: bot.CardText(*card), Card: card}); err != nil {
		t.Fatal(err)
	}
	rs := e.api.requests("/cgi-bin/aibot/response")
	want := `{"msgtype":"markdown","markdown":{"content":"**已记录**"}}`
	if len(rs) != 1 || rs[0].Body != want || rs[0].Query.Get("response_code") != "RESP1" || rs[0].Query.Get("access_token") != "" {
		t.Errorf("requests %+v", rs)
	}
	e.api.Answers["/cgi-bin/aibot/response"] = []string{`{"errcode":600039,"errmsg":"response_code used"}`}
	var ae *wecom.APIError
	if err := e.w.Send(context.Background(), bot.Reply{To: to, Text: "再说一次"}); !errors.As(err, &ae) {
		t.Errorf("used response_url: %v", err)
	}
}

// Replies for another platform or without a destination are refused.
func TestSendRefuses(t *testing.T) {
	e := newEnv(t)
	for _, r := range []bot.Reply{
		{To: bot.Destination{Platform: domain.PlatformDingTalk, UserID: "u"}, Text: "x"},
		{Text: "x"},
		{To: bot.Destination{UserID: "u"}},
		{To: bot.Destination{RobotURL: "ftp://x"}, Text: "x"},
	} {
		if err := e.w.Send(context.Background(), r); err == nil {
			t.Errorf("%+v: no error", r)
		}
	}
	if n := len(e.api.requests("")); n != 0 {
		t.Errorf("requests %v", e.api.paths())
	}
}

// A reply that cannot be sent after the callback was answered is logged,
// without keys, tokens or secrets (checked by newEnv's cleanup).
func TestReplyFailureLogged(t *testing.T) {
	e := newEnv(t)
	e.api.Answers["/cgi-bin/webhook/send"] = []string{"HTTP 502"}
	e.api.Answers["/cgi-bin/message/send"] = []string{`{"errcode":81013,"errmsg":"user & party & tag all invalid"}`}
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		return []bot.Reply{
			{To: bot.Destination{UserID: m.UserID}, Text: "已记录"},
			{To: bot.Destination{RobotURL: e.api.URL() + "/cgi-bin/webhook/send?key=ROBOTKEY"}, Text: "团队动态"},
		}, nil
	}
	if rec := e.postApp(textXML(e.cfg.CorpID, "zhangsan", "8001", "今天拜访了华为", e.now.Unix())); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	e.w.Close(context.Background())
	logs := e.logs.String()
	if strings.Count(logs, "wecom reply not sent") != 2 || !strings.Contains(logs, "81013") || !strings.Contains(logs, "/cgi-bin/webhook/send") {
		t.Errorf("logs:\n%s", logs)
	}
}
