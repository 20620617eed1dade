package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"salesbot/bot"
	"salesbot/bot/dingtalk"
	"salesbot/bot/parse"
	"salesbot/bot/sim"
	"salesbot/bot/wecom"
	"salesbot/domain"
	"salesbot/domain/kv"
	"salesbot/domain/store"
	"salesbot/jobs"
	"salesbot/jobs/chart"
)

// app is the wired service: storage, cache, domain service and bot.
type app struct {
	cfg      Config
	log      *slog.Logger
	store    *store.Store
	kv       *kv.KV
	svc      *domain.Service
	router   *bot.Router
	inbox    *bot.Journaled // the router behind the outage journal: what platforms call
	sim      *sim.Sim
	senders  bot.Senders
	metrics  *metrics
	charts   *chart.Renderer // nil: no CJK font, pictures off
	closers  []func() error
	mounts   []mount            // platform callback handlers
	dingtalk *dingtalk.DingTalk // the app robot, when configured
	aibot    *wecom.WeCom       // the WeCom adapter, when its AI bot long connection is configured
}

// newLogger builds the one logger every package gets.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newApp opens storage and the cache and builds the domain service and the
// router. Close releases everything in reverse order.
func newApp(ctx context.Context, cfg Config, log *slog.Logger) (a *app, err error) {
	a = &app{cfg: cfg, log: log, metrics: newMetrics()}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()

	// Storage: MySQL when configured, else the embedded file database. The
	// schema is brought up to date on start (idempotent); `salesbot migrate`
	// does the same on its own.
	a.store, err = store.Open(ctx, store.Config{MySQLDSN: cfg.MySQLDSN, DataDir: cfg.DataDir, Logger: log, AutoMigrate: true})
	if err != nil {
		return a, fmt.Errorf("open database: %w", err)
	}
	a.closers = append(a.closers, a.store.Close)
	if err := migrateOutbox(ctx, a.store, log); err != nil {
		return a, err
	}

	// Cache: Redis when configured, else the in-process stand-in.
	a.kv, err = kv.Open(ctx, kv.Config{URL: cfg.RedisURL, Prefix: cfg.RedisPrefix})
	if err != nil {
		return a, err
	}
	a.closers = append(a.closers, a.kv.Close)

	// Domain service and the bot.
	a.svc = domain.NewService(a.store, cfg.TZ, time.Now)
	lex, err := loadLexicon(cfg.LexiconFile)
	if err != nil {
		return a, err
	}
	und := bot.NewParser(a.store, lex)
	a.charts = newCharts(log)
	// Live leaderboards follow each stored report.
	boards := jobs.NewBoards(a.kv, a.store, cfg.TZ, log)
	opts := bot.Options{
		Observe:    a.metrics.observeMessage,
		OnRecorded: []func(context.Context, domain.Recorded){boards.Record},
		OnChanged: []func(context.Context, int64, domain.Date){func(ctx context.Context, team int64, day domain.Date) {
			if err := boards.Forget(ctx, team, day); err != nil {
				log.Warn("forget leaderboard", "team_id", team, "day", day, "err", err)
			}
		}},
	}
	if a.charts != nil {
		opts.Charts = funnelCharts{a.charts}
	}
	a.router = bot.NewRouter(a.svc, a.kv, a.kv, und, log, opts)
	a.senders = bot.Senders{}
	// During a database outage messages wait in a Redis journal.
	a.inbox = bot.NewJournaled(a.router, a.kv, a.store, a.kv, a.senders, log)
	if cfg.Simulator {
		a.sim = sim.New(a.inbox, a.store, sim.Access{Token: cfg.SimulatorToken, AdminToken: cfg.SimulatorAdminToken}, log)
		a.senders[domain.PlatformSim] = a.sim
	}
	return a, nil
}

// newCharts loads the CJK font the pictures need; without one, replies and
// pushes go as text only.
func newCharts(log *slog.Logger) *chart.Renderer {
	path, err := chart.FindFont()
	if err == nil {
		var r *chart.Renderer
		if r, err = chart.New(path); err == nil {
			return r
		}
	}
	log.Warn("charts off: replies and pushes go as text only", "err", err)
	return nil
}

// funnelCharts draws the 漏斗 command's picture with the jobs' renderer.
type funnelCharts struct{ r *chart.Renderer }

func (c funnelCharts) Funnel(title string, bars []bot.FunnelBar) ([]byte, error) {
	steps := make([]chart.Step, len(bars))
	for i, b := range bars {
		steps[i] = chart.Step(b)
	}
	return c.r.Funnel(title, steps)
}

// loadLexicon reads the tenant's own words (SALESBOT_LEXICON), if any.
func loadLexicon(path string) (parse.Lexicon, error) {
	if path == "" {
		return parse.Lexicon{}, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return parse.Lexicon{}, fmt.Errorf("SALESBOT_LEXICON: %w", err)
	}
	return parse.ParseLexicon(b)
}

// Close releases storage and cache, last opened first.
func (a *app) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	a.closers = nil
	return errors.Join(errs...)
}

// ready checks the database and the cache.
func (a *app) ready(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := a.kv.Ping(ctx); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}
