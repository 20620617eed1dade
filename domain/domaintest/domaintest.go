// Package domaintest helps tests run against a real store: on the embedded
// SQLite file and on MySQL, each test with a fresh database, and seeded with
// the demo company.
package domaintest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"salesbot/domain"
	"salesbot/domain/demo"
	"salesbot/domain/store"
)

// The backends a test can run on.
const (
	SQLite = "sqlite"
	MySQL  = "mysql"
)

// Backends lists every backend, in the order ForEachStore runs them.
func Backends() []string { return []string{SQLite, MySQL} }

// DefaultMySQLDSN is the server used when SALESBOT_TEST_MYSQL_DSN is unset.
const DefaultMySQLDSN = "root@tcp(127.0.0.1:3306)/?parseTime=true&loc=UTC&charset=utf8mb4&multiStatements=true"

// MySQLDSN is the test server: $SALESBOT_TEST_MYSQL_DSN or DefaultMySQLDSN.
func MySQLDSN() string {
	if dsn := os.Getenv("SALESBOT_TEST_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return DefaultMySQLDSN
}

// ForEachStore runs fn as a subtest per backend ("sqlite", "mysql"), each
// with a fresh, migrated, empty store.
func ForEachStore(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b, func(t *testing.T) {
			fn(t, MustOpen(t, b))
		})
	}
}

// MustOpen opens a fresh, migrated, empty store on backend and closes it
// (dropping the MySQL database) when the test ends. When MySQL cannot be
// reached the test is skipped, or fails if $CI is set or
// SALESBOT_TEST_REQUIRE_MYSQL=1.
func MustOpen(tb testing.TB, backend string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	var (
		s   *store.Store
		err error
	)
	switch backend {
	case SQLite:
		s, err = store.Open(ctx, store.Config{DataDir: tb.TempDir()})
	case MySQL:
		s, err = openMySQL(tb, ctx)
	default:
		tb.Fatalf("domaintest: unknown backend %q", backend)
	}
	if err != nil {
		tb.Fatalf("domaintest: open %s store: %v", backend, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("domaintest: close %s store: %v", backend, err)
		}
	})
	return s
}

// openMySQL opens a migrated store on a fresh database (FreshMySQLDSN).
func openMySQL(tb testing.TB, ctx context.Context) (*store.Store, error) {
	tb.Helper()
	return store.Open(ctx, store.Config{MySQLDSN: FreshMySQLDSN(tb), AutoMigrate: true})
}

// FreshMySQLDSN creates a randomly named, empty database on the test server
// (SALESBOT_TEST_MYSQL_DSN), drops it when the test ends, and returns its
// DSN. An unreachable server fails the test in CI (or with
// SALESBOT_TEST_REQUIRE_MYSQL=1) and skips it elsewhere.
func FreshMySQLDSN(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	cfg, err := gomysql.ParseDSN(MySQLDSN())
	if err != nil {
		tb.Fatalf("SALESBOT_TEST_MYSQL_DSN: %v", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	server := cfg.Clone()
	server.DBName = ""
	admin, err := sql.Open("mysql", server.FormatDSN())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	if err := admin.PingContext(ctx); err != nil {
		msg := fmt.Sprintf("domaintest: MySQL at %s is not reachable (%v); set SALESBOT_TEST_MYSQL_DSN", cfg.Addr, err)
		if os.Getenv("CI") != "" || os.Getenv("SALESBOT_TEST_REQUIRE_MYSQL") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg + " (skipping MySQL; CI or SALESBOT_TEST_REQUIRE_MYSQL=1 makes this fail)")
	}
	name := "salesbot_test_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	// Registered before the users' cleanups, so it runs after them.
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE `"+name+"`"); err != nil {
			tb.Errorf("domaintest: drop database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// Demo is the seeded demo company with handy names for its people.
type Demo struct {
	demo.Company
	East, South               domain.Team     // 华东大客户部, 华南渠道部
	Admin                     domain.Member   // 孙立
	EastManager, SouthManager domain.Member   // 张伟, 陈静
	EastReps, SouthReps       []domain.Member // 李娜 王强 刘洋; 杨帆 黄磊 周敏
}

// Seed fills s with the demo company (demo.Fill) and returns it.
func Seed(tb testing.TB, ctx context.Context, s domain.Store) Demo {
	tb.Helper()
	c, err := demo.Fill(ctx, s)
	if err != nil {
		tb.Fatalf("domaintest: seed: %v", err)
	}
	if len(c.Teams) != 2 {
		tb.Fatalf("domaintest: seed: the store already had teams")
	}
	d := Demo{Company: c, East: c.Teams[0], South: c.Teams[1]}
	for _, m := range c.Members {
		switch {
		case m.Role == domain.RoleAdmin:
			d.Admin = m
		case m.TeamID == d.East.ID && m.Role == domain.RoleManager:
			d.EastManager = m
		case m.TeamID == d.South.ID && m.Role == domain.RoleManager:
			d.SouthManager = m
		case m.TeamID == d.East.ID:
			d.EastReps = append(d.EastReps, m)
		case m.TeamID == d.South.ID:
			d.SouthReps = append(d.SouthReps, m)
		}
	}
	return d
}
