package domain_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"salesbot/domain"
)

func TestRecordReportNewCustomer(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		got := f.record(t, lina, domain.Report{SourceMsgID: "m1", Text: "今天拜访星海科技陈总和李工，发了报价50万，周五再去", At: start, Facts: domain.Facts{Customer: "星海科技", Contacts: []string{"陈总", "李工"}, Channel: domain.ChannelOnsite, Stage: domain.StageQuote, Amount: 500_000, NextDate: "2026-03-06", NextAction: "上门讲方案"}})

		if !got.NewCustomer || got.Duplicate {
			t.Errorf("NewCustomer = %v, Duplicate = %v; want true, false", got.NewCustomer, got.Duplicate)
		}
		c := got.Customer
		if c.Name != "星海科技" || c.OwnerID != lina.ID || c.TeamID != f.East.ID || c.Tier != domain.TierC {
			t.Errorf("customer = %+v", c)
		}
		stored, err := f.store.CustomerByID(f.ctx, c.ID)
		if err != nil || stored.Name != "星海科技" {
			t.Errorf("stored customer = %+v, %v", stored, err)
		}

		d := got.Deal
		if d.CustomerID != c.ID || d.OwnerID != lina.ID || d.Stage != domain.StageQuote ||
			d.Status != domain.DealOpen || d.Amount != 500_000 || !d.LastActivityAt.Equal(start) {
			t.Errorf("deal = %+v", d)
		}
		if stored, _ := f.store.DealByID(f.ctx, d.ID); stored.Stage != domain.StageQuote || stored.Amount != 500_000 {
			t.Errorf("stored deal = %+v", stored)
		}

		v := got.Visit
		wantVisit := domain.Visit{
			ID: v.ID, MemberID: lina.ID, TeamID: f.East.ID, CustomerID: c.ID, DealID: d.ID,
			Channel: domain.ChannelOnsite, VisitDate: "2026-03-02", Contacts: []string{"陈总", "李工"},
			Stage: domain.StageQuote, Amount: 500_000, NextAction: "上门讲方案", NextDate: "2026-03-06",
			Platform: domain.PlatformSim, SourceMsgID: "m1", RawText: "今天拜访星海科技陈总和李工，发了报价50万，周五再去",
			ReportedAt: start, CreatedCustomer: true, CreatedDeal: true, CreatedAt: start,
		}
		storedVisit, err := f.store.VisitByID(f.ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantVisit, storedVisit); diff != "" {
			t.Errorf("stored visit (-want +got):\n%s", diff)
		}

		hist, err := f.store.StageHistory(f.ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantHist := []domain.StageChange{{DealID: d.ID, TeamID: d.TeamID, VisitID: v.ID, MemberID: lina.ID, From: "", To: domain.StageQuote, Amount: 500_000, At: start}}
		if diff := cmp.Diff(wantHist, hist, cmpopts.IgnoreFields(domain.StageChange{}, "ID")); diff != "" {
			t.Errorf("stage history (-want +got):\n%s", diff)
		}
		if got.StageChange == nil || got.StageChange.ID != hist[0].ID {
			t.Errorf("Recorded.StageChange = %+v, want %+v", got.StageChange, hist[0])
		}

		tasks, err := f.store.ListTasks(f.ctx, domain.TaskFilter{OwnerID: lina.ID})
		if err != nil {
			t.Fatal(err)
		}
		wantTasks := []domain.Task{{
			OwnerID: lina.ID, TeamID: f.East.ID, CustomerID: c.ID, DealID: d.ID, VisitID: v.ID,
			Title: "上门讲方案", Due: "2026-03-06", Status: domain.TaskOpen, CreatedAt: start,
		}}
		if diff := cmp.Diff(wantTasks, tasks, cmpopts.IgnoreFields(domain.Task{}, "ID")); diff != "" {
			t.Errorf("tasks (-want +got):\n%s", diff)
		}

		contacts, err := f.store.ListContacts(f.ctx, c.ID)
		if err != nil || len(contacts) != 2 {
			t.Errorf("contacts = %v, %v; want 陈总, 李工", contacts, err)
		}
	})
}

