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
