package dingtalk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// outage makes every DingTalk API (tokens, robot sends, sessionWebhooks)
// answer 503 while down says so, and keeps the bodies of the sends that
// succeeded.
type outage struct {
	mu   sync.Mutex
	ok   []request
	down func() bool
}

func (o *outage) wrap(f *fake, paths ...string) {
	for _, p := range paths {
		f.mu.Lock()
		orig := f.answers[p]
		f.mu.Unlock()
		f.Answer(p, func(n int, r request) (int, string) {
			if o.down() {
				return 503, `{"code":"ServiceUnavailable","message":"try later"}`
			}
			status, body := orig(n, r)
			if status == 200 && r.Path != "/v1.0/oauth2/accessToken" {
				o.mu.Lock()
				o.ok = append(o.ok, r)
				o.mu.Unlock()
			}
			return status, body
		})
	}
}

// count says how many successful sends carried s.
func (o *outage) count(s string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, r := range o.ok {
		if strings.Contains(r.Body, s) {
			n++
		}
	}
	return n
}

func (o *outage) sent() []request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]request(nil), o.ok...)
}

// DingTalk down for a minute while four reps report (one of them twice, one
// in a group): nothing is lost. The replies wait in the outbox, one row
// each however often the message came, and after the outage each is
// delivered once, as a new message through the robot API (the
// sessionWebhook is neither stored nor used late).
func TestRepliesOutlastAnOutage(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		demo := domaintest.Seed(t, ctx, s)
		reps := append(append([]domain.Member(nil), demo.EastReps...), demo.SouthReps[0])
		var c counter
		e := &env{}
		queue := jobs.NewReplyQueue(jobs.ReplyQueueDeps{Store: s, Now: func() time.Time { return e.clock.Now() }, Observe: c.observe}, jobs.Config{})
		*e = *MustEnv(t, dingtalk.Deps{Replies: queue})
		back := vectorTime.Add(time.Minute)
		o := &outage{down: func() bool { return e.clock.Now().Before(back) }}
		o.wrap(e.fake, "/v1.0/oauth2/accessToken", "/v1.0/robot/oToMessages/batchSend", "/v1.0/robot/groupMessages/send", "/robot/sendBySession")
		e.h.replies = func(m bot.Message) []bot.Reply {
			to := bot.Destination{Platform: domain.PlatformDingTalk, UserID: m.UserID, ChatID: m.ChatID}
			card := &bot.Card{ID: "v-" + m.ID, Title: "已记录 " + m.ID, Buttons: []bot.Button{{Key: "confirm:1", Text: "确认"}, {Key: "undo:1", Text: "撤销"}}}
			return []bot.Reply{{To: to, Card: card}, {To: to, Text: "第二条 " + m.ID}}
		}
		ids := []string{"msgA==", "msgB==", "msgC==", "msgD=="}
		post := func(i int) {
			body := e.payload(func(p map[string]any) {
				p["msgId"], p["senderStaffId"] = ids[i], reps[i].DingTalkUserID
				if i == 3 {
					group(p)
				}
			})
			if w := e.post(body); w.Code != 200 {
				t.Fatalf("callback %d: %d %s", i, w.Code, w.Body)
			}
		}
		for i := range ids {
			post(i)
		}
		post(0) // delivered again while DingTalk is still down
		rows, err := s.ListPushes(ctx, domain.PushFilter{Job: jobs.JobReply})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2*len(ids) || c.get(jobs.OutcomeQueued) != len(rows) {
			t.Fatalf("%d replies queued (%v); want %d", len(rows), c.n, 2*len(ids))
		}
		for _, p := range rows {
			if p.Status != domain.PushPending || p.Attempts != 1 || !strings.Contains(p.LastError, "503") {
				t.Errorf("row %s: %s, %d attempts, %q", p.Key, p.Status, p.Attempts, p.LastError)
			}
			if strings.Contains(string(p.Payload), "session") || strings.Contains(string(p.Payload), "http") {
				t.Errorf("row %s holds an address: %s", p.Key, p.Payload)
			}
		}
		if len(o.sent()) != 0 {
			t.Fatalf("sent while down: %v", o.sent())
		}

		// Two replicas drain every 5 s through the outage and after it.
		outboxes := []*jobs.Outbox{}
		for range 2 {
			outboxes = append(outboxes, jobs.NewOutbox(jobs.OutboxDeps{Store: s, Sender: bot.Senders{domain.PlatformDingTalk: e.dt.Sender()}, Loc: time.UTC, Observe: c.observe}, jobs.Config{}))
		}
		for now := vectorTime.Add(10 * time.Second); !now.After(vectorTime.Add(5 * time.Minute)); now = now.Add(5 * time.Second) {
			e.clock.Set(now)
			var wg sync.WaitGroup
			for _, ob := range outboxes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := ob.Drain(ctx, now); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
		}
		for _, id := range ids {
			for _, text := range []string{"已记录 " + id, "第二条 " + id} {
				if n := o.count(text); n != 1 {
					t.Errorf("%q delivered %d times, want once", text, n)
				}
			}
		}
		for _, r := range o.sent() {
			if r.Path == "/robot/sendBySession" {
				t.Errorf("a late reply used the expired sessionWebhook: %s", r.Body)
			}
		}
		if gs := e.fake.Requests("/v1.0/robot/groupMessages/send"); len(gs) == 0 || !strings.Contains(gs[len(gs)-1].Body, groupID) {
			t.Errorf("the group reply did not go back to its group: %v", gs)
		}
		rows, _ = s.ListPushes(ctx, domain.PushFilter{Job: jobs.JobReply})
		for _, p := range rows {
			if p.Status != domain.PushSent || p.SentAt.Before(back) {
				t.Errorf("row %s: %s at %v (%s)", p.Key, p.Status, p.SentAt, p.LastError)
			}
		}
		if c.get(jobs.OutcomeSent) != len(rows) || c.get(jobs.OutcomeFailed) != 0 {
			t.Errorf("outcomes %v", c.n)
		}
	})
}

// counter counts outbox outcomes (what /metrics shows).
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) observe(job, outcome string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[outcome]++
}

func (c *counter) get(outcome string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[outcome]
}
