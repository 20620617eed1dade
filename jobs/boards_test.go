package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/kv/kvtest"
	"salesbot/jobs"
)

// figuresOnly is all the boards read from the database: two methods of the
// Store, with a failure to inject.
type figuresOnly struct {
	mu    sync.Mutex
	err   error
	reads int
}

func (f *figuresOnly) TeamActivity(_ context.Context, teamID int64, from, to domain.Date) ([]domain.MemberActivity, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.err != nil {
		return nil, f.err
	}
	return []domain.MemberActivity{{MemberID: 7, Visits: 3, NewDeals: 1}, {MemberID: 8, Visits: 1}}, nil
}

func (f *figuresOnly) StageMoves(context.Context, domain.StageMoveFilter) ([]domain.StageMove, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	return []domain.StageMove{{MemberID: 8, To: domain.StageWon, Amount: 500_000}}, nil
}

func (f *figuresOnly) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// A board the database cannot rebuild is an error and stays unbuilt (the
// next read tries again); once rebuilt, it is read from Redis alone.
func TestBoardsRebuildFailure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := &figuresOnly{}
	boom := errors.New("database unreachable")
	src.set(boom)
	b := jobs.NewBoards(kvtest.MustOpen(t, kvtest.Embedded), src, cst, nil)
	week := jobs.Week("2026-01-07")

	if _, err := b.Figures(ctx, 1, week); !errors.Is(err, boom) {
		t.Fatalf("Figures with the database down = %v, want %v", err, boom)
	}
	src.set(nil)
	got, err := b.Figures(ctx, 1, week)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]jobs.Figures{7: {Visits: 3, NewDeals: 1}, 8: {Visits: 1, WonAmount: 500_000}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("figures after the database came back (-want +got):\n%s", d)
	}
	if src.reads != 2 {
		t.Errorf("database read %d times, want 2 (the failed rebuild left no board)", src.reads)
	}
	src.set(boom) // the board is built: Redis answers alone
	if got, err = b.Figures(ctx, 1, week); err != nil || !cmp.Equal(want, got) {
		t.Errorf("built board = %v, %v; want %v from Redis", got, err, want)
	}
}
