package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/kv"
	"salesbot/domain/kv/kvtest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// cst is SALESBOT_TZ in these tests.
var cst = time.FixedZone("CST", 8*3600)

// at is a time on a day of January 2026 in cst.
func at(day, hour, min int) time.Time { return time.Date(2026, 1, day, hour, min, 0, 0, cst) }

// mustKV opens Redis for a test under a fresh key prefix: a single Redis
// beside SQLite and a Redis Cluster beside MySQL (the production pairing),
// so that every suite runs on both kinds (required in CI).
func mustKV(t *testing.T, s *store.Store) *kv.KV {
	t.Helper()
	kind := kvtest.Redis
	if s.Dialect() == "mysql" {
		kind = kvtest.Cluster
	}
	return kvtest.OpenOrEmbedded(t, kind)
}

// recorder is a platform that keeps what it is sent; fail, when set, makes
// it refuse a send.
type recorder struct {
	mu   sync.Mutex
	sent []bot.Reply
	fail func(r bot.Reply) error
}

func (r *recorder) Send(ctx context.Context, rep bot.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(rep); err != nil {
			return err
		}
	}
	r.sent = append(r.sent, rep)
	return nil
}

func (r *recorder) setFail(f func(bot.Reply) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = f
}

func (r *recorder) replies() []bot.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Reply(nil), r.sent...)
}

// tempError is a platform error worth retrying (e.g. HTTP 503).
type tempError struct{ msg string }

func (e tempError) Error() string   { return e.msg }
func (e tempError) Temporary() bool { return true }

// permError is a platform error code that retrying will not cure.
type permError struct{ code int }

func (e permError) Error() string   { return fmt.Sprintf("errcode %d: invalid user", e.code) }
func (e permError) Temporary() bool { return false }

var errDown = tempError{"platform unavailable (HTTP 503)"}

// harness is a seeded store, Redis, a fake clock and a recording platform.
type harness struct {
	domaintest.Demo
	t     *testing.T
	ctx   context.Context
	store *store.Store
	kv    *kv.KV
	svc   *domain.Service
	clock *domaintest.Clock
	rec   *recorder
	msgN  int
}

func newHarness(t *testing.T, s *store.Store, start time.Time) *harness {
	t.Helper()
	ctx := context.Background()
	clock := domaintest.NewClock(start)
	return &harness{
		Demo: domaintest.Seed(t, ctx, s), t: t, ctx: ctx, store: s, kv: mustKV(t, s),
		svc: domain.NewService(s, cst, clock.Now), clock: clock, rec: &recorder{},
	}
}

// replica is one salesbot process: its own runner, outbox and scheduler on
// the shared database and Redis.
type replica struct {
	runner *jobs.Runner
	outbox *jobs.Outbox
	sched  *jobs.Scheduler
}

func (h *harness) replica(cfg jobs.Config, observe func(job, outcome string)) replica {
	senders := bot.Senders{domain.PlatformSim: h.rec}
	r := jobs.NewRunner(jobs.Deps{Store: h.store, KV: h.kv, Senders: senders, Pool: h.svc, Loc: cst, Now: h.clock.Now}, cfg)
	ob := jobs.NewOutbox(jobs.OutboxDeps{Store: h.store, Limiter: h.kv, Sender: senders, Settings: h.store, Loc: cst, Observe: observe}, cfg)
	return replica{runner: r, outbox: ob, sched: jobs.NewScheduler(r, ob, h.kv, nil)}
}

// report records a visit by m at the clock's time.
func (h *harness) report(m domain.Member, customer string, r domain.Report) domain.Recorded {
	h.t.Helper()
	h.msgN++
	r.Platform, r.SourceMsgID, r.At, r.Customer = domain.PlatformSim, fmt.Sprintf("m%d", h.msgN), h.clock.Now(), customer
	if r.Text == "" {
		r.Text = "拜访" + customer
	}
	rec, err := h.svc.RecordReport(h.ctx, m, r)
	if err != nil {
		h.t.Fatalf("RecordReport %s: %v", customer, err)
	}
	return rec
}

// holidays2026 is January 2026's calendar: 元旦 on Thursday 1 and Friday 2
// (and the weekend), with Sunday 4 a make-up workday.
func (h *harness) holidays2026() {
	h.t.Helper()
	for _, d := range []domain.CalendarDay{
		{Date: "2026-01-01", Note: "元旦"}, {Date: "2026-01-02", Note: "元旦"},
		{Date: "2026-01-04", Working: true, Note: "元旦调休"},
	} {
		if err := h.store.SaveCalendarDay(h.ctx, d); err != nil {
			h.t.Fatal(err)
		}
	}
}

// pushes lists the outbox.
func (h *harness) pushes(f domain.PushFilter) []domain.Push {
	h.t.Helper()
	ps, err := h.store.ListPushes(h.ctx, f)
	if err != nil {
		h.t.Fatal(err)
	}
	return ps
}

// everyReplica runs fn on each replica at once.
func everyReplica(t *testing.T, rs []replica, fn func(r replica) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(rs))
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(r)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func drain(ctx context.Context, now time.Time) func(r replica) error {
	return func(r replica) error { _, err := r.outbox.Drain(ctx, now); return err }
}

func tick(ctx context.Context, now time.Time) func(r replica) error {
	return func(r replica) error { return r.sched.Tick(ctx, now) }
}