func TestRecordReportKnownCustomer(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		jinshi := f.Customer("金石重工股份有限公司") // owned by 李娜
		wang := f.EastReps[1]
		tests := []struct {
			name string
			r    domain.Report
		}{
			{"LatinAliasAnyCase", domain.Report{SourceMsgID: "a1", Facts: domain.Facts{Customer: "jshi"}}},
			{"ChineseAlias", domain.Report{SourceMsgID: "a2", Facts: domain.Facts{Customer: "金石重工"}}},
			{"ChosenByID", domain.Report{SourceMsgID: "a3", CustomerID: jinshi.ID, Facts: domain.Facts{Customer: "别的名字"}}},
		}
		var dealID int64
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := f.record(t, wang, tt.r)
				if got.NewCustomer || got.Customer.ID != jinshi.ID {
					t.Errorf("customer = %d (new %v), want %d", got.Customer.ID, got.NewCustomer, jinshi.ID)
				}
				// The deal belongs to the customer's owner, whoever reported.
				if got.Deal.OwnerID != jinshi.OwnerID {
					t.Errorf("deal owner = %d, want %d", got.Deal.OwnerID, jinshi.OwnerID)
				}
				if i == 0 {
					dealID = got.Deal.ID
				} else if got.Deal.ID != dealID {
					t.Errorf("deal = %d, want the open deal %d", got.Deal.ID, dealID)
				}
				if got.Visit.CreatedCustomer || got.Visit.CreatedDeal != (i == 0) {
					t.Errorf("visit created customer %v, deal %v", got.Visit.CreatedCustomer, got.Visit.CreatedDeal)
				}
			})
		}
		t.Run("Ambiguous", func(t *testing.T) {
			_, err := f.svc.RecordReport(f.ctx, wang, domain.Report{Platform: domain.PlatformSim, SourceMsgID: "a4", Facts: domain.Facts{Customer: "德润"}})
			wantCode(t, err, domain.EINVALID)
		})
	})
}

func TestRecordReportInvalid(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		gone := lina
		gone.Active = false
		tests := []struct {
			name  string
			actor domain.Member
			r     domain.Report
			want  string
		}{
			{"NoCustomer", lina, domain.Report{SourceMsgID: "x1"}, domain.EINVALID},
			{"NoMessageID", lina, domain.Report{Facts: domain.Facts{Customer: "华辰科技"}}, domain.EINVALID},
			{"BadStage", lina, domain.Report{SourceMsgID: "x2", Facts: domain.Facts{Customer: "华辰科技", Stage: "done"}}, domain.EINVALID},
			{"NegativeAmount", lina, domain.Report{SourceMsgID: "x3", Facts: domain.Facts{Customer: "华辰科技", Amount: -1}}, domain.EINVALID},
			{"UnknownCustomerID", lina, domain.Report{SourceMsgID: "x4", CustomerID: 99999}, domain.ENOTFOUND},
			{"Departed", gone, domain.Report{SourceMsgID: "x5", Facts: domain.Facts{Customer: "华辰科技"}}, domain.EFORBIDDEN},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.r.Platform = domain.PlatformSim
				_, err := f.svc.RecordReport(f.ctx, tt.actor, tt.r)
				wantCode(t, err, tt.want)
			})
		}
		visits, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{})
		if len(visits) != 0 {
			t.Errorf("refused reports stored %d visits", len(visits))
		}
	})
}

func TestRecordReportRedelivered(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		r := domain.Report{SourceMsgID: "dup-1", At: start, Facts: domain.Facts{Customer: "星海科技", Stage: domain.StageProposal, NextDate: "2026-03-05"}}
		first := f.record(t, lina, r)
		f.clock.Advance(time.Minute)
		again := f.record(t, lina, r)
		if !again.Duplicate || again.Visit.ID != first.Visit.ID || again.Deal.ID != first.Deal.ID ||
			again.Customer.ID != first.Customer.ID || !again.NewCustomer {
			t.Errorf("redelivery = %+v, want the first record marked Duplicate", again)
		}
		if again.Task == nil || again.Task.ID != first.Task.ID {
			t.Errorf("redelivery task = %+v, want %+v", again.Task, first.Task)
		}
		// The same message id on another platform is another message.
		r.Platform = domain.PlatformWeCom
		other := f.record(t, lina, r)
		if other.Duplicate || other.Visit.ID == first.Visit.ID {
			t.Errorf("other platform = %+v, want a new record", other)
		}
	})
}

