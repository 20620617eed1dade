package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/domain"
)

// platformErr is a platform's error: temporary (503, a rate limit) or not
// (an unknown user).
type platformErr struct{ temporary bool }

func (e platformErr) Error() string   { return "platform refused" }
func (e platformErr) Temporary() bool { return e.temporary }

// flaky is a Sender that fails with err for the replies fail picks.
type flaky struct {
	mu   sync.Mutex
	sent []bot.Reply
	fail func(bot.Reply) error
}

func (f *flaky) Send(_ context.Context, r bot.Reply) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail(r); err != nil {
		return err
	}
	f.sent = append(f.sent, r)
	return nil
}

type queued struct {
	mu sync.Mutex
	qs []bot.QueuedReply
}

func (q *queued) QueueReply(_ context.Context, r bot.QueuedReply) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.qs = append(q.qs, r)
	return nil
}

// After the first reply that fails for a while, it and the replies after it
// are queued unsent, in order, without their one-off address; a reply the
// platform refuses for good is not queued.
func TestReplierQueuesFromTheFirstFailure(t *testing.T) {
	to := bot.Destination{Platform: domain.PlatformWeCom, UserID: "lina", ResponseURL: "https://example.invalid/once"}
	replies := []bot.Reply{{To: to, Text: "一"}, {To: to, Text: "二"}, {To: to, Text: "三"}, {To: to, Text: "四"}}
	snd := &flaky{fail: func(r bot.Reply) error {
		switch r.Text {
		case "一":
			return platformErr{temporary: false}
		case "三":
			return platformErr{temporary: true}
		}
		return nil
	}}
	q := &queued{}
	lasting := func(r bot.Reply) bot.Reply { r.To.ResponseURL = ""; return r }
	m := bot.Message{Platform: domain.PlatformWeCom, ID: "m1", UserID: "lina"}
	bot.Replier{Sender: snd, Queue: q, Lasting: lasting}.Deliver(context.Background(), m, replies)
	if len(snd.sent) != 1 || snd.sent[0].Text != "二" {
		t.Errorf("sent %+v; want only 二 (一 refused for good, 三 and 四 queued)", snd.sent)
	}
	if len(q.qs) != 2 || q.qs[0].Key() != "reply|wecom|m1|2" || q.qs[1].Key() != "reply|wecom|m1|3" {
		t.Fatalf("queued %+v", q.qs)
	}
	for _, r := range q.qs {
		if r.Reply.To.ResponseURL != "" || r.From != "lina" || r.Err == nil {
			t.Errorf("queued %+v", r)
		}
	}
}

type up struct{}

func (up) Ping(context.Context) error { return nil }

// A journaled message's reply that the platform will not take is queued
// under a key of its own (the message's own key went to its first answer).
func TestJournalQueuesRepliesNotSent(t *testing.T) {
	k := bottest.MustKV(t, false)
	ctx := context.Background()
	m := bot.Message{Platform: domain.PlatformDingTalk, ID: "late-1", UserID: "ding1", Text: "拜访华辰"}
	b, _ := json.Marshal(m)
	if _, err := k.JournalAppend(ctx, b); err != nil {
		t.Fatal(err)
	}
	h := bot.HandlerFunc(func(_ context.Context, m bot.Message) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "已记录"}}, nil
	})
	down := &flaky{fail: func(bot.Reply) error { return errors.New("HTTP 503") }}
	jd := bot.NewJournaled(h, k, up{}, k, down, slog.New(slog.DiscardHandler))
	q := &queued{}
	jd.Queue = q
	if err := jd.Drain(ctx, map[string]int{}); err != nil {
		t.Fatal(err)
	}
	want := bot.Destination{Platform: domain.PlatformDingTalk, UserID: "ding1"}
	if len(q.qs) != 1 || q.qs[0].Key() != "reply|dingtalk|late-1/journal|0" || q.qs[0].Reply.To != want {
		t.Fatalf("queued %+v", q.qs)
	}
	if n, _ := k.JournalLen(ctx); n != 0 {
		t.Errorf("journal still holds %d", n)
	}
}
