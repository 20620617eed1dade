package domain_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"salesbot/domain"
)

func TestCorrect(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		correct := func(actor domain.Member, cs ...domain.Correction) (domain.Corrected, error) {
			return f.svc.Correct(f.ctx, actor, 0, cs)
		}
		report := func(t *testing.T, msgID, customer string) domain.Recorded {
			t.Helper()
			f.clock.Advance(time.Minute)
			return f.record(t, lina, domain.Report{SourceMsgID: msgID, Facts: domain.Facts{Customer: customer, Stage: domain.StageProposal, Amount: 300_000, NextDate: "2026-03-05", NextAction: "发方案"}})
		}

		t.Run("Amount", func(t *testing.T) {
			rec := report(t, "c-amount", "华辰科技")
			got, err := correct(lina, domain.Correction{Field: domain.FieldAmount, Value: "880000"})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got.Changes) != "[{amount 30万 88万}]" || got.Visit.Amount != 880_000 || got.Deal.Amount != 880_000 {
				t.Errorf("Correct = %+v", got)
			}
			if d, _ := f.store.DealByID(f.ctx, rec.Deal.ID); d.Amount != 880_000 {
				t.Errorf("stored deal amount %d", d.Amount)
			}
			// A value that cannot be read is named, and nothing else changes.
			got, err = correct(lina, domain.Correction{Field: domain.FieldAmount, Value: "很多"})
			if err != nil || len(got.Changes) != 0 || len(got.Unapplied) != 1 || got.Unapplied[0].Field != domain.FieldAmount || got.Visit.Amount != 880_000 {
				t.Errorf("unreadable amount: %+v %v", got, err)
			}
		})

		t.Run("Stage", func(t *testing.T) {
			rec := report(t, "c-stage", "金石重工")
			got, err := correct(lina, domain.Correction{Field: domain.FieldStage, Value: "报价"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Visit.Stage != domain.StageQuote || got.Deal.Stage != domain.StageQuote || fmt.Sprint(got.Changes) != "[{stage 方案 报价}]" {
				t.Errorf("Correct = %+v", got)
			}
			// The report's own move is replaced: the history reads as if it had said quote.
			hist, _ := f.store.StageHistory(f.ctx, rec.Deal.ID)
			last := hist[len(hist)-1]
			if len(hist) != 1 || last.From != "" || last.To != domain.StageQuote || last.VisitID != rec.Visit.ID || last.MemberID != lina.ID {
				t.Errorf("history = %+v", hist)
			}
			for _, h := range hist {
				if h.To == domain.StageProposal {
					t.Errorf("the misread stage stays in the history: %+v", hist)
				}
			}
			// Correcting to lost closes the deal.
			got, err = correct(lina, domain.Correction{Field: domain.FieldStage, Value: "lost"})
			if err != nil || got.Deal.Status != domain.DealLost {
				t.Errorf("to lost: %+v, %v", got.Deal, err)
			}
			got, err = correct(lina, domain.Correction{Field: domain.FieldStage, Value: "快成了"})
			if err != nil || len(got.Unapplied) != 1 || got.Deal.Stage != domain.StageLost {
				t.Errorf("unknown stage: %+v %v", got, err)
			}
		})

		t.Run("NextDate", func(t *testing.T) {
			rec := report(t, "c-next", "蓝鲸")
			got, err := correct(lina, domain.Correction{Field: domain.FieldNextDate, Value: "2026-03-12"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Visit.NextDate != "2026-03-12" || fmt.Sprint(got.Changes) != "[{next_date 2026-03-05 2026-03-12}]" {
				t.Errorf("Correct = %+v", got)
			}
			tasks, _ := f.store.ListTasks(f.ctx, domain.TaskFilter{VisitID: rec.Visit.ID})
			if len(tasks) != 2 || tasks[0].Status != domain.TaskCancelled || tasks[0].Due != "2026-03-05" ||
				tasks[1].Status != domain.TaskOpen || tasks[1].Due != "2026-03-12" || tasks[1].Title != "发方案" {
				t.Errorf("tasks = %+v, want the old one cancelled and one open on 03-12", tasks)
			}
			// A correction without a value empties nothing.
			got, err = correct(lina, domain.Correction{Field: domain.FieldNextDate, Value: ""})
			if err != nil || len(got.Unapplied) != 1 || got.Visit.NextDate != "2026-03-12" {
				t.Fatalf("empty correction: %+v %v", got, err)
			}
			open, _ := f.store.ListTasks(f.ctx, domain.TaskFilter{VisitID: rec.Visit.ID, Status: domain.TaskOpen})
			if len(open) != 1 {
				t.Errorf("open tasks after an empty correction: %+v", open)
			}
		})

		t.Run("CustomerCreatedByMistake", func(t *testing.T) {
			// "星海" was a typo for 金石重工: the visit, its deal and its
			// follow-up move; the customer the typo created goes away.
			rec := report(t, "c-cust", "星海")
			got, err := correct(lina, domain.Correction{Field: domain.FieldCustomer, Value: "JSHI"})
			if err != nil {
				t.Fatal(err)
			}
			jinshi := f.Customer("金石重工股份有限公司")
			if got.Customer.ID != jinshi.ID || got.Visit.CustomerID != jinshi.ID || fmt.Sprint(got.Changes) != "[{customer 星海 "+jinshi.Name+"}]" {
				t.Errorf("Correct = %+v", got)
			}
			if _, err := f.store.CustomerByID(f.ctx, rec.Customer.ID); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("typo customer: %v, want removed", err)
			}
			tasks, _ := f.store.ListTasks(f.ctx, domain.TaskFilter{VisitID: rec.Visit.ID, Status: domain.TaskOpen})
			if len(tasks) != 1 || tasks[0].CustomerID != jinshi.ID || tasks[0].DealID != got.Visit.DealID {
				t.Errorf("open tasks = %+v, want one on 金石重工", tasks)
			}
		})

		t.Run("CustomerOfKnownDeal", func(t *testing.T) {
			// A report on 华辰 (whose deal it advanced) was about 云州一院.
			before, _ := f.store.OpenDealOf(f.ctx, f.Customer("华辰科技有限公司").ID)
			rec := report(t, "c-cust2", "华辰科技")
			if rec.Deal.ID != before.ID {
				t.Fatalf("report used deal %d, want the open deal %d", rec.Deal.ID, before.ID)
			}
			got, err := correct(lina, domain.Correction{Field: domain.FieldCustomer, Value: "云州一院"})
			if err != nil {
				t.Fatal(err)
			}
			uph := f.Customer("云州市第一人民医院")
			if got.Visit.CustomerID != uph.ID || got.Deal.CustomerID != uph.ID || got.Deal.ID == before.ID {
				t.Errorf("visit/deal = %d/%+v, want on 云州一院's own deal", got.Visit.CustomerID, got.Deal)
			}
			if got.Deal.Stage != domain.StageProposal || got.Deal.Amount != 300_000 {
				t.Errorf("new deal %+v, want the report's stage and amount", got.Deal)
			}
			if _, err := f.store.CustomerByID(f.ctx, before.CustomerID); err != nil {
				t.Errorf("known customer removed: %v", err)
			}
		})

		t.Run("CustomerRevertsOldDealStage", func(t *testing.T) {
			// The report moved 德润精密's deal to quote, but was about 德润医疗.
			xfj := f.Customer("德润精密机械有限公司")
			opened := report(t, "c-cust3a", xfj.Name)
			f.clock.Advance(time.Minute)
			f.record(t, lina, domain.Report{SourceMsgID: "c-cust3b", CustomerID: xfj.ID, Facts: domain.Facts{Stage: domain.StageQuote}})
			if _, err := correct(lina, domain.Correction{Field: domain.FieldCustomer, Value: "德润医疗"}); err != nil {
				t.Fatal(err)
			}
			old, _ := f.store.DealByID(f.ctx, opened.Deal.ID)
			if old.Stage != domain.StageProposal {
				t.Errorf("德润精密 deal at %s, want back at proposal", old.Stage)
			}
			hist, _ := f.store.StageHistory(f.ctx, old.ID)
			if last := hist[len(hist)-1]; last.To != domain.StageProposal {
				t.Errorf("德润精密 history ends with %+v, want the proposal move", last)
			}
		})

		t.Run("OtherFields", func(t *testing.T) {
			report(t, "c-other", "华辰科技")
			tests := []struct {
				c     domain.Correction
				check func(v domain.Visit) bool
			}{
				{domain.Correction{Field: domain.FieldChannel, Value: "电话"}, func(v domain.Visit) bool { return v.Channel == domain.ChannelPhone }},
				{domain.Correction{Field: domain.FieldVisitDate, Value: "2026/03/01"}, func(v domain.Visit) bool { return v.VisitDate == "2026-03-01" }},
				{domain.Correction{Field: domain.FieldContacts, Value: "张总|王工"}, func(v domain.Visit) bool { return len(v.Contacts) == 2 }},
				{domain.Correction{Field: domain.FieldSummary, Value: "聊了预算"}, func(v domain.Visit) bool { return v.Summary == "聊了预算" }},
			}
			for _, tt := range tests {
				t.Run(tt.c.Field, func(t *testing.T) {
					got, err := correct(lina, tt.c)
					if err != nil {
						t.Fatal(err)
					}
					stored, _ := f.store.VisitByID(f.ctx, got.Visit.ID)
					if !tt.check(stored) {
						t.Errorf("stored visit %+v", stored)
					}
				})
			}
			_, err := correct(lina, domain.Correction{Field: "owner", Value: "x"})
			wantCode(t, err, domain.EINVALID)
		})

		t.Run("NothingToCorrect", func(t *testing.T) {
			_, err := correct(f.SouthReps[2], domain.Correction{Field: domain.FieldAmount, Value: "1"})
			wantCode(t, err, domain.ENOTFOUND)
		})
	})
}
