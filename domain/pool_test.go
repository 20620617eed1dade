package domain_test

import (
	"sync"
	"testing"

	"salesbot/domain"
)

// Two reps claim the same pool customer at once: one gets it, the other is
// told it is taken, and one claim is in the history.
func TestClaimRace(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		pooled := domain.Customer{Name: "星河电子有限公司", Tier: domain.TierB, TeamID: f.East.ID}
		if err := f.store.CreateCustomer(f.ctx, &pooled); err != nil {
			t.Fatal(err)
		}
		reps := []domain.Member{f.EastReps[0], f.EastReps[1], f.EastReps[2]}
		errs := make([]error, len(reps))
		var wg sync.WaitGroup
		for i, m := range reps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Claim(f.ctx, m, "星河电子有限公司")
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch domain.ErrorCode(err) {
			case "":
				won++
			case domain.ECONFLICT, domain.EFORBIDDEN: // taken meanwhile, or seen as owned
			default:
				t.Errorf("claim: %v", err)
			}
		}
		c, _ := f.store.CustomerByID(f.ctx, pooled.ID)
		history, err := f.store.OwnerChanges(f.ctx, domain.OwnerChangeFilter{CustomerID: pooled.ID})
		if won != 1 || err != nil || len(history) != 1 || history[0].ToID != c.OwnerID || c.OwnerID == 0 {
			t.Errorf("%d claims won, owner %d, history %+v (%v); want one", won, c.OwnerID, history, err)
		}
	})
}

// A report on a pool customer takes it over and says so in the history.
func TestReportTakesPoolCustomer(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		pooled := domain.Customer{Name: "星河电子有限公司", Tier: domain.TierB}
		if err := f.store.CreateCustomer(f.ctx, &pooled); err != nil {
			t.Fatal(err)
		}
		lina := f.EastReps[0]
		f.record(t, lina, domain.Report{SourceMsgID: "p1", Facts: domain.Facts{Customer: "星河电子有限公司"}})
		c, _ := f.store.CustomerByID(f.ctx, pooled.ID)
		history, err := f.store.OwnerChanges(f.ctx, domain.OwnerChangeFilter{CustomerID: pooled.ID})
		if c.OwnerID != lina.ID || c.TeamID != lina.TeamID || err != nil || len(history) != 1 || history[0].Action != domain.OwnerReport {
			t.Errorf("customer %+v, history %+v (%v)", c, history, err)
		}
	})
}
