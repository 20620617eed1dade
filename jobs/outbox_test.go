package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// counter counts outcomes the outboxes report (what /metrics shows).
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

// busyDay queues Tuesday 6 January's pushes: reports in the morning, then
// the 18:00 nudge and the 20:00 digest (with the group version).
func busyDay(t *testing.T, h *harness, rs []replica) {
	t.Helper()
	if err := h.store.SaveSetting(h.ctx, domain.Setting{TeamID: h.East.ID, Name: jobs.SettingGroupDigest, Value: "on"}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(at(6, 11, 0))
	h.report(h.EastReps[0], "华辰科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 300_000}})
	h.report(h.SouthReps[0], "恒通银行股份有限公司", domain.Report{})
	for _, now := range []time.Time{at(6, 18, 0), at(6, 20, 0)} {
		h.clock.Set(now)
		everyReplica(t, rs, tick(h.ctx, now))
	}
}

// A platform down for an hour, then back: every push arrives once.
func TestPlatformDownForAnHour(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(6, 8, 0))
		var c counter
		rs := []replica{h.replica(jobs.Config{}, c.observe), h.replica(jobs.Config{}, c.observe), h.replica(jobs.Config{}, c.observe)}
		down := func(bot.Reply) error {
			if now := h.clock.Now(); !now.Before(at(6, 20, 0)) && now.Before(at(6, 21, 0)) {
				return errDown
			}
			return nil
		}
		h.rec.setFail(down)
		busyDay(t, h, rs)
		queued := h.pushes(domain.PushFilter{})
		if len(queued) < 5 {
			t.Fatalf("only %d pushes queued", len(queued))
		}
		for now := at(6, 18, 0); !now.After(at(6, 21, 30)); now = now.Add(time.Minute) {
			h.clock.Set(now)
			everyReplica(t, rs, drain(h.ctx, now))
		}
		sent := h.rec.replies()
		if len(sent) != len(queued) {
			t.Errorf("the platform got %d messages for %d pushes", len(sent), len(queued))
		}
		for _, p := range h.pushes(domain.PushFilter{}) {
			if p.Status != domain.PushSent {
				t.Errorf("push %s: %s (%s)", p.Key, p.Status, p.LastError)
			}
			if p.Job == jobs.JobDigest && (p.SentAt.Before(at(6, 21, 0)) || p.Attempts == 0) {
				t.Errorf("digest %s sent at %v after %d failed attempts; want after the outage", p.Key, p.SentAt.In(cst), p.Attempts)
			}
		}
		if c.get(jobs.OutcomeSent) != len(queued) || c.get(jobs.OutcomeRetry) == 0 || c.get(jobs.OutcomeFailed) != 0 {
			t.Errorf("outcomes = %v", c.n)
		}
	})
}

// Down for longer than the deadline: each push is marked failed with the
// reason, once.
func TestPlatformDownPastDeadline(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 8, 0))
	var c counter
	cfg := jobs.Config{DeliveryDeadline: 30 * time.Minute}
	rs := []replica{h.replica(cfg, c.observe), h.replica(cfg, c.observe)}
	h.rec.setFail(func(bot.Reply) error { return errDown })
	busyDay(t, h, rs)
	for now := at(6, 18, 0); !now.After(at(6, 22, 0)); now = now.Add(2 * time.Minute) {
		h.clock.Set(now)
		everyReplica(t, rs, drain(h.ctx, now))
	}
	all := h.pushes(domain.PushFilter{})
	counts, err := s.CountPushes(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[domain.PushFailed] != len(all) || c.get(jobs.OutcomeFailed) != len(all) {
		t.Errorf("counts = %v, outcomes = %v; want all %d failed", counts, c.n, len(all))
	}
	for _, p := range all {
		if !strings.Contains(p.LastError, "deadline") || !strings.Contains(p.LastError, "HTTP 503") {
			t.Errorf("push %s failed with %q; want the deadline and the platform's error", p.Key, p.LastError)
		}
	}
}

// An error the platform says is permanent (a bad user id) fails at once.
func TestPermanentError(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	r := h.replica(jobs.Config{}, nil)
	h.rec.setFail(func(rep bot.Reply) error {
		if rep.To.UserID == h.EastManager.SimUserID {
			return fmt.Errorf("send: %w", permError{81013})
		}
		return nil
	})
	if _, err := r.runner.Run(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-06"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.outbox.Drain(h.ctx, at(6, 20, 0)); err != nil {
		t.Fatal(err)
	}
	ps := h.pushes(domain.PushFilter{})
	if len(ps) != 1 || ps[0].Status != domain.PushFailed || ps[0].Attempts != 1 || !strings.Contains(ps[0].LastError, "81013") {
		t.Errorf("pushes = %+v", ps)
	}
}

