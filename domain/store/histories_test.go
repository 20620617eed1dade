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

// StageHistories reads several deals' moves in one go, per deal in order,
// also when the ids run past one batch of bound parameters.
func TestStageHistories(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina := d.EastReps[0]
		var deals []domain.Deal
		for _, name := range []string{"华辰科技有限公司", "金石重工股份有限公司"} {
			deal := domain.Deal{CustomerID: d.Customer(name).ID, OwnerID: lina.ID, TeamID: lina.TeamID, Title: name,
				Stage: domain.StageProspecting, Status: domain.DealOpen, CreatedAt: at}
			if err := s.CreateDeal(ctx, &deal); err != nil {
				t.Fatal(err)
			}
			deals = append(deals, deal)
		}
		// Moves interleaved between the two deals.
		moves := []struct {
			deal     int
			from, to domain.Stage
		}{
			{0, "", domain.StageProspecting}, {1, "", domain.StageQualification},
			{0, domain.StageProspecting, domain.StageQuote}, {1, domain.StageQualification, domain.StageLost},
			{0, domain.StageQuote, domain.StageWon},
		}
		for i, m := range moves {
			c := domain.StageChange{DealID: deals[m.deal].ID, TeamID: lina.TeamID, MemberID: lina.ID, From: m.from, To: m.to,
				At: at.Add(time.Duration(i) * time.Hour)}
			if err := s.AppendStageChange(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
		// The second deal's id first in the list, the first's past 500.
		ids := []int64{deals[1].ID}
		for i := int64(1); i <= 700; i++ {
			ids = append(ids, 1_000_000+i)
		}
		ids = append(ids, deals[0].ID)
		got, err := s.StageHistories(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		var gotPath []string
		for _, c := range got {
			who := "B"
			if c.DealID == deals[0].ID {
				who = "A"
			}
			gotPath = append(gotPath, who+":"+string(c.To))
		}
		want := []string{"A:prospecting", "A:quote", "A:won", "B:qualification", "B:lost"}
		if diff := cmp.Diff(want, gotPath); diff != "" {
			t.Errorf("histories (-want +got):\n%s", diff)
		}
		if none, err := s.StageHistories(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no ids: %v %v", none, err)
		}
	})
}
