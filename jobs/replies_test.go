package jobs_test

import (
	"strings"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// replyQueue is a ReplyQueue and an Outbox on the harness.
func (h *harness) replyQueue(c *counter) (*jobs.ReplyQueue, *jobs.Outbox) {
	q := jobs.NewReplyQueue(jobs.ReplyQueueDeps{Store: h.store, Now: h.clock.Now, Observe: c.observe}, jobs.Config{})
	senders := bot.Senders{domain.PlatformWeCom: h.rec, domain.PlatformDingTalk: h.rec}
	ob := jobs.NewOutbox(jobs.OutboxDeps{Store: h.store, Limiter: h.kv, Sender: senders, Settings: h.store, Loc: cst, Observe: c.observe}, jobs.Config{})
	return q, ob
}

func (h *harness) queueReply(q *jobs.ReplyQueue, id string, i int, from string, r bot.Reply) {
	h.t.Helper()
	qr := bot.QueuedReply{Platform: r.To.Platform, MessageID: id, Index: i, From: from, Reply: r, Err: errDown}
	if err := q.QueueReply(h.ctx, qr); err != nil {
		h.t.Fatalf("queue %s/%d: %v", id, i, err)
	}
}

// Queued replies name where they go by reference, resolved when sent: the
// rep by member id (a changed WeCom id is followed), a group by its chat id,
// a stranger by the platform id; never a one-off address. One key, one row.
func TestQueuedReplyReferences(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(6, 10, 0))
		var c counter
		q, ob := h.replyQueue(&c)
		rep := h.EastReps[0]
		wc := func(d bot.Destination) bot.Destination { d.Platform = domain.PlatformWeCom; return d }
		replies := []bot.Reply{
			{To: wc(bot.Destination{UserID: rep.WeComUserID, ResponseURL: "https://example.invalid/aibot/response?code=SECRET"}), Text: "私聊"},
			{To: wc(bot.Destination{UserID: rep.WeComUserID, AIBot: true}), Text: "机器人私聊"},
			{To: wc(bot.Destination{UserID: rep.WeComUserID, ChatID: "wrChat42"}), Text: "群里"},
			{To: wc(bot.Destination{UserID: "stranger"}), Text: "您还未登记"},
			{To: bot.Destination{Platform: domain.PlatformDingTalk, UserID: rep.DingTalkUserID, ResponseURL: "https://oapi.example.invalid/robot/sendBySession?session=SECRET"}, Text: "钉钉"},
		}
		from := []string{rep.WeComUserID, rep.WeComUserID, rep.WeComUserID, "stranger"}
		for i, r := range replies[:4] { // (not all from one sender: only the addresses matter here)
			h.queueReply(q, "m1", i, from[i], r)
		}
		h.queueReply(q, "d1", 0, rep.DingTalkUserID, replies[4])
		h.queueReply(q, "m1", 0, rep.WeComUserID, replies[0]) // the message again
		rows := h.pushes(domain.PushFilter{Job: jobs.JobReply})
		if len(rows) != len(replies) || c.get(jobs.OutcomeQueued) != len(replies) {
			t.Fatalf("%d rows, %d queued; want %d", len(rows), c.get(jobs.OutcomeQueued), len(replies))
		}
		for _, p := range rows {
			if strings.Contains(string(p.Payload), "SECRET") || strings.Contains(string(p.Payload), "http") {
				t.Errorf("row %s holds an address: %s", p.Key, p.Payload)
			}
		}
		// The rep's WeCom id changes before the replies are sent.
		moved := rep
		moved.WeComUserID = "lina.new"
		if err := s.UpdateMember(h.ctx, &moved); err != nil {
			t.Fatal(err)
		}
		// Drained every 5 s for a minute (a reply waits for the one before).
		for now := at(6, 10, 0); !now.After(at(6, 11, 0)); now = now.Add(5 * time.Second) {
			h.clock.Set(now)
			if _, err := ob.Drain(h.ctx, now); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]bot.Destination{
			"私聊":    wc(bot.Destination{UserID: "lina.new"}),
			"机器人私聊": wc(bot.Destination{UserID: "lina.new", AIBot: true}),
			"群里":    wc(bot.Destination{ChatID: "wrChat42"}),
			"您还未登记": wc(bot.Destination{UserID: "stranger"}),
			"钉钉":    {Platform: domain.PlatformDingTalk, UserID: rep.DingTalkUserID},
		}
		sent := h.rec.replies()
		if len(sent) != len(want) {
			t.Fatalf("sent %d, want %d", len(sent), len(want))
		}
		var order []string
		for i, r := range sent {
			if r.To != want[r.Text] {
				t.Errorf("reply %d %q went to %+v, want %+v", i, r.Text, r.To, want[r.Text])
			}
			if r.To.Platform == domain.PlatformWeCom {
				order = append(order, r.Text)
			}
		}
		if got := strings.Join(order, " "); got != "私聊 机器人私聊 群里 您还未登记" {
			t.Errorf("message m1's replies went in the order %s", got)
		}
	})
}

// A reply answers a rep who just wrote: quiet hours (22:00-08:00 by
// default) hold pushes, not replies.
func TestQueuedReplyIgnoresQuietHours(t *testing.T) {
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 23, 0))
	var c counter
	q, ob := h.replyQueue(&c)
	rep := h.EastReps[0]
	h.queueReply(q, "late", 0, rep.WeComUserID, bot.Reply{To: bot.Destination{Platform: domain.PlatformWeCom, UserID: rep.WeComUserID}, Text: "已记录"})
	h.clock.Set(at(6, 23, 1))
	if _, err := ob.Drain(h.ctx, at(6, 23, 1)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.rec.replies()); n != 1 || c.get(jobs.OutcomeDeferred) != 0 {
		t.Errorf("%d sent at 23:01, outcomes %v; want the reply sent", n, c.n)
	}
}

// The replies of one message go in order even when the first is retried
// later than the second was due.
func TestQueuedRepliesKeepOrder(t *testing.T) {
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 10, 0))
	var c counter
	q, ob := h.replyQueue(&c)
	rep := h.EastReps[0]
	to := bot.Destination{Platform: domain.PlatformWeCom, UserID: rep.WeComUserID}
	h.queueReply(q, "m7", 0, rep.WeComUserID, bot.Reply{To: to, Card: &bot.Card{Title: "卡片"}})
	h.clock.Set(at(6, 10, 0).Add(10 * time.Second))
	h.queueReply(q, "m7", 1, rep.WeComUserID, bot.Reply{To: to, Text: "随后"}) // due 10 s after the card
	h.rec.setFail(func(r bot.Reply) error {
		if r.Card != nil && h.clock.Now().Before(at(6, 10, 3)) {
			return errDown
		}
		return nil
	})
	for now := at(6, 10, 0); !now.After(at(6, 10, 10)); now = now.Add(5 * time.Second) {
		h.clock.Set(now)
		if _, err := ob.Drain(h.ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	sent := h.rec.replies()
	if len(sent) != 2 || sent[0].Card == nil || sent[1].Text != "随后" {
		t.Fatalf("sent %+v; want the card, then the text", sent)
	}
	if c.get(jobs.OutcomeRetry) == 0 {
		t.Errorf("the card was never retried: %v", c.n)
	}
}
