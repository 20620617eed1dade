package domain

import (
	"context"
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

// MyVisits lists the member's own live visits between from and to.
func (s *Service) MyVisits(ctx context.Context, actor Member, from, to Date) ([]VisitView, error) {
	visits, err := s.store.ListVisits(ctx, VisitFilter{MemberID: actor.ID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	return s.names().visits(ctx, visits)
}
