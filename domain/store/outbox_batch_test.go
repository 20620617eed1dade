package store_test

import (
	"context"
	"slices"
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
		pending, err := s.ListPushes(ctx, domain.PushFilter{})
		if err != nil || len(pending) != 3 {
			t.Errorf("ListPushes = %d pushes, %v; want 3", len(pending), err)
		}
	})
}
