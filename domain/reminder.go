package domain

import (
	"context"
	"errors"
	"strings"
)

// AddReminder opens a follow-up the member asked for in words ("明天提醒我给
// 张总打电话"): it is due on day and reminded like any other follow-up.
func (s *Service) AddReminder(ctx context.Context, actor Member, day Date, text string) (Task, error) {
	if err := checkActive(actor); err != nil {
		return Task{}, err
	}
	if _, err := ParseDate(string(day)); err != nil || day.IsZero() {
		return Task{}, Errorf(EINVALID, "哪天提醒？例如：明天提醒我给张总打电话")
	}
	if day < s.Today() {
		return Task{}, Errorf(EINVALID, "%s 已经过去了，不能再提醒", day)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		text = "提醒事项"
	}
	t := Task{OwnerID: actor.ID, TeamID: actor.TeamID, Title: text, Due: day, Status: TaskOpen, CreatedAt: s.now()}
	if err := s.store.CreateTask(ctx, &t); err != nil {
		return Task{}, err
	}
	return t, nil
}

// PlanFollowUp records a plan (明天去拜访…, 下周约了…): a message that only
// announces a future interaction. It becomes a follow-up due on day (today
// when zero or past), about the customer when one is known (customerID 0:
// none), and never a visit, so no figure counts it.
func (s *Service) PlanFollowUp(ctx context.Context, actor Member, customerID int64, day Date, title string) (TaskView, error) {
	if err := checkActive(actor); err != nil {
		return TaskView{}, err
	}
	if _, err := ParseDate(string(day)); err != nil || day < s.Today() {
		day = s.Today()
	}
	t := Task{OwnerID: actor.ID, TeamID: actor.TeamID, CustomerID: customerID, Title: strings.TrimSpace(title),
		Due: day, Status: TaskOpen, CreatedAt: s.now()}
	if t.Title == "" {
		t.Title = "计划跟进"
	}
	var out TaskView
	err := s.inTx(ctx, false, func(tx Store) error {
		if customerID != 0 {
			c, err := tx.CustomerByID(ctx, customerID)
			if err != nil {
				return err
			}
			if err := checkWriteCustomer(ctx, tx, actor, &c); err != nil {
				return err
			}
			out.Customer = c.Name
			if d, err := tx.OpenDealOf(ctx, c.ID); err == nil {
				t.DealID = d.ID
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		nt := t // a retried transaction starts again from t
		if err := tx.CreateTask(ctx, &nt); err != nil {
			return err
		}
		out.Task = nt
		return nil
	})
	return out, err
}

// MyVisits lists the member's own live visits between from and to.
func (s *Service) MyVisits(ctx context.Context, actor Member, from, to Date) ([]VisitView, error) {
	visits, err := s.store.ListVisits(ctx, VisitFilter{MemberID: actor.ID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	return s.names().visits(ctx, visits)
}
