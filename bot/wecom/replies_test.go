package wecom_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/wecom"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

const rateLimited = `{"errcode":45009,"errmsg":"api freq out of limit"}`

// replyEnv is an adapter whose replies the platform does not take go to a
// real outbox, and an Outbox that drains it through the same adapter.
type replyEnv struct {
	*env
	s      *store.Store
	outbox *jobs.Outbox
}

func newReplyEnv(t *testing.T, s *store.Store, cfg jobs.Config, opts ...option) *replyEnv {
	t.Helper()
	re := &replyEnv{s: s}
	q := jobs.NewReplyQueue(jobs.ReplyQueueDeps{Store: s, Now: func() time.Time { return re.now }}, cfg)
	opts = append(opts, func(_ *wecom.Config, d *wecom.Deps) { d.Replies = q })
	re.env = newEnv(t, opts...)
	re.outbox = jobs.NewOutbox(jobs.OutboxDeps{Store: s, Sender: bot.Senders{domain.PlatformWeCom: re.w.Sender()}, Loc: time.UTC}, cfg)
	return re
}

func (re *replyEnv) rows() []domain.Push {
	re.t.Helper()
	ps, err := re.s.ListPushes(context.Background(), domain.PushFilter{Job: jobs.JobReply})
	if err != nil {
		re.t.Fatal(err)
	}
	return ps
}

func (re *replyEnv) drain(after time.Duration) {
	re.t.Helper()
	if _, err := re.outbox.Drain(context.Background(), re.now.Add(after)); err != nil {
		re.t.Fatal(err)
	}
}

// WeCom answers 45009 (rate limit) to the app's replies: the card and the
// text after it are queued once, though the message came twice, retried
// later while WeCom still refuses, and delivered once, in order, when it
// takes them.
func TestAppRepliesRateLimited(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rep := domaintest.Seed(t, ctx, s).EastReps[0]
		e := newReplyEnv(t, s, jobs.Config{})
		e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
			to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID}
			card := &bot.Card{ID: "visit-1", Title: "拜访已记录", Buttons: []bot.Button{{Key: "confirm:1", Text: "确认"}}}
			return []bot.Reply{{To: to, Card: card}, {To: to, Text: "本周第 3 次拜访"}}, nil
		}
		e.api.answer("/cgi-bin/message/send", rateLimited, rateLimited, rateLimited, `{"errcode":0,"errmsg":"ok"}`)
		msg := textXML(e.cfg.CorpID, rep.WeComUserID, "9001", "拜访华辰科技", e.now.Unix())
		for range 2 { // WeCom delivers it again
			if rec := e.postApp(msg); rec.Code != 200 {
				t.Fatalf("callback: %d", rec.Code)
			}
		}
		if err := e.w.Close(ctx); err != nil { // waits for the replies
			t.Fatal(err)
		}
		sends := func() int { return len(e.api.requests("/cgi-bin/message/send")) }
		rows := e.rows()
		if len(rows) != 2 || sends() != 2 {
			t.Fatalf("%d rows queued after %d sends; want 2 after 2 (the card, once per delivery)", len(rows), sends())
		}
		for i, p := range rows {
			if want := "reply|wecom|9001|" + strconv.Itoa(i); p.Key != want || p.Recipient != "m"+strconv.FormatInt(rep.ID, 10) || !strings.Contains(p.LastError, "45009") {
				t.Errorf("row %d: key %s recipient %s error %q; want %s for m%d", i, p.Key, p.Recipient, p.LastError, want, rep.ID)
			}
		}
		e.drain(10 * time.Second) // not due yet
		if sends() != 2 {
			t.Fatalf("sent before the retry was due")
		}
		e.drain(time.Minute) // due: WeCom still refuses; the text waits behind the card
		if sends() != 3 {
			t.Fatalf("%d sends after the first retry, want 3", sends())
		}
		for _, p := range e.rows() {
			if p.Status != domain.PushPending {
				t.Errorf("row %s %s after a 45009: want pending", p.Key, p.Status)
			}
		}
		e.drain(10 * time.Minute)
		e.drain(20 * time.Minute)
		reqs := e.api.requests("/cgi-bin/message/send")
		if len(reqs) != 5 || !strings.Contains(reqs[3].Body, `"template_card"`) || !strings.Contains(reqs[4].Body, "本周第 3 次拜访") {
			t.Fatalf("sends: %v", reqs)
		}
		for _, p := range e.rows() {
			if p.Status != domain.PushSent {
				t.Errorf("row %s: %s (%s)", p.Key, p.Status, p.LastError)
			}
		}
	})
}

