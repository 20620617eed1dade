package domain

import (
	"context"
	"errors"
	"fmt"
)

// Undone is what undoing a record took back.
type Undone struct {
	Visit    Visit
	Customer Customer
}

// UndoLast takes back the member's most recent record: the visit is marked
// undone (its message id stays taken, so a redelivery does not bring it
// back), its follow-up is cancelled, its stage move reverted, and a deal or
// customer it created is removed when nothing else uses it.
func (s *Service) UndoLast(ctx context.Context, actor Member) (Undone, error) {
	return s.Undo(ctx, actor, 0)
}

// Undo takes back one of the member's own records (visitID 0: the last one),
// as UndoLast does.
func (s *Service) Undo(ctx context.Context, actor Member, visitID int64) (Undone, error) {
	if err := checkActive(actor); err != nil {
		return Undone{}, err
	}
	var out Undone
	err := s.inTx(ctx, false, func(tx Store) error {
		v, err := ownVisit(ctx, tx, actor, visitID)
		if err != nil {
			return err
		}
		if v.Undone() {
			return Errorf(ECONFLICT, "这条记录已经撤销过了")
		}
		c, err := tx.CustomerByID(ctx, v.CustomerID)
		if err != nil {
			return err
		}
		now := s.now()
		v.UndoneAt = &now
		v.Rev++
		if err := tx.UpdateVisit(ctx, &v); err != nil {
			return err
		}
		if err := cancelTasksOf(ctx, tx, v.ID); err != nil {
			return err
		}
		if err := reopenFollowUps(ctx, tx, v.ID); err != nil {
			return err
		}
		if err := revertStage(ctx, tx, v); err != nil {
			return err
		}
		if err := dropIfUnused(ctx, tx, v); err != nil {
			return err
		}
		out = Undone{Visit: v, Customer: c}
		return s.audit(ctx, tx, actor, AuditEntry{TeamID: v.TeamID, Action: AuditUndo, Subject: fmt.Sprintf("visit:%d", v.ID),
			Before: fmt.Sprintf("%s %s 的拜访记录", c.Name, v.VisitDate), After: "已撤销"})
	})
	return out, err
}

func cancelTasksOf(ctx context.Context, tx Records, visitID int64) error {
	_, err := updateTasks(ctx, tx, TaskFilter{VisitID: visitID, Status: TaskOpen}, func(t *Task) { t.Status = TaskCancelled })
	return err
}

// revertStage removes the stage moves a visit made and recomputes the deal
// from what remains: its stage from the last remaining move (later moves by
// other reports stay), its amount from the newest remaining report that
// named one.
func revertStage(ctx context.Context, tx Records, v Visit) error {
	hist, err := tx.StageHistory(ctx, v.DealID)
	if err != nil {
		return err
	}
	var remaining []StageChange
	for _, h := range hist {
		if h.VisitID != v.ID {
			remaining = append(remaining, h)
			continue
		}
		if err := tx.DeleteStageChange(ctx, h.ID); err != nil {
			return err
		}
	}
	if len(remaining) == len(hist) && v.Amount == 0 {
		return nil // the visit moved nothing
	}
	d, err := tx.DealByID(ctx, v.DealID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(remaining) > 0 {
		last := remaining[len(remaining)-1]
		d.Stage, d.Status = last.To, StatusFor(last.To)
		d.Amount = last.Amount
	}
	live, err := tx.ListVisits(ctx, VisitFilter{DealID: v.DealID})
	if err != nil {
		return err
	}
	for _, o := range live { // newest first
		if o.Amount > 0 {
			d.Amount = o.Amount
			break
		}
	}
	if len(live) > 0 {
		d.LastActivityAt = live[0].CreatedAt
	}
	return tx.UpdateDeal(ctx, &d)
}

// dropIfUnused removes the deal and customer a visit created when no other
// live visit refers to them.
func dropIfUnused(ctx context.Context, tx Records, v Visit) error {
	if v.CreatedDeal {
		others, err := tx.ListVisits(ctx, VisitFilter{DealID: v.DealID, Limit: 1})
		if err != nil {
			return err
		}
		if len(others) == 0 {
			if err := tx.DeleteDeal(ctx, v.DealID); err != nil {
				return err
			}
		}
	}
	if v.CreatedCustomer {
		visits, err := tx.ListVisits(ctx, VisitFilter{CustomerID: v.CustomerID, Limit: 1})
		if err != nil {
			return err
		}
		deals, err := tx.ListDeals(ctx, DealFilter{CustomerID: v.CustomerID})
		if err != nil {
			return err
		}
		if len(visits) == 0 && len(deals) == 0 {
			return tx.DeleteCustomer(ctx, v.CustomerID)
		}
	}
	return nil
}

// ownVisit loads one of actor's visits (0: the last live one).
func ownVisit(ctx context.Context, tx Records, actor Member, visitID int64) (Visit, error) {
	var v Visit
	var err error
	if visitID == 0 {
		v, err = tx.LastVisitOf(ctx, actor.ID)
	} else {
		v, err = tx.VisitByID(ctx, visitID)
	}
	if errors.Is(err, ErrNotFound) {
		return Visit{}, Errorf(ENOTFOUND, "你还没有可以撤销或修改的记录")
	}
	if err != nil {
		return Visit{}, err
	}
	if v.MemberID != actor.ID {
		return Visit{}, Errorf(EFORBIDDEN, "只能撤销或修改自己的记录")
	}
	return v, nil
}
