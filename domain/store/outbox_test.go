package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestOutbox(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
		push := func(key string, at time.Time) domain.Push {
			return domain.Push{
				Key: key, Job: "digest", TeamID: 1, Period: "2026-01-05", Recipient: "m1",
				Payload: []byte(`{"text":"日报"}`), Status: domain.PushPending, NextAt: at, Deadline: at.Add(time.Hour), CreatedAt: now,
			}
		}
		p := push("digest|2026-01-05|1|m1", now)
		created, err := s.EnqueuePush(ctx, &p)
		if err != nil || !created || p.ID == 0 || p.Version != 1 {
			t.Fatalf("EnqueuePush = %v, %v; push %+v", created, err, p)
		}

		t.Run("SameKeyIsKept", func(t *testing.T) {
			again := push("digest|2026-01-05|1|m1", now.Add(time.Minute))
			again.Payload = []byte(`{"text":"另一份"}`)
			created, err := s.EnqueuePush(ctx, &again)
			if err != nil || created {
				t.Fatalf("second EnqueuePush = %v, %v; want false, nil", created, err)
			}
			if again.ID != p.ID || string(again.Payload) != `{"text":"日报"}` {
				t.Errorf("second EnqueuePush returned %+v, want the stored push", again)
			}
		})

		later := push("digest|2026-01-05|1|m2", now.Add(time.Hour))
		if _, err := s.EnqueuePush(ctx, &later); err != nil {
			t.Fatal(err)
		}

		t.Run("Due", func(t *testing.T) {
			due, err := s.DuePushes(ctx, now, 10)
			if err != nil || len(due) != 1 || due[0].ID != p.ID {
				t.Fatalf("DuePushes = %+v, %v; want only the first push", due, err)
			}
		})

		t.Run("ClaimOnce", func(t *testing.T) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			won := 0
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ok, err := s.ClaimPush(ctx, p.ID, p.Version, now.Add(2*time.Minute))
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						won++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if won != 1 {
				t.Fatalf("%d senders claimed the push; want 1", won)
			}
			if due, _ := s.DuePushes(ctx, now.Add(time.Minute), 10); len(due) != 0 {
				t.Errorf("a claimed push is due again before its lease ends: %+v", due)
			}
			due, _ := s.DuePushes(ctx, now.Add(3*time.Minute), 10)
			if len(due) != 1 || due[0].Status != domain.PushSending {
				t.Errorf("after the lease a claimed push should be due again, got %+v", due)
			}
		})

		t.Run("Settle", func(t *testing.T) {
			cur, err := s.ListPushes(ctx, domain.PushFilter{Job: "digest", Status: domain.PushSending})
			if err != nil || len(cur) != 1 {
				t.Fatalf("ListPushes = %+v, %v", cur, err)
			}
			stale := cur[0]
			stale.Version--
			if ok, err := s.SettlePush(ctx, &stale); ok || err != nil {
				t.Fatalf("settling an old version = %v, %v; want false", ok, err)
			}
			q := cur[0]
			q.Status, q.SentAt, q.NextAt = domain.PushSent, now, now
			if ok, err := s.SettlePush(ctx, &q); !ok || err != nil {
				t.Fatalf("SettlePush = %v, %v", ok, err)
			}
			counts, err := s.CountPushes(ctx)
			if err != nil || counts[domain.PushSent] != 1 || counts[domain.PushPending] != 1 {
				t.Errorf("CountPushes = %v, %v", counts, err)
			}
			got, _ := s.ListPushes(ctx, domain.PushFilter{Status: domain.PushSent})
			if len(got) != 1 || !got[0].SentAt.Equal(now) {
				t.Errorf("sent push = %+v", got)
			}
		})
	})
}

func TestSettingsAndCalendar(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, st := range []domain.Setting{
			{TeamID: 1, Name: "quiet_hours", Value: "22:00-08:00"},
			{TeamID: 1, Name: "quiet_hours", Value: "21:00-07:00"}, // replaces
			{MemberID: 5, Name: "mute.nudge", Value: "1"},
			{MemberID: 5, Name: "mute.digest", Value: "1"},
			{MemberID: 5, Name: "mute.digest", Value: ""}, // removes
		} {
			if err := s.SaveSetting(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ListSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Name != "mute.nudge" || got[1].Value != "21:00-07:00" {
			t.Errorf("ListSettings = %+v", got)
		}

		for _, d := range []domain.CalendarDay{
			{Date: "2026-01-01", Working: false, Note: "元旦"},
			{Date: "2026-01-04", Working: true, Note: "元旦调休"},
			{Date: "2026-01-04", Working: true, Note: "调休"},
		} {
			if err := s.SaveCalendarDay(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		days, err := s.ListCalendarDays(ctx, "2026-01-01", "2026-01-31")
		if err != nil || len(days) != 2 || days[1].Note != "调休" || !days[1].Working || days[0].Working {
			t.Fatalf("ListCalendarDays = %+v, %v", days, err)
		}
		if err := s.DeleteCalendarDay(ctx, "2026-01-01"); err != nil {
			t.Fatal(err)
		}
		if days, _ := s.ListCalendarDays(ctx, "2026-01-01", "2026-01-31"); len(days) != 1 {
			t.Errorf("after delete: %+v", days)
		}
	})
}
