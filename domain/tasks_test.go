package domain_test

import (
	"testing"

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
