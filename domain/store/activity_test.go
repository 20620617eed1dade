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

// activity reads a customer's stored activity columns.
func activity(t *testing.T, s *store.Store, id int64) (lastVisit string, activeOn *string) {
	t.Helper()
	row := s.DB().Raw("SELECT last_visit_on, active_on FROM customers WHERE id = ?", id).Row()
	if err := row.Scan(&lastVisit, &activeOn); err != nil {
		t.Fatal(err)
	}
	return lastVisit, activeOn
}

// The activity columns of rows loaded in bulk, or from before the columns
// existed, are computed by the migration (an upgraded deployment) and by
// the jobs' read (a bulk load), from the visits, deals and owner.
func TestCustomerActivityBackfill(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)
		b := store.Bulk{
			Teams:   []domain.Team{{ID: 1, Name: "回填组", CreatedAt: at}},
			Members: []domain.Member{{ID: 1, Name: "回填甲", Role: domain.RoleRep, TeamID: 1, SimUserID: "bf1", Active: true, CreatedAt: at}},
			Customers: []domain.Customer{
				{ID: 1, Name: "拜访过", Tier: domain.TierA, OwnerID: 1, TeamID: 1, OwnedSince: at, CreatedAt: at},
				{ID: 2, Name: "只有商机", Tier: domain.TierB, OwnerID: 1, TeamID: 1, OwnedSince: at, CreatedAt: at},
				{ID: 3, Name: "刚接手", Tier: domain.TierC, OwnerID: 1, TeamID: 1, OwnedSince: at.AddDate(0, 1, 0), CreatedAt: at},
			},
			Deals: []domain.Deal{
				{ID: 1, CustomerID: 1, OwnerID: 1, TeamID: 1, Stage: domain.StageQuote, Status: domain.DealOpen, LastActivityAt: at.AddDate(0, 0, 3), CreatedAt: at},
				{ID: 2, CustomerID: 2, OwnerID: 1, TeamID: 1, Stage: domain.StageWon, Status: domain.DealWon, LastActivityAt: at.AddDate(0, 0, 20), CreatedAt: at},
			},
		}
		undone := at.AddDate(0, 0, 15)
		for i, day := range []domain.Date{"2026-01-10", "2026-01-12", "2026-01-30"} {
			v := domain.Visit{ID: int64(i + 1), MemberID: 1, TeamID: 1, CustomerID: 1, DealID: 1, VisitDate: day,
				Platform: domain.PlatformSim, SourceMsgID: "bf" + string(day), CreatedAt: at}
			if day == "2026-01-30" {
				v.UndoneAt = &undone
			}
			b.Visits = append(b.Visits, v)
		}
		if err := s.BulkLoad(ctx, b); err != nil {
			t.Fatal(err)
		}
		want := map[int64][2]string{1: {"2026-01-12", "2026-01-12"}, 2: {"", "2026-01-25"}, 3: {"", "2026-02-05"}}
		check := func(t *testing.T) {
			t.Helper()
			for id, w := range want {
				last, active := activity(t, s, id)
				if last != w[0] || active == nil || *active != w[1] {
					t.Errorf("customer %d: last visit %q, active %v; want %q, %q", id, last, active, w[0], w[1])
				}
			}
		}

		// Loaded in bulk: computed by the first read.
		if _, active := activity(t, s, 1); active != nil {
			t.Errorf("a customer loaded in bulk has its activity before anyone computed it: %q", *active)
		}
		every := func(d domain.Date) map[domain.Tier]domain.Date {
			return map[domain.Tier]domain.Date{domain.TierA: d, domain.TierB: d, domain.TierC: d}
		}
		got, err := s.QuietCustomers(ctx, domain.QuietFilter{TeamID: 1, ActiveBy: every("2026-01-23")}) // 只有商机 was active 01-25: out, a day of slack included
		if err != nil || len(got) != 1 || got[0].Customer.ID != 1 || got[0].LastVisit != "2026-01-12" || got[0].OpenStage != domain.StageQuote {
			t.Errorf("QuietCustomers(active by 01-23) = %+v, %v; want 拜访过 alone", got, err)
		}
		check(t)
		got, err = s.QuietCustomers(ctx, domain.QuietFilter{TeamID: 1, Tier: domain.TierA, VisitBy: "2026-01-12"})
		if err != nil || len(got) != 1 || got[0].Customer.ID != 1 {
			t.Errorf("QuietCustomers(A, visited by 01-12) = %+v, %v", got, err)
		}
		got, err = s.QuietCustomers(ctx, domain.QuietFilter{TeamID: 1, VisitBy: "2026-01-10"})
		if err != nil || len(got) != 1 || got[0].Customer.ID != 2 { // never visited, owned since 01-05
			t.Errorf("QuietCustomers(visited by 01-10) = %+v, %v; want 只有商机", got, err)
		}

		for _, tt := range []struct {
			name string
			f    domain.QuietFilter
			want []int64
		}{
			{"EveryTier", domain.QuietFilter{ActiveBy: every("2026-02-10")}, []int64{1, 2, 3}},
			{"PerTier", domain.QuietFilter{ActiveBy: map[domain.Tier]domain.Date{domain.TierA: "2026-01-20", domain.TierC: "2026-01-20"}}, []int64{1}},
			{"NoTierGiven", domain.QuietFilter{ActiveBy: map[domain.Tier]domain.Date{}}, nil},
			{"ExceptOpenQuote", domain.QuietFilter{ActiveBy: every("2026-02-10"), ExceptOpenAt: []domain.Stage{domain.StageQuote}}, []int64{2, 3}},
			{"ExceptWonSince", domain.QuietFilter{ActiveBy: every("2026-02-10"), WonSince: at.AddDate(0, 0, 19)}, []int64{1, 3}},
			{"WonBefore", domain.QuietFilter{ActiveBy: every("2026-02-10"), WonSince: at.AddDate(0, 0, 21)}, []int64{1, 2, 3}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.f.TeamID = 1
				got, err := s.QuietCustomers(ctx, tt.f)
				var ids []int64
				for _, o := range got {
					ids = append(ids, o.Customer.ID)
				}
				if err != nil || !slices.Equal(ids, tt.want) {
					t.Errorf("QuietCustomers = %v, %v; want %v", ids, err, tt.want)
				}
			})
		}

		// An upgrade: the columns are new and empty; migrating fills them.
		if err := s.DB().Exec("UPDATE customers SET last_visit_on = '', active_on = NULL").Error; err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		check(t)
	})
}
