package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestOpenEmbedded(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	s, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "salesbot.db")); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if got := s.Dialect(); got != "sqlite" {
		t.Errorf("Dialect = %q, want sqlite", got)
	}
	team := domain.Team{Name: "华东大客户部"}
	if err := s.CreateTeam(ctx, &team); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopening migrates again and keeps the data.
	s, err = store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.TeamByName(ctx, "华东大客户部"); err != nil {
		t.Errorf("after reopen: %v", err)
	}
}

func TestMigrateTwice(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i := range 2 {
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate #%d: %v", i+1, err)
			}
		}
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

func TestInTx(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")

		t.Run("RollbackOnError", func(t *testing.T) {
			err := s.InTx(ctx, func(tx domain.Store) error {
				if err := tx.CreateTeam(ctx, &domain.Team{Name: "回滚团队"}); err != nil {
					return err
				}
				if _, err := tx.TeamByName(ctx, "回滚团队"); err != nil {
					return fmt.Errorf("own write not visible: %w", err)
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx = %v, want boom", err)
			}
			if _, err := s.TeamByName(ctx, "回滚团队"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("after rollback TeamByName = %v, want ErrNotFound", err)
			}
		})

		t.Run("NestedReusesOuter", func(t *testing.T) {
			err := s.InTx(ctx, func(tx domain.Store) error {
				err := tx.InTx(ctx, func(inner domain.Store) error {
					if inner != tx {
						t.Error("nested InTx handed a different store")
					}
					return inner.CreateTeam(ctx, &domain.Team{Name: "嵌套团队"})
				})
				if err != nil {
					return err
				}
				return boom // the outer rollback takes the inner write too
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx = %v, want boom", err)
			}
			if _, err := s.TeamByName(ctx, "嵌套团队"); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("TeamByName = %v, want ErrNotFound", err)
			}
		})

		t.Run("Commit", func(t *testing.T) {
			err := s.InTx(ctx, func(tx domain.Store) error {
				return tx.CreateTeam(ctx, &domain.Team{Name: "提交团队"})
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.TeamByName(ctx, "提交团队"); err != nil {
				t.Errorf("TeamByName = %v", err)
			}
		})

		t.Run("ConflictInsideTx", func(t *testing.T) {
			err := s.InTx(ctx, func(tx domain.Store) error {
				return tx.CreateTeam(ctx, &domain.Team{Name: "提交团队"})
			})
			if !errors.Is(err, domain.ErrConflict) {
				t.Errorf("InTx = %v, want ErrConflict", err)
			}
		})
	})
}

// Concurrent writing transactions wait for each other rather than fail,
// also on the single-writer embedded database.
func TestConcurrentWriters(t *testing.T) {
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 16
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = s.InTx(ctx, func(tx domain.Store) error {
					if _, err := tx.ListTeams(ctx); err != nil { // read, then write
						return err
					}
					return tx.CreateTeam(ctx, &domain.Team{Name: fmt.Sprintf("团队%02d", i)})
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}
		teams, err := s.ListTeams(ctx)
		if err != nil || len(teams) != n {
			t.Errorf("ListTeams = %d teams, %v; want %d", len(teams), err, n)
		}
	})
}

// Two transactions taking the same rows in opposite order deadlock on
// MySQL; the loser must come back as ErrRetry so the service runs it again.
// (The embedded database has one writer, so it cannot deadlock.)
func TestDeadlockIsRetry(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.MySQL)
	ctx := context.Background()
	a, b := domain.Team{Name: "甲"}, domain.Team{Name: "乙"}
	for _, tm := range []*domain.Team{&a, &b} {
		if err := s.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	var (
		wg       sync.WaitGroup
		errs     [2]error
		ready    sync.WaitGroup
		bothHold = make(chan struct{})
	)
	ready.Add(2)
	go func() { ready.Wait(); close(bothHold) }()
	lockBoth := func(i int, first, second domain.Team) {
		defer wg.Done()
		errs[i] = s.InTx(ctx, func(tx domain.Store) error {
			if err := tx.UpdateTeam(ctx, &first); err != nil {
				ready.Done()
				return err
			}
			ready.Done()
			<-bothHold
			return tx.UpdateTeam(ctx, &second)
		})
	}
	wg.Add(2)
	go lockBoth(0, a, b)
	go lockBoth(1, b, a)
	wg.Wait()
	retries := 0
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, domain.ErrRetry):
			retries++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if retries != 1 {
		t.Errorf("got %d ErrRetry (%v), want exactly 1", retries, errs)
	}
}

// Whatever time zone the DSN names, MySQL holds UTC wall-clock times.
func TestMySQLStoresUTC(t *testing.T) {
	t.Parallel()
	s := domaintest.MustOpen(t, domaintest.MySQL)
	ctx := context.Background()
	var dbName string
	if err := s.DB().WithContext(ctx).Raw("SELECT DATABASE()").Row().Scan(&dbName); err != nil {
		t.Fatal(err)
	}
	cfg, err := mysql.ParseDSN(domaintest.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	cfg.DBName = dbName
	cfg.Loc, err = time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	shanghai, err := store.Open(ctx, store.Config{MySQLDSN: cfg.FormatDSN()})
	if err != nil {
		t.Fatal(err)
	}
	defer shanghai.Close()

	at := time.Date(2026, 3, 2, 10, 0, 0, 0, cfg.Loc) // 02:00 UTC
	team := domain.Team{Name: "时区", CreatedAt: at}
	if err := shanghai.CreateTeam(ctx, &team); err != nil {
		t.Fatal(err)
	}
	var wall string
	err = s.DB().WithContext(ctx).Raw("SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i') FROM teams WHERE id = ?", team.ID).Row().Scan(&wall)
	if err != nil {
		t.Fatal(err)
	}
	if wall != "2026-03-02 02:00" {
		t.Errorf("stored wall clock %s, want 2026-03-02 02:00 (UTC)", wall)
	}
	got, err := shanghai.TeamByID(ctx, team.ID)
	if err != nil || !got.CreatedAt.Equal(at) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("read back %v, %v; want %v in UTC", got.CreatedAt, err, at)
	}
}
