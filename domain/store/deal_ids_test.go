package store_test

import (
	"context"
	"testing"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
)

// DealFilter.IDs reads only the deals named; an empty list reads none.
func TestListDealsByIDs(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		c := d.Customer("华辰科技有限公司")
		var ids []int64
		for range 3 {
			dl := domain.Deal{CustomerID: c.ID, OwnerID: d.EastReps[0].ID, TeamID: d.East.ID, Stage: domain.StageProspecting, Status: domain.DealOpen}
			if err := s.CreateDeal(ctx, &dl); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, dl.ID)
		}
		got, err := s.ListDeals(ctx, domain.DealFilter{TeamID: d.East.ID, IDs: []int64{ids[0], ids[2]}})
		if err != nil || len(got) != 2 || got[0].ID != ids[2] || got[1].ID != ids[0] {
			t.Errorf("ListDeals(two ids) = %+v, %v", got, err)
		}
		if got, err := s.ListDeals(ctx, domain.DealFilter{TeamID: d.East.ID, IDs: []int64{}}); err != nil || len(got) != 0 {
			t.Errorf("ListDeals(no ids) = %d deals, %v; want none", len(got), err)
		}
	})
}
