package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

func TestReportQueries(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina, wang := d.EastReps[0], d.EastReps[1]
		yang := d.SouthReps[0]
		huachen, jinshi := d.Customer("华辰科技有限公司"), d.Customer("金石重工股份有限公司") // tier A
		derun := d.Customer("德润精密机械有限公司")                                   // tier B
		day := time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC)

		deal := func(c domain.Customer, owner domain.Member, stage domain.Stage, amount int64, last time.Time) domain.Deal {
			t.Helper()
			dl := domain.Deal{CustomerID: c.ID, OwnerID: owner.ID, TeamID: owner.TeamID, Title: c.Name, Stage: stage,
				Amount: amount, Status: domain.StatusFor(stage), LastActivityAt: last, CreatedAt: last}
			if err := s.CreateDeal(ctx, &dl); err != nil {
				t.Fatal(err)
			}
			return dl
		}
		move := func(dl domain.Deal, by domain.Member, from, to domain.Stage, amount int64, at time.Time) {
			t.Helper()
			if err := s.AppendStageChange(ctx, &domain.StageChange{DealID: dl.ID, MemberID: by.ID, From: from, To: to, Amount: amount, At: at}); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		visit := func(m domain.Member, c domain.Customer, date domain.Date, createdDeal bool) domain.Visit {
			t.Helper()
			n++
			v := domain.Visit{MemberID: m.ID, TeamID: m.TeamID, CustomerID: c.ID, VisitDate: date, Platform: domain.PlatformSim,
				SourceMsgID: "msg" + string(rune('a'+n)), CreatedDeal: createdDeal, CreatedAt: day}
			if err := s.CreateVisit(ctx, &v); err != nil {
				t.Fatal(err)
			}
			return v
		}

		d1 := deal(huachen, lina, domain.StageQuote, 500_000, day.Add(10*time.Hour))
		d2 := deal(derun, wang, domain.StageProspecting, 0, day.Add(-20*24*time.Hour)) // B, 20 days quiet
		d3 := deal(jinshi, lina, domain.StageWon, 800_000, day.Add(-3*24*time.Hour))
		southDeal := deal(d.Customer("恒通银行股份有限公司"), yang, domain.StageProposal, 100_000, day)
		move(d1, lina, "", domain.StageProspecting, 0, day.Add(9*time.Hour))
		move(d1, lina, domain.StageProspecting, domain.StageQuote, 500_000, day.Add(10*time.Hour))
		move(d3, lina, domain.StageNegotiation, domain.StageWon, 800_000, day.Add(-3*24*time.Hour))
		move(southDeal, yang, "", domain.StageProposal, 100_000, day.Add(9*time.Hour))

		visit(lina, huachen, "2026-01-06", true)
		visit(lina, huachen, "2026-01-06", false)
		undone := visit(wang, derun, "2026-01-06", false)
		now := day
		undone.UndoneAt = &now
		if err := s.UpdateVisit(ctx, &undone); err != nil {
			t.Fatal(err)
		}
		visit(wang, derun, "2026-01-05", false)
		visit(yang, huachen, "2026-01-06", false)

		t.Run("TeamActivity", func(t *testing.T) {
			got, err := s.TeamActivity(ctx, d.East.ID, "2026-01-06", "2026-01-06")
			if err != nil {
				t.Fatal(err)
			}
			want := []domain.MemberActivity{{MemberID: lina.ID, Visits: 2, NewDeals: 1}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			got, _ = s.TeamActivity(ctx, d.East.ID, "2026-01-01", "2026-01-31")
			if len(got) != 2 || got[1].MemberID != wang.ID || got[1].Visits != 1 {
				t.Errorf("month activity = %+v", got)
			}
		})

		t.Run("StageMoves", func(t *testing.T) {
			got, err := s.StageMoves(ctx, domain.StageMoveFilter{TeamID: d.East.ID, From: day, To: day.Add(24 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].From != "" || got[1].To != domain.StageQuote || got[1].Customer != huachen.Name ||
				got[1].OwnerID != lina.ID || got[1].TeamID != d.East.ID || got[1].Amount != 500_000 {
				t.Errorf("moves = %+v", got)
			}
			won, _ := s.StageMoves(ctx, domain.StageMoveFilter{TeamID: d.East.ID, From: day.Add(-7 * 24 * time.Hour), To: day, ToStage: domain.StageWon})
			if len(won) != 1 || won[0].DealID != d3.ID {
				t.Errorf("won moves = %+v", won)
			}
		})

		t.Run("Pipeline", func(t *testing.T) {
			got, err := s.Pipeline(ctx, d.East.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := []domain.StageTotal{{Stage: domain.StageProspecting, Deals: 1}, {Stage: domain.StageQuote, Deals: 1, Amount: 500_000}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})

		t.Run("StaleDeals", func(t *testing.T) {
			cut := map[domain.Tier]time.Time{
				domain.TierA: day.Add(-6 * 24 * time.Hour), domain.TierB: day.Add(-13 * 24 * time.Hour), domain.TierC: day.Add(-29 * 24 * time.Hour),
			}
			got, err := s.StaleDeals(ctx, d.East.ID, cut)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Deal.ID != d2.ID || got[0].Tier != domain.TierB || got[0].Customer != derun.Name {
				t.Errorf("stale = %+v", got)
			}
		})

		t.Run("OpenTasks", func(t *testing.T) {
			for i, due := range []domain.Date{"2026-01-02", "2026-01-06", "2026-01-07"} {
				tk := domain.Task{OwnerID: lina.ID, TeamID: d.East.ID, CustomerID: huachen.ID, Title: "跟进", Due: due, Status: domain.TaskOpen}
				if i == 0 {
					tk.Status = domain.TaskDone
				}
				if err := s.CreateTask(ctx, &tk); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.OpenTasks(ctx, d.East.ID, "", "2026-01-06")
			if err != nil || len(got) != 1 || got[0].Task.Due != "2026-01-06" || got[0].Customer != huachen.Name {
				t.Errorf("OpenTasks = %+v, %v", got, err)
			}
			got, _ = s.OpenTasks(ctx, d.East.ID, "2026-01-07", "2026-01-07")
			if len(got) != 1 || got[0].Task.Due != "2026-01-07" {
				t.Errorf("OpenTasks tomorrow = %+v", got)
			}
		})

		t.Run("MigrateFillsStageChangeTeams", func(t *testing.T) {
			if err := s.DB().Exec("UPDATE stage_changes SET team_id = 0").Error; err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got, _ := s.StageMoves(ctx, domain.StageMoveFilter{TeamID: d.South.ID, From: day, To: day.Add(24 * time.Hour)})
			if len(got) != 1 || got[0].DealID != southDeal.ID {
				t.Errorf("after migrate, south moves = %+v", got)
			}
		})
	})
}
