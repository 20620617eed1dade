package domain_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/domain"
)

// A correction naming several fields applies each one, the deal and its
// history follow, and the card's revision moves on.
func TestCorrectSeveralFields(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		rec := f.record(t, lina, domain.Report{SourceMsgID: "m1", Facts: domain.Facts{Customer: "金石重工", Contacts: []string{"马经理"},
			Channel: domain.ChannelOnsite, Stage: domain.StageQuote, Amount: 500_000}})
		got, err := f.svc.Correct(f.ctx, lina, rec.Visit.ID, []domain.Correction{
			{Field: domain.FieldStage, Value: "negotiation"}, {Field: domain.FieldAmount, Value: "800000"},
			{Field: domain.FieldContacts, Value: "孙工"}, {Field: domain.FieldChannel, Value: "phone"},
			{Field: domain.FieldNextDate, Value: ""},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "[{stage 报价 谈判} {amount 50万 80万} {contacts 马经理 孙工} {channel 拜访 电话}]"
		if fmt.Sprint(got.Changes) != want || len(got.Unapplied) != 1 || got.Unapplied[0].Field != domain.FieldNextDate {
			t.Fatalf("Correct = %v / %+v", got.Changes, got.Unapplied)
		}
		v, _ := f.store.VisitByID(f.ctx, rec.Visit.ID)
		if v.Stage != domain.StageNegotiation || v.Amount != 800_000 || fmt.Sprint(v.Contacts) != "[孙工]" || v.Channel != domain.ChannelPhone || v.Rev != 1 {
			t.Errorf("stored visit = %+v", v)
		}
		d, _ := f.store.DealByID(f.ctx, rec.Deal.ID)
		hist, _ := f.store.StageHistory(f.ctx, d.ID)
		if d.Stage != domain.StageNegotiation || d.Amount != 800_000 || len(hist) != 1 || hist[0].To != domain.StageNegotiation || hist[0].Amount != 800_000 {
			t.Errorf("deal = %+v, history = %+v", d, hist)
		}
		// Nothing to apply: nothing changes, not even the revision.
		got, err = f.svc.Correct(f.ctx, lina, 0, []domain.Correction{{Field: domain.FieldContacts}})
		if err != nil || len(got.Changes) != 0 || got.Visit.Rev != 1 || fmt.Sprint(got.Visit.Contacts) != "[孙工]" {
			t.Errorf("empty correction = %+v %v", got, err)
		}
		// An undone record is not corrected.
		if _, err := f.svc.Undo(f.ctx, lina, rec.Visit.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Correct(f.ctx, lina, rec.Visit.ID, []domain.Correction{{Field: domain.FieldAmount, Value: "1"}})
		wantCode(t, err, domain.ECONFLICT)
	})
}

// Customer names are kept as written up to MaxNameRunes, and refused
// beyond it with a clear message.
func TestCustomerNameLimit(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		long := strings.Repeat("星", domain.MaxNameRunes-2) + "公司"
		rec := f.record(t, lina, domain.Report{SourceMsgID: "n1", Facts: domain.Facts{Customer: long}})
		if rec.Customer.Name != long {
			t.Errorf("name = %q", rec.Customer.Name)
		}
		tagged := "<b>星河</b>动力 & Co. *科技*"
		if rec := f.record(t, lina, domain.Report{SourceMsgID: "n2", Facts: domain.Facts{Customer: tagged}}); rec.Customer.Name != tagged {
			t.Errorf("name = %q, want as written", rec.Customer.Name)
		}
		_, err := f.svc.RecordReport(f.ctx, lina, domain.Report{Platform: domain.PlatformSim, SourceMsgID: "n3", Facts: domain.Facts{Customer: long + "啊"}})
		wantCode(t, err, domain.EINVALID)
		if !strings.Contains(domain.ErrorMessage(err), "最多 100 个字") {
			t.Errorf("message = %q", domain.ErrorMessage(err))
		}
	})
}

// A plan is a follow-up on its day about the customer, never a visit.
func TestPlanFollowUp(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		jinshi := f.Customer("金石重工股份有限公司")
		tomorrow := f.svc.Today().AddDays(1)
		tv, err := f.svc.PlanFollowUp(f.ctx, lina, jinshi.ID, tomorrow, "明天去拜访张总")
		if err != nil || tv.Customer != jinshi.Name || tv.Task.Due != tomorrow || tv.Task.CustomerID != jinshi.ID {
			t.Fatalf("PlanFollowUp = %+v %v", tv, err)
		}
		// No day, or a past one: today.
		tv, err = f.svc.PlanFollowUp(f.ctx, lina, 0, "2020-01-01", "约客户")
		if err != nil || tv.Task.Due != f.svc.Today() || tv.Customer != "" {
			t.Fatalf("PlanFollowUp = %+v %v", tv, err)
		}
		vs, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{MemberID: lina.ID})
		if len(vs) != 0 {
			t.Errorf("a plan stored visits: %+v", vs)
		}
		// A customer of another team is not planned on.
		_, err = f.svc.PlanFollowUp(f.ctx, lina, f.Customer("恒通银行股份有限公司").ID, tomorrow, "拜访")
		wantCode(t, err, domain.EFORBIDDEN)
	})
}

// A correction naming a customer finds the rep's latest record with it.
func TestLastVisitTo(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		first := f.record(t, lina, domain.Report{SourceMsgID: "l1", Facts: domain.Facts{Customer: "金石重工"}})
		f.clock.Advance(time.Minute)
		f.record(t, lina, domain.Report{SourceMsgID: "l2", Facts: domain.Facts{Customer: "华辰科技"}})
		v, err := f.svc.LastVisitTo(f.ctx, lina, "JSHI")
		if err != nil || v.ID != first.Visit.ID {
			t.Errorf("LastVisitTo = %+v %v", v, err)
		}
		_, err = f.svc.LastVisitTo(f.ctx, lina, "恒通银行")
		wantCode(t, err, domain.ENOTFOUND)
	})
}

// A lost deal keeps its competitor and reason, shown to the digest through
// the stage moves; an expected signing month stays on the deal.
func TestDealKeepsLossAndExpectedClose(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		rec := f.record(t, lina, domain.Report{SourceMsgID: "e1", Facts: domain.Facts{Customer: "金石重工", ExpectedClose: "2026-04"}})
		if d, _ := f.store.DealByID(f.ctx, rec.Deal.ID); d.ExpectedClose != "2026-04" {
			t.Errorf("expected close = %q", d.ExpectedClose)
		}
		f.clock.Advance(time.Minute)
		rec = f.record(t, lina, domain.Report{SourceMsgID: "e2", Facts: domain.Facts{Customer: "金石重工", Stage: domain.StageLost,
			LostTo: "华为", LostReason: "价格太高"}})
		d, _ := f.store.DealByID(f.ctx, rec.Deal.ID)
		if d.Stage != domain.StageLost || d.LostTo != "华为" || d.LostReason != "价格太高" || d.ExpectedClose != "2026-04" {
			t.Errorf("deal = %+v", d)
		}
		moves, err := f.store.StageMoves(f.ctx, domain.StageMoveFilter{TeamID: lina.TeamID, From: start.Add(-time.Hour),
			To: f.clock.Now().Add(time.Hour), ToStage: domain.StageLost})
		if err != nil || len(moves) != 1 || moves[0].LostTo != "华为" || moves[0].LostReason != "价格太高" {
			t.Errorf("lost moves = %+v %v", moves, err)
		}
	})
}
