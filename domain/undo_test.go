package domain_test

import (
	"errors"
	"testing"
	"time"

	"salesbot/domain"
)

func TestUndoLastRemovesWhatItCreated(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		r := domain.Report{SourceMsgID: "u1", Facts: domain.Facts{Customer: "星海科技", Stage: domain.StageQuote, Amount: 100_000, NextDate: "2026-03-04"}}
		rec := f.record(t, lina, r)
		f.clock.Advance(time.Minute)

		undone, err := f.svc.UndoLast(f.ctx, lina)
		if err != nil {
			t.Fatal(err)
		}
		if undone.Visit.ID != rec.Visit.ID || undone.Customer.Name != "星海科技" || !undone.Visit.Undone() {
			t.Errorf("UndoLast = %+v", undone)
		}
		if _, err := f.store.CustomerByID(f.ctx, rec.Customer.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("created customer still there: %v", err)
		}
		if _, err := f.store.DealByID(f.ctx, rec.Deal.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("created deal still there: %v", err)
		}
		task, err := f.store.TaskByID(f.ctx, rec.Task.ID)
		if err != nil || task.Status != domain.TaskCancelled {
			t.Errorf("task = %+v, %v; want cancelled", task, err)
		}
		if vs, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{MemberID: lina.ID}); len(vs) != 0 {
			t.Errorf("undone visit still listed: %v", vs)
		}

		// The platform delivers the message again: nothing comes back.
		again, err := f.svc.RecordReport(f.ctx, lina, domain.Report{Platform: domain.PlatformSim, SourceMsgID: "u1", Facts: domain.Facts{Customer: "星海科技"}})
		if err != nil {
			t.Fatalf("redelivery after undo: %v", err)
		}
		if !again.Duplicate || !again.Visit.Undone() {
			t.Errorf("redelivery after undo = %+v, want the undone record as Duplicate", again)
		}
		if cs, _ := f.store.FindCustomersByName(f.ctx, "星海科技"); len(cs) != 0 {
			t.Errorf("redelivery recreated the customer: %v", cs)
		}
		if ds, _ := f.store.ListDeals(f.ctx, domain.DealFilter{}); len(ds) != 0 {
			t.Errorf("redelivery recreated a deal: %v", ds)
		}

		// Nothing left to undo.
		_, err = f.svc.UndoLast(f.ctx, lina)
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestUndoLastRevertsStage(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		first := f.record(t, lina, domain.Report{SourceMsgID: "s1", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageProposal}})
		f.clock.Advance(time.Hour)
		second := f.record(t, lina, domain.Report{SourceMsgID: "s2", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageNegotiation, NextDate: "2026-03-10"}})
		f.clock.Advance(time.Hour)

		if _, err := f.svc.UndoLast(f.ctx, lina); err != nil {
			t.Fatal(err)
		}
		deal, err := f.store.DealByID(f.ctx, first.Deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if deal.Stage != domain.StageProposal || deal.Status != domain.DealOpen {
			t.Errorf("deal after undo: %s/%s, want proposal/open", deal.Stage, deal.Status)
		}
		hist, _ := f.store.StageHistory(f.ctx, deal.ID)
		if len(hist) != 1 || hist[0].To != domain.StageProposal {
			t.Errorf("history after undo = %+v, want only the opening move", hist)
		}
		if task, _ := f.store.TaskByID(f.ctx, second.Task.ID); task.Status != domain.TaskCancelled {
			t.Errorf("task status %s, want cancelled", task.Status)
		}
		if _, err := f.store.CustomerByID(f.ctx, first.Customer.ID); err != nil {
			t.Errorf("known customer removed: %v", err)
		}

		// Undo again takes back the first report, which opened the deal.
		if _, err := f.svc.UndoLast(f.ctx, lina); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.DealByID(f.ctx, first.Deal.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("deal opened by the first report: %v, want removed", err)
		}
		if _, err := f.store.CustomerByID(f.ctx, first.Customer.ID); err != nil {
			t.Errorf("known customer removed: %v", err)
		}
	})
}

func TestUndoLastOnlyOwnRecords(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		f.record(t, lina, domain.Report{SourceMsgID: "o1", Facts: domain.Facts{Customer: "华辰科技"}})
		_, err := f.svc.UndoLast(f.ctx, wang)
		wantCode(t, err, domain.ENOTFOUND)
		if vs, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{}); len(vs) != 1 {
			t.Errorf("%d visits, want lina's still there", len(vs))
		}
	})
}

// Undoing an older report keeps the moves made after it: the deal is
// recomputed from the history that remains.
func TestUndoOlderReportKeepsLaterMoves(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		f.record(t, lina, domain.Report{SourceMsgID: "k1", Facts: domain.Facts{Customer: "华辰科技", Amount: 500_000}})
		quote := f.record(t, lina, domain.Report{SourceMsgID: "k2", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageQuote, Amount: 800_000}})
		f.record(t, lina, domain.Report{SourceMsgID: "k3", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageNegotiation}})
		if _, err := f.svc.Undo(f.ctx, lina, quote.Visit.ID); err != nil {
			t.Fatal(err)
		}
		d, err := f.store.DealByID(f.ctx, quote.Deal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Stage != domain.StageNegotiation {
			t.Errorf("stage after undoing the quote report = %s, want negotiation (a later move)", d.Stage)
		}
		if d.Amount != 500_000 {
			t.Errorf("amount = %d, want 500000 (the newest remaining report's)", d.Amount)
		}
		hist, _ := f.store.StageHistory(f.ctx, d.ID)
		for _, h := range hist {
			if h.VisitID == quote.Visit.ID {
				t.Errorf("history keeps the undone report's move %+v", h)
			}
		}
	})
}
