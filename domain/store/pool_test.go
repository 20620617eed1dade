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

func TestPoolStore(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := domaintest.Seed(t, ctx, s)
		lina, wang := d.EastReps[0], d.EastReps[1]
		at := time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)
		pooled := domain.Customer{Name: "星河电子有限公司", Aliases: []string{"星河"}, Tier: domain.TierB, Industry: "消费电子", TeamID: d.East.ID}
		if err := s.CreateCustomer(ctx, &pooled); err != nil {
			t.Fatal(err)
		}
		if !pooled.OwnedSince.IsZero() {
			t.Errorf("a customer created in the pool has OwnedSince %v", pooled.OwnedSince)
		}
		if c := d.Customer("华辰科技有限公司"); c.OwnedSince.IsZero() {
			t.Errorf("a customer created with an owner has no OwnedSince")
		}

		t.Run("PoolCustomers", func(t *testing.T) {
			for _, tt := range []struct {
				name  string
				teams []int64
				query string
				want  int
			}{
				{"TeamPool", []int64{0, d.East.ID}, "", 1},
				{"OtherTeam", []int64{0, d.South.ID}, "", 0},
				{"Every", nil, "", 1},
				{"ByAlias", nil, "星河", 1},
				{"ByIndustry", nil, "电子", 1},
				{"ByTier", nil, "b", 1},
				{"NoMatch", nil, "物流", 0},
				{"Wildcards", nil, "%", 0},
			} {
				t.Run(tt.name, func(t *testing.T) {
					got, err := s.PoolCustomers(ctx, tt.teams, tt.query, 10)
					if err != nil || len(got) != tt.want {
						t.Errorf("PoolCustomers = %+v, %v; want %d", got, err, tt.want)
					}
				})
			}
		})

		t.Run("MoveAndHistory", func(t *testing.T) {
			ok, err := s.MoveCustomer(ctx, pooled.ID, 0, lina.ID, d.East.ID, at)
			if err != nil || !ok {
				t.Fatalf("claim: %v, %v", ok, err)
			}
			// The loser of a race: the owner is no longer 0.
			if ok, err := s.MoveCustomer(ctx, pooled.ID, 0, wang.ID, d.East.ID, at); err != nil || ok {
				t.Fatalf("second claim: %v, %v", ok, err)
			}
			c, _ := s.CustomerByID(ctx, pooled.ID)
			if c.OwnerID != lina.ID || !c.OwnedSince.Equal(at) {
				t.Errorf("after the claim: owner %d since %v", c.OwnerID, c.OwnedSince)
			}
			ch := domain.OwnerChange{CustomerID: pooled.ID, ToID: lina.ID, ToTeamID: d.East.ID, Action: domain.OwnerClaim, ActorID: lina.ID, At: at}
			if err := s.AppendOwnerChange(ctx, &ch); err != nil {
				t.Fatal(err)
			}
			back := domain.OwnerChange{CustomerID: pooled.ID, FromID: lina.ID, FromTeamID: d.East.ID, ToTeamID: d.East.ID,
				Action: domain.OwnerRecycle, Reason: "21 天没有拜访或阶段推进", At: at.Add(24 * time.Hour)}
			if ok, err := s.MoveCustomer(ctx, pooled.ID, lina.ID, 0, d.East.ID, back.At); err != nil || !ok {
				t.Fatalf("recycle: %v, %v", ok, err)
			}
			if err := s.AppendOwnerChange(ctx, &back); err != nil {
				t.Fatal(err)
			}
			got, err := s.OwnerChanges(ctx, domain.OwnerChangeFilter{TeamID: d.East.ID, From: at, To: at.Add(48 * time.Hour)})
			ch.Customer, back.Customer = pooled.Name, pooled.Name
			if diff := cmp.Diff([]domain.OwnerChange{ch, back}, got); diff != "" || err != nil {
				t.Errorf("OwnerChanges (-want +got) %v:\n%s", err, diff)
			}
			claims, _ := s.OwnerChanges(ctx, domain.OwnerChangeFilter{ToID: lina.ID, Action: domain.OwnerClaim})
			left, _ := s.OwnerChanges(ctx, domain.OwnerChangeFilter{CustomerID: pooled.ID, FromID: lina.ID})
			if len(claims) != 1 || len(left) != 1 || left[0].Action != domain.OwnerRecycle {
				t.Errorf("claims %+v, left %+v", claims, left)
			}
			entries, err := s.PoolCustomers(ctx, nil, "星河", 10)
			if err != nil || len(entries) != 1 || entries[0].PrevOwner != "李娜" || entries[0].Reason != back.Reason || !entries[0].Since.Equal(back.At) {
				t.Errorf("pool entry after recycling = %+v, %v", entries, err)
			}
		})

		t.Run("OwnedAndCount", func(t *testing.T) {
			c := d.Customer("金石重工股份有限公司")
			won := domain.Deal{CustomerID: c.ID, OwnerID: lina.ID, TeamID: d.East.ID, Stage: domain.StageWon, Status: domain.DealWon, LastActivityAt: at, CreatedAt: at}
			open := domain.Deal{CustomerID: c.ID, OwnerID: lina.ID, TeamID: d.East.ID, Stage: domain.StageQuote, Status: domain.DealOpen, LastActivityAt: at.Add(time.Hour), CreatedAt: at}
			for _, dl := range []*domain.Deal{&won, &open} {
				if err := s.CreateDeal(ctx, dl); err != nil {
					t.Fatal(err)
				}
			}
			n, err := s.CountOwned(ctx, lina.ID)
			if err != nil || n != 1 { // 华辰; 金石 has a won deal
				t.Errorf("CountOwned = %d, %v; want 1", n, err)
			}
			owned, err := s.QuietCustomers(ctx, domain.QuietFilter{TeamID: d.East.ID}) // no condition: every owned customer
			if err != nil || len(owned) != 6 {
				t.Fatalf("QuietCustomers = %d, %v; want 6", len(owned), err)
			}
			for _, o := range owned {
				if o.Customer.ID == c.ID && (o.OpenStage != domain.StageQuote || !o.LastWon.Equal(at) || !o.LastMove.Equal(at.Add(time.Hour))) {
					t.Errorf("金石 owned = %+v", o)
				}
			}
		})
	})
}
