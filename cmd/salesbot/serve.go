package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"salesbot/domain/demo"
)

// runServe runs the webhook server (and the simulator) until ctx ends, then
// shuts down gracefully: stop accepting, finish in-flight work, close stores.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demoFlag := fs.Bool("demo", false, "fill an empty database with a demo company")
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(getenv, *configFile)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	log.Info("starting salesbot", cfg.LogAttrs()...)
	if cfg.Simulator && !cfg.Embedded() {
		log.Warn("the chat simulator is on beside MySQL: whoever has SALESBOT_SIMULATOR_TOKEN can act as any rep or manager; keep it off the internet")
	}

	// Storage, cache, domain service and router.
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()

	// The demo company, on request, into an empty database.
	if *demoFlag {
		co, err := demo.Fill(ctx, a.store)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if len(co.Teams) > 0 {
			if err := demo.Activity(ctx, a.svc, co); err != nil {
				return err
			}
			log.Info("demo company created", "teams", len(co.Teams), "members", len(co.Members), "customers", len(co.Customers))
		}
	}

	// Platform adapters.
	if err := a.mountPlatforms(ctx, a.inbox); err != nil {
		return err
	}

	// The outage journal's applier.
	jctx, stopJournal := context.WithCancel(context.WithoutCancel(ctx))
	journalDone := make(chan struct{})
	go func() { defer close(journalDone); a.inbox.Run(jctx) }()
	defer func() { stopJournal(); <-journalDone }()

	// Scheduler: each team's jobs on their schedules, and the outbox sender.
	// Its deferred stop runs after the HTTP server has shut down and before
	// the stores close.
	stopJobs, err := a.startScheduler(ctx)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		if err := stopJobs(sctx); err != nil {
			log.Warn("stop scheduler", "err", err)
		}
	}()

	// Long connections (DingTalk Stream mode, WeCom AI bot). They stop with ctx; the
	// deferred stop waits for the messages in hand, before the stores close.
	stopStreams := a.startStreams(ctx)
	defer stopStreams()

	// HTTP server.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())
	if cfg.Simulator {
		fmt.Fprintf(stdout, "salesbot 已启动：在浏览器打开 http://%s/ 使用聊天模拟器\n", browserAddr(ln.Addr()))
	}

	// Wait for a signal or a server failure.
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}

	// Shut down in reverse: stop accepting and finish requests, then the
	// deferred Close releases the cache and the database.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func browserAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}