// A card update WeCom did not take (503) is queued by the card's id. While
// the card's response code lives, the queued update is applied in place
// with it; once the code has expired, the card goes as a new message that
// says the old one is void.
func TestQueuedCardUpdate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		later time.Duration
		anew  bool
	}{
		{"InPlace", time.Minute, false},
		{"Expired", 73 * time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := domaintest.MustOpen(t, domaintest.SQLite)
			rep := domaintest.Seed(t, ctx, s).EastReps[0]
			// The adapter's own state store, whose entries expire on its clock.
			e := newReplyEnv(t, s, jobs.Config{DeliveryDeadline: 100 * time.Hour}, func(_ *wecom.Config, d *wecom.Deps) { d.State = nil })
			to := bot.Destination{Platform: domain.PlatformWeCom, UserID: rep.WeComUserID}
			e.api.answer("/cgi-bin/message/send", `{"errcode":0,"errmsg":"ok","response_code":"CODE1"}`)
			card := bot.Card{ID: "visit-7", Title: "拜访已记录", Buttons: []bot.Button{{Key: "confirm:7", Text: "确认"}}}
			if err := e.w.Send(ctx, bot.Reply{To: to, Card: &card}); err != nil {
				t.Fatal(err)
			}
			var sent struct {
				TemplateCard struct {
					TaskID string `json:"task_id"`
				} `json:"template_card"`
			}
			if err := json.Unmarshal([]byte(e.api.requests("/cgi-bin/message/send")[0].Body), &sent); err != nil || sent.TemplateCard.TaskID == "" {
				t.Fatalf("card sent without task_id: %v", err)
			}
			fixed := card // corrected, still to be confirmed
			fixed.Fields = []bot.Field{{Label: "金额", Value: "30万"}}
			e.api.answer("/cgi-bin/message/update_template_card", "HTTP 503", `{"errcode":0,"errmsg":"ok"}`)
			click := bot.Message{Platform: domain.PlatformWeCom, ID: "click-7", UserID: rep.WeComUserID}
			bot.Replier{Sender: e.w.Sender(), Queue: queueOf(s, e)}.Deliver(ctx, click, []bot.Reply{{To: to, Update: &bot.Update{CardID: sent.TemplateCard.TaskID, Card: fixed}}})
			if rows := e.rows(); len(rows) != 1 || !strings.Contains(string(rows[0].Payload), sent.TemplateCard.TaskID) {
				t.Fatalf("queued: %+v", rows)
			}
			e.now = e.now.Add(tt.later)
			e.drain(0)
			updates := e.api.requests("/cgi-bin/message/update_template_card")
			sends := e.api.requests("/cgi-bin/message/send")
			if tt.anew {
				if len(updates) != 1 || len(sends) != 2 || !strings.Contains(sends[1].Body, bot.VoidNote) {
					t.Errorf("expired code: %d updates, sends %v; want the card anew with %q", len(updates), sends, bot.VoidNote)
				}
			} else if len(updates) != 2 || !strings.Contains(updates[1].Body, `"response_code":"CODE1"`) || len(sends) != 1 {
				t.Errorf("live code: updates %v, %d sends; want the card updated in place with CODE1", updates, len(sends))
			}
			if rows := e.rows(); rows[0].Status != domain.PushSent {
				t.Errorf("row %s: %s (%s)", rows[0].Key, rows[0].Status, rows[0].LastError)
			}
		})
	}
}

// queueOf is a queue on s with e's clock.
func queueOf(s *store.Store, e *replyEnv) bot.ReplyQueue {
	return jobs.NewReplyQueue(jobs.ReplyQueueDeps{Store: s, Now: func() time.Time { return e.now }}, jobs.Config{DeliveryDeadline: 100 * time.Hour})
}

// queueRecorder is a ReplyQueue that keeps what it is given.
type queueRecorder struct {
	mu sync.Mutex
	qs []bot.QueuedReply
}

