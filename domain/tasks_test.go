package domain_test

import (
	"fmt"
	"testing"
	"time"

	"salesbot/domain"
)

func TestCompleteAndSnoozeTask(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		rec := f.record(t, lina, domain.Report{SourceMsgID: "t1", Text: "拜访华辰科技，明天送样品", At: start, Facts: domain.Facts{Customer: "华辰科技", NextDate: "2026-03-02", NextAction: "送样品"}})
		id := rec.Task.ID

		_, err := f.svc.CompleteTask(f.ctx, wang, id)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.SnoozeTask(f.ctx, f.EastManager, id)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.CompleteTask(f.ctx, lina, 99999)
		wantCode(t, err, domain.ENOTFOUND)

		got, err := f.svc.SnoozeTask(f.ctx, lina, id)
		if err != nil || got.Due != "2026-03-03" || got.Status != domain.TaskOpen {
			t.Fatalf("SnoozeTask = %+v, %v; want due 2026-03-03", got, err)
		}
		if again, _ := f.svc.SnoozeTask(f.ctx, lina, id); again.Due != "2026-03-03" {
			t.Errorf("second snooze moved it to %s", again.Due)
		}

		got, err = f.svc.CompleteTask(f.ctx, lina, id)
		if err != nil || got.Status != domain.TaskDone || got.DoneAt == nil || !got.DoneAt.Equal(start) {
			t.Fatalf("CompleteTask = %+v, %v", got, err)
		}
		stored, _ := f.store.TaskByID(f.ctx, id)
		if stored.Status != domain.TaskDone {
			t.Errorf("stored task = %+v", stored)
		}
		// A second click changes nothing.
		if again, err := f.svc.CompleteTask(f.ctx, lina, id); err != nil || !again.DoneAt.Equal(start) {
			t.Errorf("second CompleteTask = %+v, %v", again, err)
		}
		if got, _ := f.svc.SnoozeTask(f.ctx, lina, id); got.Status != domain.TaskDone || got.Due != "2026-03-03" {
			t.Errorf("snoozing a done task changed it: %+v", got)
		}
	})
}

func TestJobSettings(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		if err := f.svc.MuteJob(f.ctx, lina, "nudge", true); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.svc.SetTeamSetting(f.ctx, lina, f.East.ID, "group_digest", "on"), domain.EFORBIDDEN)
		wantCode(t, f.svc.SetTeamSetting(f.ctx, f.EastManager, f.South.ID, "group_digest", "on"), domain.EFORBIDDEN)
		wantCode(t, f.svc.SetTeamSetting(f.ctx, f.EastManager, f.East.ID, "group_digest", "on"), "")
		wantCode(t, f.svc.SetCalendarDay(f.ctx, f.EastManager, domain.CalendarDay{Date: "2026-10-01"}), domain.EFORBIDDEN)
		wantCode(t, f.svc.SetCalendarDay(f.ctx, f.Admin, domain.CalendarDay{Date: "2026-10-01", Note: "国庆节"}), "")
		wantCode(t, f.svc.SetCalendarDay(f.ctx, f.Admin, domain.CalendarDay{Date: "10月1日"}), domain.EINVALID)

		got, err := f.store.ListSettings(f.ctx)
		if err != nil || len(got) != 2 {
			t.Fatalf("settings = %+v, %v", got, err)
		}
		if err := f.svc.MuteJob(f.ctx, lina, "nudge", false); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.store.ListSettings(f.ctx); len(got) != 1 || got[0].Name != "group_digest" {
			t.Errorf("after unmute: %+v", got)
		}
	})
}

// TestVisitFulfilsFollowUps: a visit marks done the rep's own open
// follow-ups with that customer that were due by its day; later ones, other
// customers' and colleagues' stay open; undoing the visit reopens them.
func TestVisitFulfilsFollowUps(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		hc := f.Customer("华辰科技有限公司")
		js := f.Customer("金石重工股份有限公司")
		plan := func(who domain.Member, c domain.Customer, day domain.Date) domain.Task {
			t.Helper()
			tv, err := f.svc.PlanFollowUp(f.ctx, who, c.ID, day, "拜访")
			if err != nil {
				t.Fatal(err)
			}
			return tv.Task
		}
		due := plan(lina, hc, "2026-03-03")     // tomorrow: the visit is on its day
		overdue := plan(lina, hc, "2026-03-02") // today
		later := plan(lina, hc, "2026-03-10")   // after the visit
		other := plan(lina, js, "2026-03-03")   // another customer
		theirs := plan(wang, hc, "2026-03-03")  // a colleague's
		f.clock.Advance(24 * time.Hour)
		rec := f.record(t, lina, domain.Report{SourceMsgID: "v1", Text: "今天拜访华辰科技", At: f.clock.Now(),
			Facts: domain.Facts{Customer: "华辰科技", Channel: domain.ChannelOnsite, NextDate: "2026-03-03", NextAction: "回电"}})
		status := func(id int64) string {
			tk, err := f.store.TaskByID(f.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%s/%d", tk.Status, tk.DoneBy)
		}
		done := fmt.Sprintf("done/%d", rec.Visit.ID)
		for what, got := range map[string][2]string{
			"due":         {status(due.ID), done},
			"overdue":     {status(overdue.ID), done},
			"later":       {status(later.ID), "open/0"},
			"other":       {status(other.ID), "open/0"},
			"colleague's": {status(theirs.ID), "open/0"},
			"its own":     {status(rec.Task.ID), "open/0"},
		} {
			if got[0] != got[1] {
				t.Errorf("%s follow-up = %s; want %s", what, got[0], got[1])
			}
		}
		if _, err := f.svc.Undo(f.ctx, lina, rec.Visit.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{due.ID, overdue.ID} {
			if got := status(id); got != "open/0" {
				t.Errorf("after undo task %d = %s; want open/0", id, got)
			}
		}
		if got := status(rec.Task.ID); got != "cancelled/0" {
			t.Errorf("the undone visit's own follow-up = %s", got)
		}
	})
}

// TestRescheduleTask moves a plan; a past day or another's task is refused.
func TestRescheduleTask(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		tv, err := f.svc.PlanFollowUp(f.ctx, lina, 0, "2026-03-03", "拜访")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.RescheduleTask(f.ctx, lina, tv.Task.ID, "2026-03-05")
		if err != nil || got.Due != "2026-03-05" {
			t.Fatalf("RescheduleTask = %+v, %v", got, err)
		}
		_, err = f.svc.RescheduleTask(f.ctx, lina, tv.Task.ID, "2026-03-01")
		wantCode(t, err, domain.EINVALID)
		_, err = f.svc.RescheduleTask(f.ctx, wang, tv.Task.ID, "2026-03-06")
		wantCode(t, err, domain.EFORBIDDEN)
	})
}
