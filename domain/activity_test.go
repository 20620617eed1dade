package domain_test

import (
	"testing"
	"time"

	"salesbot/domain"
)

// The customer's last visit and last activity, which the pool and risk
// jobs read from the customer's row, follow every change of its visits,
// deals and owner.
func TestLastActivityFollowsChanges(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		everything := domain.Date("2099-12-31")
		quiet := func(t *testing.T, name string, filter domain.QuietFilter) (domain.OwnedCustomer, bool) {
			t.Helper()
			filter.TeamID = f.East.ID
			got, err := f.store.QuietCustomers(f.ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range got {
				if o.Customer.Name == name {
					return o, true
				}
			}
			return domain.OwnedCustomer{}, false
		}
		lastVisit := func(t *testing.T, name string) domain.Date {
			t.Helper()
			o, ok := quiet(t, name, domain.QuietFilter{VisitBy: everything})
			if !ok {
				t.Fatalf("%s not listed", name)
			}
			return o.LastVisit
		}
		report := func(msgID, customer string, day domain.Date) domain.Recorded {
			f.clock.Advance(time.Minute)
			return f.record(t, lina, domain.Report{SourceMsgID: msgID, Facts: domain.Facts{Customer: customer, VisitDate: day}})
		}

		report("a0", "远帆物流", "2026-02-10")
		report("a00", "星海科技", "2026-02-15")
		first := report("a1", "星海科技", "2026-02-20")
		report("a2", "星海科技", "2026-02-25")
		if got := lastVisit(t, "星海科技"); got != "2026-02-25" {
			t.Errorf("after two visits: last visit %s, want 2026-02-25", got)
		}
		if _, err := f.svc.UndoLast(f.ctx, lina); err != nil {
			t.Fatal(err)
		}
		if got := lastVisit(t, "星海科技"); got != "2026-02-20" {
			t.Errorf("after undoing the later visit: last visit %s, want 2026-02-20", got)
		}
		if _, err := f.svc.Correct(f.ctx, lina, first.Visit.ID, []domain.Correction{{Field: domain.FieldVisitDate, Value: "2026-02-27"}}); err != nil {
			t.Fatal(err)
		}
		if got := lastVisit(t, "星海科技"); got != "2026-02-27" {
			t.Errorf("after correcting the date: last visit %s, want 2026-02-27", got)
		}
		// A visit moved to another customer: the first falls back on its
		// remaining visit.
		if _, err := f.svc.Correct(f.ctx, lina, first.Visit.ID, []domain.Correction{{Field: domain.FieldCustomer, Value: "远帆物流"}}); err != nil {
			t.Fatal(err)
		}
		if got := lastVisit(t, "星海科技"); got != "2026-02-15" {
			t.Errorf("after moving its latest visit away: last visit %s, want 2026-02-15", got)
		}
		if got := lastVisit(t, "远帆物流"); got != "2026-02-27" {
			t.Errorf("the customer the visit moved to: last visit %s, want 2026-02-27", got)
		}
		// A second report merged into the visit moves its deal on: the
		// deal's activity counts.
		f.clock.Advance(time.Hour)
		if _, err := f.svc.MergeReport(f.ctx, lina, first.Visit.ID, domain.Report{SourceMsgID: "a3", Facts: domain.Facts{Customer: "远帆物流", Stage: domain.StageQuote}}); err != nil {
			t.Fatal(err)
		}
		today := domain.DateOf(f.clock.Now(), cst)
		if _, ok := quiet(t, "远帆物流", domain.QuietFilter{ActiveBy: anyTier(today.AddDays(-2))}); ok {
			t.Errorf("远帆 is quiet since %s after its deal moved today", today.AddDays(-2))
		}
		if _, ok := quiet(t, "远帆物流", domain.QuietFilter{ActiveBy: anyTier(today)}); !ok {
			t.Errorf("远帆 not listed as active on or before today")
		}

		// Handed over: the new owner's clock starts today, for every customer.
		f.clock.Advance(10 * 24 * time.Hour)
		later := domain.DateOf(f.clock.Now(), cst)
		before, ok := quiet(t, "星海科技", domain.QuietFilter{ActiveBy: anyTier(later.AddDays(-2))})
		if !ok {
			t.Fatalf("星海 not quiet since %s before the handover", later.AddDays(-2))
		}
		if before.Customer.OwnerID != lina.ID {
			t.Errorf("星海 owned by %d", before.Customer.OwnerID)
		}
		if _, err := f.svc.HandOver(f.ctx, f.EastManager, lina.ID, wang.ID); err != nil {
			t.Fatal(err)
		}
		if o, ok := quiet(t, "星海科技", domain.QuietFilter{ActiveBy: anyTier(later.AddDays(-2))}); ok {
			t.Errorf("星海 still quiet after the handover: %+v", o)
		}
		if o, ok := quiet(t, "星海科技", domain.QuietFilter{ActiveBy: anyTier(later)}); !ok || o.Customer.OwnerID != wang.ID {
			t.Errorf("星海 after the handover: %+v, %v", o, ok)
		}
	})
}

// anyTier is the same day for every tier.
func anyTier(d domain.Date) map[domain.Tier]domain.Date {
	return map[domain.Tier]domain.Date{domain.TierA: d, domain.TierB: d, domain.TierC: d, "": d}
}
