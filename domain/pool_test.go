package domain_test

import (
	"strings"
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
		// One audit entry: the winner's; the refused claims left none.
		trail, err := f.svc.AuditLog(f.ctx, f.EastManager, "", "")
		if err != nil || len(trail) != 1 || trail[0].Action != domain.AuditClaim || trail[0].ActorID != c.OwnerID ||
			trail[0].Before != "星河电子有限公司 在公海" {
			t.Errorf("audit %+v (%v)", trail, err)
		}

		// A manager gives it to another rep: the trail says from whom to whom.
		other := reps[0]
		if other.ID == c.OwnerID {
			other = reps[1]
		}
		if _, err := f.svc.Assign(f.ctx, f.EastManager, "星河电子有限公司", other.Name); err != nil {
			t.Fatal(err)
		}
		trail, _ = f.svc.AuditLog(f.ctx, f.Admin, "", "")
		if len(trail) != 2 || trail[1].Action != domain.AuditAssign || trail[1].Actor != f.EastManager.Name ||
			trail[1].After != "星河电子有限公司 负责人 "+other.Name || !strings.Contains(trail[1].Before, "负责人") {
			t.Errorf("audit after assign %+v", trail)
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
