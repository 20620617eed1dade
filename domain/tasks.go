package domain

import (
	"context"
	"errors"
)

// CompleteTask marks one of actor's own open follow-ups done. A task that
// is already done (a second click) is returned as it is.
func (s *Service) CompleteTask(ctx context.Context, actor Member, id int64) (Task, error) {
	return s.changeTask(ctx, actor, id, func(t *Task) {
		now := s.now()
		t.Status, t.DoneAt = TaskDone, &now
	})
}

// CancelTask withdraws one of actor's own open follow-ups (a plan taken
// back with 撤销).
func (s *Service) CancelTask(ctx context.Context, actor Member, id int64) (Task, error) {
	return s.changeTask(ctx, actor, id, func(t *Task) { t.Status = TaskCancelled })
}

// SnoozeTask moves one of actor's own open follow-ups to tomorrow.
// Snoozing again on the same day changes nothing.
func (s *Service) SnoozeTask(ctx context.Context, actor Member, id int64) (Task, error) {
	tomorrow := s.Today().AddDays(1)
	return s.changeTask(ctx, actor, id, func(t *Task) {
		if t.Due < tomorrow {
			t.Due = tomorrow
		}
	})
}

// RescheduleTask moves one of actor's own open follow-ups to day (a plan
// corrected right after it was made: 改到后天). A day already past is
// refused: a plan is for today or later.
func (s *Service) RescheduleTask(ctx context.Context, actor Member, id int64, day Date) (Task, error) {
	if _, err := ParseDate(string(day)); err != nil {
		return Task{}, err
	}
	if day < s.Today() {
		return Task{}, Errorf(EINVALID, "计划日期 %s 已经过去了；已经做了的事请直接说结果", day)
	}
	return s.changeTask(ctx, actor, id, func(t *Task) { t.Due = day })
}

// changeTask applies fn to an open task actor owns, in a transaction.
func (s *Service) changeTask(ctx context.Context, actor Member, id int64, fn func(t *Task)) (Task, error) {
	if err := checkActive(actor); err != nil {
		return Task{}, err
	}
	var out Task
	err := s.inTx(ctx, false, func(tx Store) error {
		t, err := tx.TaskByID(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return Errorf(ENOTFOUND, "找不到这条跟进")
		}
		if err != nil {
			return err
		}
		if err := checkOwnTask(actor, t); err != nil {
			return err
		}
		out = t
		if t.Status != TaskOpen {
			return nil
		}
		fn(&t)
		if t == out {
			return nil
		}
		if err := tx.UpdateTask(ctx, &t); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// checkOwnTask: a follow-up is acted on by its owner only, not even by a
// manager (who would mark a rep's work done without doing it).
func checkOwnTask(actor Member, t Task) error {
	if t.OwnerID == actor.ID {
		return nil
	}
	return Errorf(EFORBIDDEN, "只能处理自己的跟进")
}
