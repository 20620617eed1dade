package domain_test

import (
	"strconv"
	"strings"
	"testing"

	"salesbot/domain"
)

// Every change to someone else's data or to ownership leaves an entry (who,
// what, before and after), written with the change; managers read their
// team's trail, admins everything, reps none of it.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		f.record(t, lina, domain.Report{SourceMsgID: "a1", Facts: domain.Facts{Customer: "华辰科技"}})

		if _, err := f.svc.HandOver(f.ctx, f.EastManager, lina.ID, wang.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetTeamSetting(f.ctx, f.EastManager, f.East.ID, "digest.time", "19:30"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetTeamSetting(f.ctx, f.SouthManager, f.South.ID, "digest.time", "21:00"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetCalendarDay(f.ctx, f.Admin, domain.CalendarDay{Date: "2026-10-01", Note: "国庆节"}); err != nil {
			t.Fatal(err)
		}
		// A refused change leaves no entry.
		if err := f.svc.SetTeamSetting(f.ctx, f.EastManager, f.South.ID, "digest.time", "08:00"); err == nil {
			t.Fatal("a manager changed another team's settings")
		}

		all, err := f.svc.AuditLog(f.ctx, f.Admin, "", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range all {
			got = append(got, e.Action+" "+e.Actor+" "+e.Subject+" ["+e.Before+"] → ["+e.After+"]")
		}
		want := []string{
			"handover 张伟 member:" + strconv.FormatInt(lina.ID, 10) + " [负责人 李娜（2 个客户、1 个商机、0 个待办）] → [负责人 王强；李娜 已离职]",
			"settings 张伟 team:" + strconv.FormatInt(f.East.ID, 10) + " [digest.time=] → [digest.time=19:30]",
			"settings 陈静 team:" + strconv.FormatInt(f.South.ID, 10) + " [digest.time=] → [digest.time=21:00]",
			"settings 孙立 calendar:2026-10-01 [] → [节假日 国庆节]",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, e := range all {
			if e.At.IsZero() || e.ID == 0 {
				t.Errorf("entry without time or id: %+v", e)
			}
		}

		east, err := f.svc.AuditLog(f.ctx, f.EastManager, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(east) != 2 || east[0].Action != domain.AuditHandover || east[1].TeamID != f.East.ID {
			t.Errorf("east manager reads %+v, want the team's two entries", east)
		}
		_, err = f.svc.AuditLog(f.ctx, wang, "", "")
		wantCode(t, err, domain.EFORBIDDEN)

		// Days select by the service's time zone.
		today := domain.DateOf(f.clock.Now(), f.svc.Location())
		if got, _ := f.svc.AuditLog(f.ctx, f.Admin, today.AddDays(1), ""); len(got) != 0 {
			t.Errorf("entries after today: %d", len(got))
		}
		if got, _ := f.svc.AuditLog(f.ctx, f.Admin, today, today); len(got) != 4 {
			t.Errorf("entries today: %d, want 4", len(got))
		}
	})
}

// Corrections, undos and merges of a record are in the trail too, with
// each changed field before and after.
func TestAuditRecordChanges(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		rec := f.record(t, lina, domain.Report{SourceMsgID: "r1", Text: "拜访华辰科技", Facts: domain.Facts{Customer: "华辰科技", Stage: domain.StageQuote, Amount: 500_000}})
		_, err := f.svc.Correct(f.ctx, lina, rec.Visit.ID, []domain.Correction{
			{Field: domain.FieldStage, Value: "谈判"}, {Field: domain.FieldAmount, Value: "800000"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.MergeReport(f.ctx, lina, rec.Visit.ID, domain.Report{Platform: domain.PlatformSim, SourceMsgID: "r2", Text: "补充：李工也在"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Undo(f.ctx, lina, rec.Visit.ID); err != nil {
			t.Fatal(err)
		}
		trail, err := f.svc.AuditLog(f.ctx, f.EastManager, "", "")
		if err != nil || len(trail) != 3 {
			t.Fatalf("trail %+v (%v), want 3 entries", trail, err)
		}
		subject := "visit:" + strconv.FormatInt(rec.Visit.ID, 10)
		for i, want := range []string{domain.AuditCorrect, domain.AuditMerge, domain.AuditUndo} {
			if trail[i].Action != want || trail[i].Subject != subject || trail[i].Actor != lina.Name {
				t.Errorf("entry %d = %+v, want %s of %s by %s", i, trail[i], want, subject, lina.Name)
			}
		}
		if c := trail[0]; !strings.Contains(c.Before, "报价") || !strings.Contains(c.Before, "50万") ||
			!strings.Contains(c.After, "谈判") || !strings.Contains(c.After, "80万") {
			t.Errorf("correction entry %+v", c)
		}
		if m := trail[1]; m.Before != "拜访华辰科技" || m.After != "并入：补充：李工也在" {
			t.Errorf("merge entry %+v", m)
		}
		if u := trail[2]; u.After != "已撤销" {
			t.Errorf("undo entry %+v", u)
		}
	})
}