// A platform that does not hear back in time delivers the same message
// again, possibly to several replicas at once.
func TestRecordReportConcurrentRedelivery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		customer string
	}{
		{"NewCustomer", "星海科技"},
		{"KnownCustomer", "蓝鲸"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			forEach(t, func(t *testing.T, f fixture) {
				lina := f.EastReps[0]
				r := domain.Report{Platform: domain.PlatformWeCom, SourceMsgID: "7412345678901", Facts: domain.Facts{Customer: tt.customer, Contacts: []string{"陈总"}, Stage: domain.StageQuote, Amount: 200_000, NextDate: "2026-03-09"}}
				const n = 8
				var wg sync.WaitGroup
				got := make([]domain.Recorded, n)
				errs := make([]error, n)
				for i := range n {
					wg.Go(func() { got[i], errs[i] = f.svc.RecordReport(f.ctx, lina, r) })
				}
				wg.Wait()

				fresh := 0
				for i := range n {
					if errs[i] != nil {
						t.Errorf("delivery %d: %v", i, errs[i])
						continue
					}
					if !got[i].Duplicate {
						fresh++
					}
					if got[i].Visit.ID != got[0].Visit.ID {
						t.Errorf("delivery %d: visit %d, want %d", i, got[i].Visit.ID, got[0].Visit.ID)
					}
				}
				if fresh != 1 {
					t.Errorf("%d deliveries stored the report, want exactly 1", fresh)
				}
				customers, _ := f.store.FindCustomersByName(f.ctx, tt.customer)
				visits, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{})
				deals, _ := f.store.ListDeals(f.ctx, domain.DealFilter{})
				tasks, _ := f.store.ListTasks(f.ctx, domain.TaskFilter{})
				contacts, _ := f.store.ListContacts(f.ctx, got[0].Customer.ID)
				counts := map[string]int{
					"customers": len(customers), "visits": len(visits), "deals": len(deals),
					"tasks": len(tasks), "contacts": len(contacts),
				}
				want := map[string]int{"customers": 1, "visits": 1, "deals": 1, "tasks": 1, "contacts": 1}
				if diff := cmp.Diff(want, counts); diff != "" {
					t.Errorf("rows after %d deliveries (-want +got):\n%s", n, diff)
				}
				if len(deals) == 1 {
					hist, _ := f.store.StageHistory(f.ctx, deals[0].ID)
					if len(hist) != 1 {
						t.Errorf("stage history has %d moves, want 1", len(hist))
					}
				}
			})
		})
	}
}

// Teammates name the same new customer at the same moment: one customer,
// every report kept.
func TestRecordReportConcurrentNewCustomer(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		reps := append(f.EastReps, f.EastManager)
		var wg sync.WaitGroup
		errs := make([]error, len(reps))
		for i, rep := range reps {
			wg.Go(func() {
				_, errs[i] = f.svc.RecordReport(f.ctx, rep, domain.Report{Platform: domain.PlatformSim, SourceMsgID: fmt.Sprintf("new-%d", i), Facts: domain.Facts{Customer: "星海科技"}})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("rep %d: %v", i, err)
			}
		}
		customers, _ := f.store.FindCustomersByName(f.ctx, "星海科技")
		if len(customers) != 1 {
			t.Fatalf("%d customers named 星海科技, want 1", len(customers))
		}
		visits, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{CustomerID: customers[0].ID})
		if len(visits) != len(reps) {
			t.Errorf("%d visits, want %d", len(visits), len(reps))
		}
		created := 0
		for _, v := range visits {
			if v.CreatedCustomer {
				created++
			}
		}
		if created != 1 {
			t.Errorf("%d visits claim to have created the customer, want 1", created)
		}
	})
}

