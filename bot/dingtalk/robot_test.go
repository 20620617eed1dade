package dingtalk_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/domain"
)

// MustRobot returns a RobotSender on the fake with the vectors' clock.
func MustRobot(t *testing.T, f *fake, c *clock, lim dingtalk.RateLimiter) *dingtalk.RobotSender {
	t.Helper()
	s, err := dingtalk.NewRobotSender(f.URL, dingtalk.Deps{Now: c.Now, Limiter: lim}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func digest(robotURL, secret string) bot.Reply {
	return bot.Reply{
		To:       bot.Destination{Platform: domain.PlatformDingTalk, RobotURL: robotURL, RobotSecret: secret},
		Text:     "### 今日排行\n1. 张三 5 次",
		Markdown: true,
	}
}

func TestRobotSender(t *testing.T) {
	t.Run("SignedWebhookVectorD2", func(t *testing.T) {
		f := MustFake(t)
		s := MustRobot(t, f, &clock{t: vectorTime}, nil)
		if err := s.Send(context.Background(), digest(f.URL+"/robot/send?access_token=TOKEN", robotSEC)); err != nil {
			t.Fatal(err)
		}
		reqs := f.Requests("")
		if len(reqs) != 1 {
			t.Fatalf("paths = %v", f.Paths())
		}
		r := reqs[0]
		wantQuery := "access_token=TOKEN&timestamp=1700000000000&sign=bTgY2yDbep%2BwesS7jKiNj%2BsrsHoADES4%2BC4f8LCHFtU%3D"
		if r.Method != http.MethodPost || r.Path != "/robot/send" || r.RawQuery != wantQuery {
			t.Errorf("request = %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		want := map[string]any{"msgtype": "markdown", "markdown": map[string]any{"title": "今日排行", "text": "### 今日排行  \n1. 张三 5 次"}}
		if diff := cmp.Diff(want, r.JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("NoSecretNoSign", func(t *testing.T) {
		f := MustFake(t)
		s := MustRobot(t, f, &clock{t: vectorTime}, nil)
		if err := s.Send(context.Background(), digest(f.URL+"/robot/send?access_token=TOKEN", "")); err != nil {
			t.Fatal(err)
		}
		if q := f.Requests("")[0].RawQuery; q != "access_token=TOKEN" {
			t.Errorf("query = %s", q)
		}
	})

	t.Run("BareTokenUsesOAPIBase", func(t *testing.T) {
		f := MustFake(t)
		s := MustRobot(t, f, &clock{t: vectorTime}, nil)
		if err := s.Send(context.Background(), digest("TOKEN", robotSEC)); err != nil {
			t.Fatal(err)
		}
		r := f.Requests("")[0]
		if r.Path != "/robot/send" || !strings.HasPrefix(r.RawQuery, "access_token=TOKEN&timestamp=1700000000000&sign=") {
			t.Errorf("request = %s?%s", r.Path, r.RawQuery)
		}
	})

	t.Run("TextWithAt", func(t *testing.T) {
		f := MustFake(t)
		s := MustRobot(t, f, &clock{t: vectorTime}, nil)
		err := s.Send(context.Background(), bot.Reply{To: bot.Destination{RobotURL: f.URL + "/robot/send?access_token=T", UserID: "manager7675"}, Text: "本周还差 2 次拜访"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"msgtype": "text", "text": map[string]any{"content": "本周还差 2 次拜访"}, "at": map[string]any{"atUserIds": []any{"manager7675"}}}
		if diff := cmp.Diff(want, f.Requests("")[0].JSON(t)); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
	})

	t.Run("NeedsRobotURL", func(t *testing.T) {
		f := MustFake(t)
		s := MustRobot(t, f, &clock{t: vectorTime}, nil)
		for _, r := range []bot.Reply{
			{To: bot.Destination{UserID: staffID}, Text: "x"},
			{To: bot.Destination{RobotURL: "ftp://oapi.dingtalk.com/robot/send?access_token=T"}, Text: "x"},
			{To: bot.Destination{Platform: domain.PlatformWeCom, RobotURL: f.URL + "/robot/send"}, Text: "x"},
		} {
			if err := s.Send(context.Background(), r); err == nil {
				t.Errorf("sent %+v", r.To)
			}
		}
		if len(f.Paths()) != 0 {
			t.Errorf("requests: %v", f.Paths())
		}
	})

	t.Run("AppSenderRoutesRobotURL", func(t *testing.T) {
		e := MustEnv(t, dingtalk.Deps{})
		if err := e.dt.Sender().Send(context.Background(), digest("TOKEN", robotSEC)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"/robot/send"}, e.fake.Paths()); diff != "" {
			t.Errorf("paths (-want +got):\n%s", diff)
		}
	})
}

func TestRobotAnswers(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		ok        bool
		throttled bool
		code      string
	}{
		{"OK", 200, `{"errcode":0,"errmsg":"ok"}`, true, false, ""},
		{"OKStringCode", 200, `{"errcode":"0","errmsg":"ok"}`, true, false, ""},
		{"Throttled410100", 200, `{"errcode":410100,"errmsg":"send too fast"}`, false, true, "410100"},
		{"Throttled130101", 200, `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`, false, true, "130101"},
		{"Throttled660026", 200, `{"errcode":"660026","errmsg":"sending too many messages per minute"}`, false, true, "660026"},
		{"SignNotMatch", 200, `{"errcode":310000,"errmsg":"sign not match"}`, false, false, "310000"},
		{"TokenNotExist", 200, `{"errcode":300005,"errmsg":"token is not exist"}`, false, false, "300005"},
		{"HTTP429", 429, `too many`, false, true, ""},
		{"HTTP500", 500, `oops`, false, false, ""},
		{"NotJSON", 200, `<html>`, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := MustFake(t)
			f.Answer("/robot/send", func(int, request) (int, string) { return tt.status, tt.body })
			s := MustRobot(t, f, &clock{t: vectorTime}, nil)
			err := s.Send(context.Background(), digest(f.URL+"/robot/send?access_token=TOKEN", robotSEC))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			if err == nil {
				return
			}
			if got := errors.Is(err, dingtalk.ErrThrottled); got != tt.throttled {
				t.Errorf("throttled = %v: %v", got, err)
			}
			var ae *dingtalk.APIError
			if !errors.As(err, &ae) || ae.Code != tt.code {
				t.Errorf("err = %#v", err)
			}
			if tt.throttled && !ae.Temporary() {
				t.Errorf("throttled error is not temporary")
			}
		})
	}
}

// countingLimiter records the limiter calls and allows the first n.
type countingLimiter struct {
	mu    sync.Mutex
	n     int
	calls []string
}

func (l *countingLimiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, key+" "+window.String())
	if limit*int(time.Minute/window+1) > 20 {
		return false, errors.New("limit lets more than 20 a minute through")
	}
	return len(l.calls) <= l.n, nil
}

func TestRobotRateLimit(t *testing.T) {
	t.Run("InProcessDefault", func(t *testing.T) {
		f := MustFake(t)
		c := &clock{t: vectorTime}
		s := MustRobot(t, f, c, nil)
		r := digest(f.URL+"/robot/send?access_token=TOKEN", robotSEC)
		var errs []error
		for range 6 {
			errs = append(errs, s.Send(context.Background(), r))
		}
		sent := len(f.Requests("/robot/send"))
		if sent != 4 || !errors.Is(errs[4], dingtalk.ErrThrottled) || !errors.Is(errs[5], dingtalk.ErrThrottled) {
			t.Fatalf("%d sent, errors %v", sent, errs)
		}
		// Another robot has its own budget.
		if err := s.Send(context.Background(), digest(f.URL+"/robot/send?access_token=OTHER", "")); err != nil {
			t.Fatal(err)
		}
		c.Set(vectorTime.Add(time.Minute))
		if err := s.Send(context.Background(), r); err != nil {
			t.Fatalf("a minute later: %v", err)
		}
	})

	t.Run("SharedLimiterHoldsBackWithoutSending", func(t *testing.T) {
		f := MustFake(t)
		lim := &countingLimiter{n: 1}
		s := MustRobot(t, f, &clock{t: vectorTime}, lim)
		r := digest(f.URL+"/robot/send?access_token=TOKEN", robotSEC)
		if err := s.Send(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		err := s.Send(context.Background(), r)
		if !errors.Is(err, dingtalk.ErrThrottled) {
			t.Fatalf("err = %v", err)
		}
		if n := len(f.Requests("")); n != 1 {
			t.Fatalf("%d requests", n)
		}
		for _, c := range lim.calls {
			if strings.Contains(c, "TOKEN") {
				t.Errorf("limiter key shows the webhook token: %s", c)
			}
		}
	})

	t.Run("LimiterFailure", func(t *testing.T) {
		f := MustFake(t)
		s := MustRobot(t, f, &clock{t: vectorTime}, failingLimiter{})
		if err := s.Send(context.Background(), digest(f.URL+"/robot/send?access_token=T", "")); err == nil || len(f.Paths()) != 0 {
			t.Fatalf("err = %v, paths %v", err, f.Paths())
		}
	})
}

type failingLimiter struct{}

func (failingLimiter) Allow(context.Context, string, int, time.Duration) (bool, error) {
	return false, errors.New("redis down")
}

// Secrets never reach the logs, whatever fails.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := MustEnv(t, dingtalk.Deps{})
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	deadRobot := dead.URL + "/robot/send?access_token=ROBOTTOKEN"
	e.fake.Answer("/v1.0/robot/groupMessages/send", func(int, request) (int, string) { return 500, `{"code":"x"}` })
	e.fake.Answer("/robot/sendBySession", func(int, request) (int, string) {
		return 200, `{"errcode":300001,"errmsg":"session gone"}`
	})
	e.h.replies = func(m bot.Message) []bot.Reply {
		return []bot.Reply{
			{To: bot.Destination{RobotURL: deadRobot, RobotSecret: robotSEC}, Text: "digest"},
			{Text: "reply"}, // session refused, then the group API fails
		}
	}
	e.postSigned(e.payload(nil), vectorTS, "wrong")
	e.post(e.payload(group))
	err := e.dt.Sender().Send(context.Background(), bot.Reply{To: bot.Destination{RobotURL: deadRobot, RobotSecret: robotSEC}, Text: "x"})
	if err == nil {
		t.Fatal("dead robot accepted")
	}
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	log.Info("config", "dingtalk", dingtalk.Config{AppKey: appKey, AppSecret: appSecret})

	logs := e.logs.String() + "\n" + err.Error() + "\n" + fmt.Sprintf("%v %+v", dingtalk.Config{AppSecret: appSecret}, dingtalk.Config{AppSecret: appSecret})
	for _, secret := range []string{appSecret, robotSEC, "ROBOTTOKEN", "tok-1", sessionID, vectorSign, "sign="} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs show %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{"dingtalk callback refused", "dingtalk reply not sent", "app_secret=***"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}
