package store

import (
	"context"
	"time"

	"salesbot/domain"
)

type taskRow struct {
	ID         int64 `gorm:"primaryKey"`
	OwnerID    int64 `gorm:"not null;index:idx_tasks_owner_status,priority:1"`
	TeamID     int64 `gorm:"index;index:idx_tasks_team_status_due,priority:1"`
	CustomerID int64 `gorm:"index"`
	DealID     int64 `gorm:"index"`
	VisitID    int64 `gorm:"index"`
	Title      string
	Due        string `gorm:"size:10;index:idx_tasks_due_status,priority:1;index:idx_tasks_team_status_due,priority:3"`
	Status     string `gorm:"size:16;not null;index:idx_tasks_due_status,priority:2;index:idx_tasks_owner_status,priority:2;index:idx_tasks_team_status_due,priority:2"`
	DoneAt     *time.Time
	DoneBy     int64 `gorm:"index"`
	CreatedAt  time.Time
}

func (taskRow) TableName() string { return "tasks" }

func fromTask(t domain.Task) taskRow {
	return taskRow{
		ID: t.ID, OwnerID: t.OwnerID, TeamID: t.TeamID, CustomerID: t.CustomerID, DealID: t.DealID, VisitID: t.VisitID,
		Title: t.Title, Due: string(t.Due), Status: string(t.Status), DoneAt: utcPtr(t.DoneAt), DoneBy: t.DoneBy, CreatedAt: utc(t.CreatedAt),
	}
}

func (r taskRow) toDomain() domain.Task {
	return domain.Task{
		ID: r.ID, OwnerID: r.OwnerID, TeamID: r.TeamID, CustomerID: r.CustomerID, DealID: r.DealID, VisitID: r.VisitID,
		Title: r.Title, Due: domain.Date(r.Due), Status: domain.TaskStatus(r.Status), DoneAt: ptrOf(r.DoneAt), DoneBy: r.DoneBy, CreatedAt: r.CreatedAt.UTC(),
	}
}

// CreateTask stores a new follow-up and sets its ID.
func (s *Store) CreateTask(ctx context.Context, t *domain.Task) error {
	r := fromTask(*t)
	r.ID = 0
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return wrap(err, "create task for customer %d", t.CustomerID)
	}
	t.ID, t.CreatedAt = r.ID, r.CreatedAt.UTC()
	return nil
}

// UpdateTask saves every field of an existing follow-up.
func (s *Store) UpdateTask(ctx context.Context, t *domain.Task) error {
	r := fromTask(*t)
	return mustAffect(s.q(ctx).Model(&r).Select("*").Omit("id", "created_at").Updates(&r), "update task %d", t.ID)
}

// TaskByID reads one follow-up.
func (s *Store) TaskByID(ctx context.Context, id int64) (domain.Task, error) {
	var r taskRow
	if err := s.q(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.Task{}, wrap(err, "task %d", id)
	}
	return r.toDomain(), nil
}

// ListTasks lists follow-ups by due date, then id.
func (s *Store) ListTasks(ctx context.Context, f domain.TaskFilter) ([]domain.Task, error) {
	q := s.q(ctx).Order("due, id")
	for _, c := range []struct {
		col string
		id  int64
	}{{"owner_id", f.OwnerID}, {"team_id", f.TeamID}, {"customer_id", f.CustomerID}, {"visit_id", f.VisitID}, {"done_by", f.DoneBy}} {
		if c.id != 0 {
			q = q.Where(c.col+" = ?", c.id)
		}
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if !f.DueFrom.IsZero() {
		q = q.Where("due >= ?", string(f.DueFrom))
	}
	if !f.DueTo.IsZero() {
		q = q.Where("due <= ?", string(f.DueTo))
	}
	var rs []taskRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list tasks")
	}
	return mapRows(rs, taskRow.toDomain), nil
}