// The deal only moves forward along the funnel (or to lost), and every move
// is kept with who made it, from which report and at what amount.
func TestRecordReportStageHistory(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, manager := f.EastReps[0], f.EastManager
		steps := []struct {
			actor     domain.Member
			stage     domain.Stage
			amount    int64
			wantStage domain.Stage
			moved     bool
		}{
			{lina, "", 0, domain.StageProspecting, true}, // opened
			{lina, domain.StageProposal, 300_000, domain.StageProposal, true},
			{lina, domain.StageQualification, 0, domain.StageProposal, false}, // backwards: ignored
			{manager, domain.StageQuote, 500_000, domain.StageQuote, true},
			{lina, domain.StageQuote, 450_000, domain.StageQuote, false}, // same stage, new amount
			{lina, domain.StageLost, 0, domain.StageLost, true},
		}
		var (
			deal domain.Deal
			want []domain.StageChange
		)
		from := domain.Stage("")
		for i, st := range steps {
			f.clock.Advance(time.Hour)
			got := f.record(t, st.actor, domain.Report{SourceMsgID: fmt.Sprintf("h%d", i), Facts: domain.Facts{Customer: "华辰科技", Stage: st.stage, Amount: st.amount}})
			if i > 0 && got.Deal.ID != deal.ID {
				t.Fatalf("step %d: deal %d, want %d", i, got.Deal.ID, deal.ID)
			}
			deal = got.Deal
			if deal.Stage != st.wantStage || (got.StageChange != nil) != st.moved {
				t.Errorf("step %d: stage %s, moved %v; want %s, %v", i, deal.Stage, got.StageChange != nil, st.wantStage, st.moved)
			}
			if st.moved {
				want = append(want, domain.StageChange{
					DealID: deal.ID, TeamID: deal.TeamID, VisitID: got.Visit.ID, MemberID: st.actor.ID,
					From: from, To: st.wantStage, Amount: deal.Amount, At: f.clock.Now(),
				})
				from = st.wantStage
			}
		}
		hist, err := f.store.StageHistory(f.ctx, deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, hist, cmpopts.IgnoreFields(domain.StageChange{}, "ID")); diff != "" {
			t.Errorf("stage history (-want +got):\n%s", diff)
		}
		if deal.Status != domain.DealLost || deal.Amount != 450_000 {
			t.Errorf("final deal = %+v, want lost at 450000", deal)
		}

		// A lost deal is closed: the next report opens a new one.
		next := f.record(t, lina, domain.Report{SourceMsgID: "h-next", Facts: domain.Facts{Customer: "华辰科技"}})
		if next.Deal.ID == deal.ID || !next.Visit.CreatedDeal {
			t.Errorf("report after lost: deal %d (created %v), want a new deal", next.Deal.ID, next.Visit.CreatedDeal)
		}
	})
}

// Another team's customer cannot be written to: its deal, stage and amount
// stay as they were, and the refusal says whose it is.
func TestRecordReportOtherTeamsCustomer(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, yang := f.EastReps[0], f.SouthReps[0]
		first := f.record(t, lina, domain.Report{SourceMsgID: "o1", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageQuote, Amount: 800_000}})
		_, err := f.svc.RecordReport(f.ctx, yang, domain.Report{Platform: domain.PlatformSim, SourceMsgID: "o2", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageNegotiation, Amount: 1_200_000}})
		wantCode(t, err, domain.EFORBIDDEN)
		if !strings.Contains(domain.ErrorMessage(err), "李娜") {
			t.Errorf("refusal = %q, want it to name the owner", domain.ErrorMessage(err))
		}
		d, _ := f.store.DealByID(f.ctx, first.Deal.ID)
		if d.Stage != domain.StageQuote || d.Amount != 800_000 {
			t.Errorf("deal = %s %d after a refused report, want quote 800000", d.Stage, d.Amount)
		}
		// A teammate may report on it (a joint visit) but does not read the deal.
		wang := f.EastReps[1]
		got := f.record(t, wang, domain.Report{SourceMsgID: "o3", Facts: domain.Facts{Customer: "华辰科技"}})
		if !got.DealHidden || got.Deal.ID != first.Deal.ID {
			t.Errorf("teammate's report: hidden %v deal %d; want hidden, on %d", got.DealHidden, got.Deal.ID, first.Deal.ID)
		}
		if own := f.record(t, lina, domain.Report{SourceMsgID: "o4", Facts: domain.Facts{Customer: "华辰科技"}}); own.DealHidden {
			t.Error("the owner's own deal is hidden")
		}
	})
}
