package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"salesbot/domain/store"
	"salesbot/jobs"
)

// runMigrate creates or upgrades the schema and exits.
func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "", "file of SALESBOT_*=value lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, _, err := openStore(ctx, getenv, *configFile, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := migrateOutbox(ctx, st, newLogger(Config{}, stderr)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "schema is up to date")
	return nil
}

// migrateOutbox rewrites pushes queued in the old outbox format, which held
// addresses and robot secrets, into references.
func migrateOutbox(ctx context.Context, st *store.Store, log *slog.Logger) error {
	n, err := jobs.MigrateOutbox(ctx, st)
	if err != nil {
		return fmt.Errorf("migrate outbox: %w", err)
	}
	if n > 0 {
		log.Info("outbox rows rewritten with references", "rows", n)
	}
	return nil
}

// openStore opens the configured database for a one-off command (import,
// export, migrate): no cache, no bot.
func openStore(ctx context.Context, getenv func(string) string, configFile string, stderr io.Writer) (*store.Store, Config, error) {
	cfg, err := loadConfig(getenv, configFile)
	if err != nil {
		return nil, Config{}, err
	}
	st, err := store.Open(ctx, store.Config{MySQLDSN: cfg.MySQLDSN, DataDir: cfg.DataDir, Logger: newLogger(cfg, stderr)})
	return st, cfg, err
}
