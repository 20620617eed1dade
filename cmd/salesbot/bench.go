package main

import (
	"context"
	"flag"
	"io"
	"strings"
	"time"

	"salesbot/cmd/internal/bench"
)

// runBench load-tests the service against fake platforms (salesbot bench):
// see package bench. SALESBOT_MYSQL_DSN and SALESBOT_REDIS_URL choose the
// backends, as for serve; without them it runs on the embedded default.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o bench.Options
	fs.IntVar(&o.N, "n", 3000, "reports per phase")
	fs.IntVar(&o.Rate, "rate", 300, "reports per second in the paced phases")
	fs.IntVar(&o.Conc, "c", 32, "unpaced phases: reports in flight on each path, and storage writers")
	fs.IntVar(&o.Reps, "reps", 400, "bench reps to create")
	fs.IntVar(&o.Customers, "customers", 625, "bench customers to create")
	fs.DurationVar(&o.MaxTime, "max-time", 3*time.Minute, "stop a phase after this long")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the unpaced callback phase to this file")
	paths := fs.String("paths", strings.Join(bench.Paths, ","), "paths to drive, comma-separated: callback (WeCom HTTP), stream (DingTalk), aibot (WeCom AI bot long connection)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.Paths = strings.Split(*paths, ",")
	cfg, err := loadConfig(getenv, "")
	if err != nil {
		return err
	}
	o.MySQLDSN = cfg.MySQLDSN
	return bench.Run(ctx, o, func(ctx context.Context, env bench.Env) (*bench.Service, error) {
		return benchService(ctx, cfg, env)
	}, stdout)
}

// benchService wires the service as serve does, on the bench's scratch
// storage and fake platforms.
func benchService(ctx context.Context, cfg Config, env bench.Env) (*bench.Service, error) {
	cfg.Addr, cfg.Simulator, cfg.LogFormat = "127.0.0.1:0", false, "text"
	cfg.MySQLDSN, cfg.DataDir, cfg.RedisPrefix = env.MySQLDSN, env.DataDir, env.Name+":"
	w := env.WeCom
	cfg.WeComCorpID, cfg.WeComAgentID, cfg.WeComSecret, cfg.WeComToken, cfg.WeComAESKey = w.CorpID, w.AgentID, w.Secret, w.Token, w.AESKey
	cfg.WeComAPIBase, cfg.WeComAIBotID, cfg.WeComAIBotSecret, cfg.WeComAIBotWSURL = w.APIBase, w.AIBotID, w.AIBotSecret, w.AIBotWSURL
	d := env.DingTalk
	cfg.DingTalkAppKey, cfg.DingTalkAppSecret, cfg.DingTalkMode = d.AppKey, d.AppSecret, dingtalkStream
	cfg.DingTalkAPIBase, cfg.DingTalkOAPIBase = d.APIBase, d.OAPIBase
	a, err := newApp(ctx, cfg, env.Log)
	if err != nil {
		return nil, err
	}
	if err := a.mountPlatforms(ctx, a.inbox); err != nil {
		a.Close()
		return nil, err
	}
	cache := "redis"
	if a.kv.Embedded() {
		cache = "in-process"
	}
	return &bench.Service{
		Handler: a.routes(), Domain: a.svc, Store: a.store, Database: a.store.Dialect(), Cache: cache, TZ: cfg.TZ,
		StartStreams: a.startStreams,
		Close: func() error {
			if !a.kv.Embedded() { // this run's keys only (its own prefix)
				a.kv.DeleteMatching(context.WithoutCancel(ctx), "*")
			}
			return a.Close()
		},
	}, nil
}

// runJobBench times the scheduled jobs on a large MySQL database
// (salesbot job bench): see bench.RunJobs.
func runJobBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("job bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o bench.JobOptions
	fs.StringVar(&o.DSN, "dsn", "root@tcp(127.0.0.1:3306)/", "MySQL server (the database name is --db)")
	fs.StringVar(&o.DB, "db", "salesbot_jobbench", "database to keep the bench data in (created and filled when needed)")
	fs.IntVar(&o.Teams, "teams", 200, "teams")
	fs.IntVar(&o.Reps, "reps", 2000, "reps (spread over the teams; each team also has a manager)")
	fs.IntVar(&o.Deals, "deals", 100_000, "deals (one customer each)")
	fs.IntVar(&o.Visits, "visits", 1_000_000, "visits in all, today's included")
	fs.IntVar(&o.Years, "years", 3, "years of history the deals span")
	fs.IntVar(&o.VisitDays, "visit-days", 0, "days of history the visits span (default: as many as two visits per rep a day fill, so that 10x the visits is 10x the history at the same daily activity)")
	fs.BoolVar(&o.Reseed, "reseed", false, "refill the database even if it holds this size already")
	fs.BoolVar(&o.NoCharts, "no-charts", false, "skip the funnel and leaderboard pictures")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the timed jobs to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, "")
	if err != nil {
		return err
	}
	o.TZ, o.RedisURL = cfg.TZ, cfg.RedisURL
	return bench.RunJobs(ctx, o, stdout, stderr)
}
