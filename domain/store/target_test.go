package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestTarget(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina := d.EastReps[0]

		team := domain.Target{TeamID: d.East.ID, Month: "2026-03", Metric: domain.MetricWonAmount, Value: 5_000_000}
		mine := domain.Target{MemberID: lina.ID, TeamID: d.East.ID, Month: "2026-03", Metric: domain.MetricVisits, Value: 40}
		april := domain.Target{MemberID: lina.ID, TeamID: d.East.ID, Month: "2026-04", Metric: domain.MetricVisits, Value: 45}
		south := domain.Target{TeamID: d.South.ID, Month: "2026-03", Metric: domain.MetricWonAmount, Value: 3_000_000}
		for _, tg := range []*domain.Target{&team, &mine, &april, &south} {
			if err := s.SaveTarget(ctx, tg); err != nil {
				t.Fatal(err)
			}
			if tg.ID == 0 {
				t.Fatalf("SaveTarget left no ID on %+v", tg)
			}
		}

		t.Run("Replace", func(t *testing.T) {
			again := mine
			again.ID, again.Value = 0, 50
			if err := s.SaveTarget(ctx, &again); err != nil {
				t.Fatal(err)
			}
			if again.ID != mine.ID {
				t.Errorf("replacing gave ID %d, want the existing %d", again.ID, mine.ID)
			}
			mine.Value = 50
		})

		t.Run("List", func(t *testing.T) {
			got, err := s.ListTargets(ctx, d.East.ID, "2026-03")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]domain.Target{team, mine}, got); diff != "" {
				t.Errorf("ListTargets (-want +got):\n%s", diff)
			}
			if got, _ := s.ListTargets(ctx, d.East.ID, "2025-12"); len(got) != 0 {
				t.Errorf("ListTargets(other month) = %v", got)
			}
		})
	})
}