// A group robot takes 20 pushes a minute; the rest wait for the next one.
func TestGroupRateLimit(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	const robot = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=shared"
	for _, id := range []int64{h.East.ID, h.South.ID} {
		if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: id, Name: "schedule.digest", Value: "off"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 25 {
		team := domain.Team{Name: fmt.Sprintf("分部%02d", i), WeComRobotURL: robot}
		if err := s.CreateTeam(h.ctx, &team); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: team.ID, Name: jobs.SettingGroupDigest, Value: "on"}); err != nil {
			t.Fatal(err)
		}
	}
	wecom := &recorder{}
	senders := bot.Senders{domain.PlatformWeCom: wecom}
	cfg := jobs.Config{}
	runner := jobs.NewRunner(jobs.Deps{Store: s, KV: h.kv, Senders: senders, Loc: cst, Now: h.clock.Now}, cfg)
	var obs []*jobs.Outbox
	for range 2 {
		obs = append(obs, jobs.NewOutbox(jobs.OutboxDeps{Store: s, Limiter: h.kv, Sender: senders, Settings: s, Loc: cst}, cfg))
	}
	sched := jobs.NewScheduler(runner, obs[0], h.kv, nil)
	if err := sched.Tick(h.ctx, at(6, 20, 0)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.pushes(domain.PushFilter{Job: jobs.JobDigest})); n != 25 {
		t.Fatalf("%d group digests queued, want 25", n)
	}
	for _, now := range []time.Time{at(6, 20, 0), at(6, 20, 0).Add(30 * time.Second)} {
		for _, ob := range obs {
			if _, err := ob.Drain(h.ctx, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(wecom.replies()); n != 20 {
		t.Errorf("sent %d in the first minute, want 20", n)
	}
	for _, ob := range obs {
		if _, err := ob.Drain(h.ctx, at(6, 20, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(wecom.replies()); n != 25 {
		t.Errorf("sent %d after the second minute, want 25", n)
	}
	for _, r := range wecom.replies() {
		if r.To.RobotURL != robot || r.To.Platform != domain.PlatformWeCom {
			t.Fatalf("sent to %+v", r.To)
		}
	}
}

// Quiet hours hold a push until they end; a muted job skips the member.
func TestQuietHoursAndMute(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	ctx := context.Background()
	if err := s.SaveSetting(ctx, domain.Setting{TeamID: h.East.ID, Name: jobs.SettingQuietHours, Value: "19:30-08:00"}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.MuteJob(ctx, h.SouthManager, jobs.JobDigest, true); err != nil {
		t.Fatal(err)
	}
	r := h.replica(jobs.Config{}, nil)
	if err := r.sched.Tick(ctx, at(6, 20, 0)); err != nil {
		t.Fatal(err)
	}
	ps := h.pushes(domain.PushFilter{Job: jobs.JobDigest})
	if len(ps) != 1 || ps[0].Recipient != recipient(h.EastManager) || !ps[0].NextAt.Equal(at(7, 8, 0)) {
		t.Fatalf("digest pushes = %+v; want only the east manager's, held until 08:00", ps)
	}
	if _, err := r.outbox.Drain(ctx, at(6, 23, 0)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.rec.replies()); n != 0 {
		t.Errorf("sent %d during quiet hours", n)
	}
	if _, err := r.outbox.Drain(ctx, at(7, 8, 0)); err != nil {
		t.Fatal(err)
	}
	if n := len(h.rec.replies()); n != 1 {
		t.Errorf("sent %d after quiet hours, want 1", n)
	}
}

// Retries that run into quiet hours wait for the morning; the quiet hours
// do not count against the deadline.
func TestRetryAcrossQuietHours(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	r := h.replica(jobs.Config{DeliveryDeadline: 4 * time.Hour}, nil)
	h.rec.setFail(func(bot.Reply) error {
		if h.clock.Now().Before(at(6, 23, 0)) {
			return errDown
		}
		return nil
	})
	if err := r.sched.Tick(h.ctx, at(6, 20, 0)); err != nil {
		t.Fatal(err)
	}
	for now := at(6, 20, 0); now.Before(at(7, 9, 0)); now = now.Add(5 * time.Minute) {
		h.clock.Set(now)
		if _, err := r.outbox.Drain(h.ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range h.pushes(domain.PushFilter{}) {
		if p.Status != domain.PushSent || !p.SentAt.Equal(at(7, 8, 0)) {
			t.Errorf("push %s: %s at %v (%s); want sent at 08:00 when quiet hours end", p.Key, p.Status, p.SentAt.In(cst), p.LastError)
		}
	}
}

// A team with a group on each platform gets each group push in both, once.
func TestGroupOnBothPlatforms(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.SQLite)
	h := newHarness(t, s, at(6, 20, 0))
	team := h.East
	team.WeComRobotURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=east"
	team.DingTalkRobotURL, team.DingTalkRobotSecret = "https://oapi.dingtalk.com/robot/send?access_token=east", "SECeast"
	if err := s.UpdateTeam(h.ctx, &team); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: team.ID, Name: jobs.SettingGroupDigest, Value: "on"}); err != nil {
		t.Fatal(err)
	}
	wecom, dingtalk := &recorder{}, &recorder{}
	senders := bot.Senders{domain.PlatformWeCom: wecom, domain.PlatformDingTalk: dingtalk}
	cfg := jobs.Config{}
	runner := jobs.NewRunner(jobs.Deps{Store: s, KV: h.kv, Senders: senders, Loc: cst, Now: h.clock.Now}, cfg)
	ob := jobs.NewOutbox(jobs.OutboxDeps{Store: s, Limiter: h.kv, Sender: senders, Settings: s, Loc: cst}, cfg)
	sched := jobs.NewScheduler(runner, ob, h.kv, nil)
	for range 2 { // a second tick must not queue them again
		if err := sched.Tick(h.ctx, at(6, 20, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := ob.Drain(h.ctx, at(6, 20, 0)); err != nil {
			t.Fatal(err)
		}
	}
	groups := func(r *recorder) (n int) {
		for _, rep := range r.replies() {
			if rep.To.RobotURL != "" {
				n++
			}
		}
		return n
	}
	if groups(wecom) != 1 || groups(dingtalk) != 1 {
		t.Fatalf("group digests: wecom %d, dingtalk %d; want one each", groups(wecom), groups(dingtalk))
	}
	for _, rep := range dingtalk.replies() {
		if rep.To.RobotURL != "" && rep.To.RobotSecret != "SECeast" {
			t.Fatalf("dingtalk robot push without its secret: %+v", rep.To)
		}
	}
}
