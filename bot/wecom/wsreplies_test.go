package wecom_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/bottest"
	"salesbot/bot/wecom"
	"salesbot/bot/wecom/aibotfake"
	"salesbot/domain"
	"salesbot/jobs"
)

// The connection drops before the answer to a report got through and is
// not back when the answer is sent anew: the answer is queued (to the rep
// by member id, through the AI bot) and sent once, as new messages, when
// the outbox drains after the reconnect.
func TestLongConnAnswerQueuedWhileDisconnected(t *testing.T) {
	s := bottest.New(t)
	fake := aibotfake.New(map[string]string{testBot: testSecret})
	defer fake.Close()
	lc := fastLongConn(fake)
	lc.BackoffMin, lc.BackoffMax, lc.SendWait = 300*time.Millisecond, 300*time.Millisecond, time.Millisecond
	q := jobs.NewReplyQueue(jobs.ReplyQueueDeps{Store: s.Store, Now: s.Clock.Now}, jobs.Config{})
	h := countDone(s.Router)
	e := newEnvHandler(t, h, withLongConn(lc, s.KV), func(_ *wecom.Config, d *wecom.Deps) {
		d.State, d.Limiter, d.Members, d.Now, d.Replies = s.KV, s.KV, s.Svc, s.Clock.Now, q
	})
	runReplica(t, e.w)
	waitFrame(t, fake, "aibot_subscribe", anyFrame)
	lina := s.Demo.EastReps[0]

	fake.DropNextReply(testBot)
	fake.Message(testBot, textBody("q-1", lina.WeComUserID, "", "今天上门拜访了华辰科技王总，聊了报价"))
	h.wait(t, 2) // handled, then redelivered on the next connection
	if err := e.w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Store.ListPushes(context.Background(), domain.PushFilter{Job: jobs.JobReply})
	if err != nil || len(rows) == 0 {
		t.Fatalf("queued %d replies (%v)", len(rows), err)
	}
	for _, p := range rows {
		if !strings.Contains(p.Key, "q-1") || p.Recipient != "m"+strconv.FormatInt(lina.ID, 10) || !strings.Contains(string(p.Payload), `"wecom_aibot_user"`) {
			t.Errorf("row %s to %s: %s", p.Key, p.Recipient, p.Payload)
		}
	}
	if n := len(fake.Frames("aibot_send_msg")); n != 0 {
		t.Fatalf("%d pushes while disconnected", n)
	}
	ob := jobs.NewOutbox(jobs.OutboxDeps{Store: s.Store, Sender: bot.Senders{domain.PlatformWeCom: e.w.Sender()}, Loc: time.UTC}, jobs.Config{})
	for _, after := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute} {
		if _, err := ob.Drain(context.Background(), s.Clock.Now().Add(after)); err != nil {
			t.Fatal(err)
		}
	}
	pushes := fake.Frames("aibot_send_msg")
	if len(pushes) != len(rows) || pushes[0].Body["chatid"] != lina.WeComUserID || pushes[0].Body["msgtype"] != "template_card" {
		t.Fatalf("%d pushes for %d queued replies; first %+v", len(pushes), len(rows), pushes)
	}
}
