package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

// at is a fixed instant in Shanghai; the store must give it back in UTC.
var at = time.Date(2026, 3, 2, 10, 30, 15, 123456789, time.FixedZone("CST", 8*3600))

func TestDeal(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina, yang := d.EastReps[0], d.SouthReps[0]
		huachen, bank := d.Customer("华辰科技有限公司"), d.Customer("恒通银行股份有限公司")

		newDeal := func(c domain.Customer, owner domain.Member, st domain.Stage) domain.Deal {
			t.Helper()
			deal := domain.Deal{
				CustomerID: c.ID, OwnerID: owner.ID, TeamID: owner.TeamID, Title: c.Name,
				Stage: st, Status: domain.StatusFor(st), Amount: 500_000, ExpectedClose: "2026-06-30",
				LastActivityAt: at, CreatedAt: at,
			}
			if err := s.CreateDeal(ctx, &deal); err != nil {
				t.Fatal(err)
			}
			return deal
		}
		lost := newDeal(huachen, lina, domain.StageLost)
		open1 := newDeal(huachen, lina, domain.StageProposal)
		open2 := newDeal(huachen, lina, domain.StageQuote)
		won := newDeal(bank, yang, domain.StageWon)

		t.Run("RoundTrip", func(t *testing.T) {
			got, err := s.DealByID(ctx, open1.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := open1
			want.LastActivityAt = at.UTC().Truncate(time.Microsecond)
			want.CreatedAt = want.LastActivityAt
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("DealByID (-want +got):\n%s", diff)
			}
			if got.LastActivityAt.Location() != time.UTC {
				t.Errorf("LastActivityAt in %v, want UTC", got.LastActivityAt.Location())
			}
		})

		t.Run("OpenDealOf", func(t *testing.T) {
			got, err := s.OpenDealOf(ctx, huachen.ID)
			if err != nil || got.ID != open2.ID {
				t.Errorf("OpenDealOf = %d, %v; want newest open %d", got.ID, err, open2.ID)
			}
			if _, err := s.OpenDealOf(ctx, bank.ID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("OpenDealOf(only won) = %v, want ErrNotFound", err)
			}
		})

		t.Run("List", func(t *testing.T) {
			tests := []struct {
				name string
				f    domain.DealFilter
				want []int64
			}{
				{"All", domain.DealFilter{}, []int64{won.ID, open2.ID, open1.ID, lost.ID}},
				{"Owner", domain.DealFilter{OwnerID: lina.ID}, []int64{open2.ID, open1.ID, lost.ID}},
				{"OwnerOpen", domain.DealFilter{OwnerID: lina.ID, Status: domain.DealOpen}, []int64{open2.ID, open1.ID}},
				{"TeamWon", domain.DealFilter{TeamID: d.South.ID, Status: domain.DealWon}, []int64{won.ID}},
				{"Customer", domain.DealFilter{CustomerID: bank.ID}, []int64{won.ID}},
				{"None", domain.DealFilter{CustomerID: bank.ID, Status: domain.DealLost}, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.ListDeals(ctx, tt.f)
					if err != nil {
						t.Fatal(err)
					}
					var ids []int64
					for _, deal := range got {
						ids = append(ids, deal.ID)
					}
					if diff := cmp.Diff(tt.want, ids); diff != "" {
						t.Errorf("ListDeals (-want +got):\n%s", diff)
					}
				})
			}
		})

		t.Run("Update", func(t *testing.T) {
			deal := open1
			deal.Stage, deal.Status, deal.Amount, deal.LastActivityAt = domain.StageWon, domain.DealWon, 880_000, time.Time{}
			if err := s.UpdateDeal(ctx, &deal); err != nil {
				t.Fatal(err)
			}
			got, err := s.DealByID(ctx, deal.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Stage != domain.StageWon || got.Amount != 880_000 || !got.LastActivityAt.IsZero() || !got.CreatedAt.Equal(at.Truncate(time.Microsecond)) {
				t.Errorf("after update: %+v", got)
			}
			missing := domain.Deal{ID: 99999, Stage: domain.StageWon, Status: domain.DealWon}
			if err := s.UpdateDeal(ctx, &missing); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("UpdateDeal(missing) = %v, want ErrNotFound", err)
			}
		})

		t.Run("StageHistory", func(t *testing.T) {
			moves := []domain.StageChange{
				{DealID: open2.ID, VisitID: 11, MemberID: lina.ID, From: "", To: domain.StageProspecting, At: at},
				{DealID: open2.ID, VisitID: 12, MemberID: lina.ID, From: domain.StageProspecting, To: domain.StageQuote, Amount: 300_000, At: at.Add(time.Hour)},
				{DealID: open2.ID, MemberID: d.EastManager.ID, From: domain.StageQuote, To: domain.StageLost, Amount: 300_000, At: at.Add(2 * time.Hour)},
				{DealID: won.ID, VisitID: 13, MemberID: yang.ID, From: domain.StageNegotiation, To: domain.StageWon, Amount: 1_000_000, At: at},
			}
			for i := range moves {
				if err := s.AppendStageChange(ctx, &moves[i]); err != nil {
					t.Fatal(err)
				}
				moves[i].At = moves[i].At.UTC().Truncate(time.Microsecond)
			}
			got, err := s.StageHistory(ctx, open2.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(moves[:3], got); diff != "" {
				t.Errorf("StageHistory (-want +got):\n%s", diff)
			}
			if err := s.DeleteStageChange(ctx, moves[1].ID); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteStageChange(ctx, moves[1].ID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("second delete = %v, want ErrNotFound", err)
			}
			got, _ = s.StageHistory(ctx, open2.ID)
			if diff := cmp.Diff([]domain.StageChange{moves[0], moves[2]}, got); diff != "" {
				t.Errorf("after delete (-want +got):\n%s", diff)
			}
		})

		t.Run("DeleteTakesHistory", func(t *testing.T) {
			if err := s.DeleteDeal(ctx, open2.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DealByID(ctx, open2.ID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("DealByID after delete = %v, want ErrNotFound", err)
			}
			if h, _ := s.StageHistory(ctx, open2.ID); len(h) != 0 {
				t.Errorf("history of deleted deal: %v", h)
			}
			if h, _ := s.StageHistory(ctx, won.ID); len(h) != 1 {
				t.Errorf("history of another deal touched: %v", h)
			}
			if err := s.DeleteDeal(ctx, open2.ID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("second delete = %v, want ErrNotFound", err)
			}
		})
	})
}