func (q *queueRecorder) QueueReply(_ context.Context, r bot.QueuedReply) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.qs = append(q.qs, r)
	return nil
}

func (q *queueRecorder) queued() []bot.QueuedReply {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]bot.QueuedReply(nil), q.qs...)
}

// The AI bot's response_url is down: the text meant for it is queued as a
// new message to the sender through the app (a response_url is single-use
// and expires; it is never queued).
func TestAIBotResponseURLDownQueued(t *testing.T) {
	q := &queueRecorder{}
	e := newEnv(t, func(_ *wecom.Config, d *wecom.Deps) { d.Replies = q })
	card := &bot.Card{ID: "visit:8", Title: "✅ 已记录拜访", Buttons: []bot.Button{{Key: "confirm:8", Text: "确认"}}}
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}
		return []bot.Reply{{To: to, Card: card}, {To: to, Text: "顺便提醒：明天回访星海科技"}}, nil
	}
	e.api.answer("/cgi-bin/aibot/response", "HTTP 503")
	rec := e.postAIBot(`{"msgid":"s9","chattype":"single","from":{"userid":"lisi"},"response_url":"` + e.api.URL() + `/cgi-bin/aibot/response?response_code=R9","msgtype":"text","text":{"content":"今天拜访了华为张总"}}`)
	if rec.Code != 200 {
		t.Fatalf("got %d", rec.Code)
	}
	if err := e.w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := q.queued()
	want := bot.Destination{Platform: domain.PlatformWeCom, UserID: "lisi"}
	if len(got) != 1 || got[0].Key() != "reply|wecom|aibot:s9|0" || got[0].Reply.To != want || got[0].Reply.Text != "顺便提醒：明天回访星海科技" || got[0].From != "lisi" {
		t.Fatalf("queued %+v; want the text to lisi through the app", got)
	}
}

// brokenWriter is a connection that breaks while the answer is written.
type brokenWriter struct{ h http.Header }

func (b *brokenWriter) Header() http.Header       { return b.h }
func (b *brokenWriter) Write([]byte) (int, error) { return 0, errors.New("connection reset") }
func (b *brokenWriter) WriteHeader(int)           {}

// The AI bot's passive answer (the card) cannot be written: the card and
// the text beside it go as new messages to the sender through the app, not
// to the single-use response_url.
func TestAIBotPassiveAnswerLostSentAnew(t *testing.T) {
	e := newEnv(t)
	card := &bot.Card{ID: "visit:9", Title: "✅ 已记录拜访", Buttons: []bot.Button{{Key: "confirm:9", Text: "确认"}}}
	e.h.reply = func(m bot.Message) ([]bot.Reply, error) {
		to := bot.Destination{Platform: domain.PlatformWeCom, UserID: m.UserID, ChatID: m.ChatID}
		return []bot.Reply{{To: to, Card: card}, {To: to, Text: "顺便提醒：明天回访星海科技"}}, nil
	}
	plain := `{"msgid":"s10","chattype":"single","from":{"userid":"lisi"},"response_url":"` + e.api.URL() + `/cgi-bin/aibot/response?response_code=R10","msgtype":"text","text":{"content":"今天拜访了华为张总"}}`
	enc, q := seal(t, e.cfg.AIBotToken, e.cfg.AIBotAESKey, "", plain, e.now.Unix(), fixedNonce)
	req := httptest.NewRequest(http.MethodPost, "/wecom/aibot/callback?"+q, strings.NewReader(`{"encrypt":"`+enc+`"}`))
	e.w.AIBotHandler().ServeHTTP(&brokenWriter{h: http.Header{}}, req)
	if err := e.w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	sends := e.api.requests("/cgi-bin/message/send")
	if len(sends) != 2 || !strings.Contains(sends[0].Body, `"touser":"lisi"`) || !strings.Contains(sends[0].Body, "template_card") || !strings.Contains(sends[1].Body, "明天回访星海科技") {
		t.Errorf("sent anew: %v", sends)
	}
	if n := len(e.api.requests("/cgi-bin/aibot/response")); n != 0 {
		t.Errorf("%d calls to the response_url", n)
	}
}
