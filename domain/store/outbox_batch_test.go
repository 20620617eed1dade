package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

// A job's pushes go in one transaction; a key already queued (a rerun) is
// kept as it was and reported, the others are queued.
func TestEnqueuePushes(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 5, 8, 30, 0, 0, time.UTC)
		push := func(recipient, text string) domain.Push {
			return domain.Push{
				Key: "reminders|2026-01-05|1|" + recipient, Job: "reminders", TeamID: 1, Period: "2026-01-05", Recipient: recipient,
				Payload: []byte(text), Status: domain.PushPending, NextAt: now, Deadline: now.Add(time.Hour), CreatedAt: now,
			}
		}
		first := []domain.Push{push("m1", "早安一"), push("m2", "早安二")}
		created, err := s.EnqueuePushes(ctx, first)
		if err != nil || !slices.Equal(created, []bool{true, true}) || first[0].ID == 0 || first[1].ID == 0 {
			t.Fatalf("EnqueuePushes = %v, %v; %+v", created, err, first)
		}
		again := []domain.Push{push("m2", "重跑"), push("m3", "早安三")}
		created, err = s.EnqueuePushes(ctx, again)
		if err != nil || !slices.Equal(created, []bool{false, true}) {
			t.Fatalf("rerun EnqueuePushes = %v, %v", created, err)
		}
		if again[0].ID != first[1].ID || string(again[0].Payload) != "早安二" {
			t.Errorf("the push already queued came back as %+v, want the stored one", again[0])
		}
		// Inside a caller's transaction a rerun finds the stored push too.
		inTx := []domain.Push{push("m1", "事务里重跑"), push("m4", "早安四")}
		err = s.InTx(ctx, func(tx domain.Store) error {
			created, err = tx.(*store.Store).EnqueuePushes(ctx, inTx)
			return err
		})
		if err != nil || !slices.Equal(created, []bool{false, true}) || inTx[0].ID != first[0].ID {
			t.Fatalf("EnqueuePushes in a transaction = %v, %v; %+v", created, err, inTx)
		}
		pending, err := s.ListPushes(ctx, domain.PushFilter{})
		if err != nil || len(pending) != 4 {
			t.Errorf("ListPushes = %d pushes, %v; want 4", len(pending), err)
		}
	})
}

// A morning's worth of pushes goes in with multi-row inserts: every push
// gets the ID it is stored under, a key named twice is queued once, and a
// rerun finds them all.
func TestEnqueuePushesMany(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 5, 8, 30, 0, 0, time.UTC)
		var ps []domain.Push
		for i := 0; i < 250; i++ {
			r := fmt.Sprintf("m%d", i)
			ps = append(ps, domain.Push{Key: "reminders|2026-01-05|1|" + r, Job: "reminders", TeamID: 1, Period: "2026-01-05", Recipient: r,
				Payload: []byte("早安" + r), Status: domain.PushPending, NextAt: now, Deadline: now.Add(time.Hour), CreatedAt: now})
		}
		twice := ps[7]
		twice.Payload = []byte("又一次")
		ps = append(ps, twice)
		created, err := s.EnqueuePushes(ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := s.ListPushes(ctx, domain.PushFilter{})
		if err != nil || len(stored) != 250 {
			t.Fatalf("ListPushes = %d pushes, %v; want 250", len(stored), err)
		}
		byKey := map[string]domain.Push{}
		for _, p := range stored {
			byKey[p.Key] = p
		}
		for i, p := range ps {
			want := byKey[p.Key]
			if p.ID == 0 || p.ID != want.ID || string(p.Payload) != string(want.Payload) {
				t.Fatalf("push %d %s came back as id %d %q, stored as id %d %q", i, p.Key, p.ID, p.Payload, want.ID, want.Payload)
			}
			if created[i] != (i < 250) {
				t.Errorf("created[%d] = %v", i, created[i])
			}
		}
		if string(byKey[twice.Key].Payload) != "早安m7" {
			t.Errorf("a key named twice stored %q, want the first", byKey[twice.Key].Payload)
		}
		again := slices.Clone(ps[:250])
		created, err = s.EnqueuePushes(ctx, again)
		if err != nil || slices.Contains(created, true) {
			t.Fatalf("rerun created %v, %v", created, err)
		}
		for i, p := range again {
			if p.ID != ps[i].ID {
				t.Fatalf("rerun: push %d has id %d, want %d", i, p.ID, ps[i].ID)
			}
		}
	})
}

// Two replicas queuing the same job at once both succeed, and each push is
// queued by exactly one of them.
func TestEnqueuePushesTwoWriters(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 5, 8, 30, 0, 0, time.UTC)
		batch := func() []domain.Push {
			var ps []domain.Push
			for i := 0; i < 150; i++ {
				r := fmt.Sprintf("m%d", i)
				ps = append(ps, domain.Push{Key: "digest|2026-01-05|1|" + r, Job: "digest", TeamID: 1, Period: "2026-01-05", Recipient: r,
					Payload: []byte(r), Status: domain.PushPending, NextAt: now, Deadline: now.Add(time.Hour), CreatedAt: now})
			}
			return ps
		}
		var wg sync.WaitGroup
		results := make([][]bool, 2)
		errs := make([]error, 2)
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[w], errs[w] = s.EnqueuePushes(ctx, batch())
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("EnqueuePushes errors: %v, %v", errs[0], errs[1])
		}
		for i := range 150 {
			if results[0][i] == results[1][i] {
				t.Fatalf("push %d: created %v by one and %v by the other, want exactly one", i, results[0][i], results[1][i])
			}
		}
		stored, err := s.ListPushes(ctx, domain.PushFilter{})
		if err != nil || len(stored) != 150 {
			t.Fatalf("ListPushes = %d pushes, %v; want 150", len(stored), err)
		}
	})
}
