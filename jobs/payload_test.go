package jobs_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// oldWire is how the outbox stored a reply before references: the whole
// destination, robot secret included, and the picture's bytes.
type oldWire struct {
	To       bot.Destination `json:"to"`
	Text     string          `json:"text,omitempty"`
	Markdown bool            `json:"markdown,omitempty"`
	Card     *bot.Card       `json:"card,omitempty"`
	Image    *bot.Image      `json:"image,omitempty"`
}

var chartPNG = []byte("\x89PNG\r\n\x1a\nchart-bytes")

// Rows queued in the old format are rewritten with references (no address,
// no secret, the picture stored once) and then sent, reaching the robot
// with the secret it has now; a push whose member left fails with the
// reason.
func TestOldFormatPushesMigratedAndSent(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(6, 20, 0))
		team := h.East
		team.DingTalkRobotURL, team.DingTalkRobotSecret = "https://oapi.dingtalk.com/robot/send?access_token=eastTOKEN", "SECold"
		if err := s.UpdateTeam(h.ctx, &team); err != nil {
			t.Fatal(err)
		}
		lina, wang := h.EastReps[0], h.EastReps[1]
		old := []struct {
			recipient string
			reply     oldWire
		}{
			{"m" + itoa(lina.ID), oldWire{To: bot.Destination{Platform: domain.PlatformSim, UserID: lina.SimUserID}, Text: "漏斗", Markdown: true, Image: &bot.Image{PNG: chartPNG, Alt: "商机漏斗"}}},
			{"m" + itoa(lina.ID) + ":late", oldWire{To: bot.Destination{Platform: domain.PlatformSim, UserID: lina.SimUserID}, Text: "同一张图", Image: &bot.Image{PNG: chartPNG, Alt: "商机漏斗"}}},
			{"g", oldWire{To: bot.Destination{Platform: domain.PlatformDingTalk, RobotURL: team.DingTalkRobotURL, RobotSecret: "SECold"}, Text: "周排行"}},
			{"m" + itoa(wang.ID), oldWire{To: bot.Destination{Platform: domain.PlatformSim, UserID: wang.SimUserID}, Text: "给已离职的人"}},
		}
		for i, o := range old {
			payload, err := json.Marshal(o.reply)
			if err != nil {
				t.Fatal(err)
			}
			p := domain.Push{
				Key: "old|2026-01-06|" + itoa(team.ID) + "|" + o.recipient, Job: jobs.JobDigest, TeamID: team.ID, Period: "2026-01-06",
				Recipient: o.recipient, Payload: payload, Status: domain.PushPending, NextAt: at(6, 20, 0), Deadline: at(7, 8, 0), CreatedAt: at(6, 20, 0),
			}
			if created, err := s.EnqueuePush(h.ctx, &p); err != nil || !created {
				t.Fatalf("old row %d: %v %v", i, created, err)
			}
		}

		n, err := jobs.MigrateOutbox(h.ctx, s)
		if err != nil || n != len(old) {
			t.Fatalf("migrated %d rows (%v); want %d", n, err, len(old))
		}
		if n, err := jobs.MigrateOutbox(h.ctx, s); err != nil || n != 0 {
			t.Fatalf("second migration rewrote %d rows (%v); want 0", n, err)
		}
		for _, p := range h.pushes(domain.PushFilter{}) {
			for _, secret := range []string{"SECold", "eastTOKEN", "oapi.dingtalk.com", lina.SimUserID, "chart-bytes", "iVBOR"} {
				if bytes.Contains(p.Payload, []byte(secret)) {
					t.Errorf("push %s still holds %q: %s", p.Key, secret, p.Payload)
				}
			}
		}
		var images int64
		if err := s.DB().Table("outbox_images").Count(&images).Error; err != nil || images != 1 {
			t.Errorf("%d stored pictures (%v); want the shared chart once", images, err)
		}

		// The robot's secret is rotated, and Wang leaves, after the pushes were queued.
		team.DingTalkRobotSecret = "SECnew"
		if err := s.UpdateTeam(h.ctx, &team); err != nil {
			t.Fatal(err)
		}
		wang.Active = false
		if err := s.UpdateMember(h.ctx, &wang); err != nil {
			t.Fatal(err)
		}
		rec := &recorder{}
		senders := bot.Senders{domain.PlatformSim: rec, domain.PlatformDingTalk: rec}
		ob := jobs.NewOutbox(jobs.OutboxDeps{Store: s, Limiter: h.kv, Sender: senders, Settings: s, Loc: cst}, jobs.Config{})
		if _, err := ob.Drain(h.ctx, at(6, 20, 0)); err != nil {
			t.Fatal(err)
		}
		sent := map[string]bot.Reply{}
		for _, r := range rec.replies() {
			sent[r.Text] = r
		}
		if r := sent["漏斗"]; r.To.UserID != lina.SimUserID || r.Image == nil || !bytes.Equal(r.Image.PNG, chartPNG) || r.Image.Alt != "商机漏斗" {
			t.Errorf("chart push sent as %+v", r)
		}
		if r := sent["同一张图"]; r.Image == nil || !bytes.Equal(r.Image.PNG, chartPNG) {
			t.Errorf("second chart push sent as %+v", r)
		}
		if r := sent["周排行"]; r.To.RobotURL != team.DingTalkRobotURL || r.To.RobotSecret != "SECnew" {
			t.Errorf("robot push went to %+v; want the robot with the rotated secret", r.To)
		}
		if _, ok := sent["给已离职的人"]; ok || len(sent) != 3 {
			t.Errorf("sent %d pushes: %v", len(sent), sent)
		}
		for _, p := range h.pushes(domain.PushFilter{}) {
			switch {
			case p.Recipient == "m"+itoa(wang.ID):
				if p.Status != domain.PushFailed || !strings.Contains(p.LastError, "left") {
					t.Errorf("push to a member who left: %s (%s)", p.Status, p.LastError)
				}
			case p.Status != domain.PushSent:
				t.Errorf("push %s: %s (%s)", p.Key, p.Status, p.LastError)
			}
		}

		// Once the pushes are pruned, so is the picture no push names.
		if _, err := s.PrunePushes(h.ctx, at(8, 0, 0), false); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().Table("outbox_images").Count(&images).Error; err != nil || images != 0 {
			t.Errorf("%d pictures after pruning (%v); want 0", images, err)
		}
	})
}
