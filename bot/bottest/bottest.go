// Package bottest builds a real Router for tests: a store (the embedded
// SQLite file, or MySQL), the in-process cache or real Redis, the rule
// parser and the demo company.
package bottest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"salesbot/bot"
	"salesbot/bot/parse"
	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/kv"
	"salesbot/domain/kv/kvtest"
	"salesbot/domain/store"
)

// Stack is a Router wired to real storage.
type Stack struct {
	Router *bot.Router
	Svc    *domain.Service
	Store  *store.Store
	KV     *kv.KV
	Demo   domaintest.Demo
	Clock  *domaintest.Clock
	Loc    *time.Location
}

// Options choose the backends.
type Options struct {
	Backend   string // domaintest.SQLite (default) or domaintest.MySQL
	RealRedis bool   // use SALESBOT_TEST_REDIS_URL instead of the in-process stand-in
	Now       time.Time
	Charts    bot.FunnelDrawer // pictures for 漏斗; nil: text only
	// WrapStore, when set, stands between the service and the database
	// (to inject failures); the Stack's Store stays the real one.
	WrapStore func(domain.Store) domain.Store
}

// New builds a Stack on SQLite and the in-process cache, seeded with the
// demo company. The clock starts at 2026-01-05 10:00 Asia/Shanghai (a
// Monday) unless opt.Now says otherwise.
func New(tb testing.TB, opts ...Options) *Stack {
	tb.Helper()
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	if opt.Backend == "" {
		opt.Backend = domaintest.SQLite
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatal(err)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Date(2026, 1, 5, 10, 0, 0, 0, loc)
	}
	ctx := context.Background()
	st := domaintest.MustOpen(tb, opt.Backend)
	k := MustKV(tb, opt.RealRedis)
	clock := domaintest.NewClock(opt.Now)
	var svcStore domain.Store = st
	if opt.WrapStore != nil {
		svcStore = opt.WrapStore(st)
	}
	svc := domain.NewService(svcStore, loc, clock.Now)
	demo := domaintest.Seed(tb, ctx, st)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := bot.NewRouter(svc, k, k, bot.NewParser(st, parse.Lexicon{}), log, bot.Options{Charts: opt.Charts})
	return &Stack{Router: r, Svc: svc, Store: st, KV: k, Demo: demo, Clock: clock, Loc: loc}
}

// MustKV opens the in-process cache, or real Redis (kvtest.Redis) with a
// unique key prefix.
func MustKV(tb testing.TB, real bool) *kv.KV {
	tb.Helper()
	if real {
		return kvtest.MustOpen(tb, kvtest.Redis)
	}
	return kvtest.MustOpen(tb, kvtest.Embedded)
}

// Send hands the router a message from the member on the simulator
// platform, at the stack's clock, and fails the test on an error.
func (s *Stack) Send(tb testing.TB, m domain.Member, chat, id, text string) []bot.Reply {
	tb.Helper()
	replies, err := s.Router.Handle(context.Background(), bot.Message{
		Platform: domain.PlatformSim, ID: id, UserID: m.SimUserID, ChatID: chat, Text: text, At: s.Clock.Now(),
	})
	if err != nil {
		tb.Fatalf("handle %q: %v", text, err)
	}
	return replies
}
