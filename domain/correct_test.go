package domain_test

import (
	"errors"
	"testing"
	"time"

	"salesbot/domain"
)

func TestCorrectLast(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		report := func(t *testing.T, msgID, customer string) domain.Recorded {
			t.Helper()
			f.clock.Advance(time.Minute)
			return f.record(t, lina, domain.Report{SourceMsgID: msgID, Facts: domain.Facts{Customer: customer, Stage: domain.StageProposal, Amount: 300_000, NextDate: "2026-03-05", NextAction: "发方案"}})
		}

		t.Run("Amount", func(t *testing.T) {
			rec := report(t, "c-amount", "华辰科技")
			got, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldAmount, Value: "880000"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Old != "30万" || got.New != "88万" || got.Visit.Amount != 880_000 || got.Deal.Amount != 880_000 {
				t.Errorf("CorrectLast = %+v", got)
			}
			if d, _ := f.store.DealByID(f.ctx, rec.Deal.ID); d.Amount != 880_000 {
				t.Errorf("stored deal amount %d", d.Amount)
			}
			_, err = f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldAmount, Value: "很多"})
			wantCode(t, err, domain.EINVALID)
		})

		t.Run("Stage", func(t *testing.T) {
			rec := report(t, "c-stage", "金石重工")
			got, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldStage, Value: "报价"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Visit.Stage != domain.StageQuote || got.Deal.Stage != domain.StageQuote || got.Old != "方案" || got.New != "报价" {
				t.Errorf("CorrectLast = %+v", got)
			}
			hist, _ := f.store.StageHistory(f.ctx, rec.Deal.ID)
			last := hist[len(hist)-1]
			if last.From != domain.StageProposal || last.To != domain.StageQuote || last.VisitID != rec.Visit.ID || last.MemberID != lina.ID {
				t.Errorf("last move = %+v", last)
			}
			// Correcting to lost closes the deal.
			got, err = f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldStage, Value: "lost"})
			if err != nil || got.Deal.Status != domain.DealLost {
				t.Errorf("to lost: %+v, %v", got.Deal, err)
			}
			_, err = f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldStage, Value: "快成了"})
			wantCode(t, err, domain.EINVALID)
		})

		t.Run("NextDate", func(t *testing.T) {
			rec := report(t, "c-next", "蓝鲸")
			got, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldNextDate, Value: "2026-03-12"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Visit.NextDate != "2026-03-12" || got.Old != "2026-03-05" {
				t.Errorf("CorrectLast = %+v", got)
			}
			tasks, _ := f.store.ListTasks(f.ctx, domain.TaskFilter{VisitID: rec.Visit.ID})
			if len(tasks) != 2 || tasks[0].Status != domain.TaskCancelled || tasks[0].Due != "2026-03-05" ||
				tasks[1].Status != domain.TaskOpen || tasks[1].Due != "2026-03-12" || tasks[1].Title != "发方案" {
				t.Errorf("tasks = %+v, want the old one cancelled and one open on 03-12", tasks)
			}
			// Clearing the date leaves no open follow-up.
			if _, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldNextDate, Value: ""}); err != nil {
				t.Fatal(err)
			}
			open, _ := f.store.ListTasks(f.ctx, domain.TaskFilter{VisitID: rec.Visit.ID, Status: domain.TaskOpen})
			if len(open) != 0 {
				t.Errorf("open tasks after clearing: %+v", open)
			}
		})

		t.Run("CustomerCreatedByMistake", func(t *testing.T) {
			// "星海" was a typo for 金石重工: the visit, its deal and its
			// follow-up move; the customer the typo created goes away.
			rec := report(t, "c-cust", "星海")
			got, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldCustomer, Value: "JSHI"})
			if err != nil {
				t.Fatal(err)
			}
			jinshi := f.Customer("金石重工股份有限公司")
			if got.Customer.ID != jinshi.ID || got.Visit.CustomerID != jinshi.ID || got.Old != "星海" || got.New != jinshi.Name {
				t.Errorf("CorrectLast = %+v", got)
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
			got, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldCustomer, Value: "云州一院"})
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
			if _, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: domain.FieldCustomer, Value: "德润医疗"}); err != nil {
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
					got, err := f.svc.CorrectLast(f.ctx, lina, tt.c)
					if err != nil {
						t.Fatal(err)
					}
					stored, _ := f.store.VisitByID(f.ctx, got.Visit.ID)
					if !tt.check(stored) {
						t.Errorf("stored visit %+v", stored)
					}
				})
			}
			_, err := f.svc.CorrectLast(f.ctx, lina, domain.Correction{Field: "owner", Value: "x"})
			wantCode(t, err, domain.EINVALID)
		})

		t.Run("NothingToCorrect", func(t *testing.T) {
			_, err := f.svc.CorrectLast(f.ctx, f.SouthReps[2], domain.Correction{Field: domain.FieldAmount, Value: "1"})
			wantCode(t, err, domain.ENOTFOUND)
		})
	})
}
