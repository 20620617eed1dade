package store

import (
	"context"
	"time"

	"salesbot/domain"
)

var _ domain.AuditStore = (*Store)(nil)

// auditRow is one entry of the audit trail; entries are only ever added.
type auditRow struct {
	ID      int64     `gorm:"primaryKey"`
	At      time.Time `gorm:"not null;index:idx_audit_at;index:idx_audit_team_at,priority:2"`
	ActorID int64     `gorm:"not null"`
	Actor   string    `gorm:"size:100;not null"`
	TeamID  int64     `gorm:"not null;index:idx_audit_team_at,priority:1"`
	Action  string    `gorm:"size:32;not null"`
	Subject string    `gorm:"size:100;not null"`
	Before  string    `gorm:"type:text"`
	After   string    `gorm:"type:text"`
}

func (auditRow) TableName() string { return "audit_log" }

// AppendAudit adds an entry.
func (s *Store) AppendAudit(ctx context.Context, e *domain.AuditEntry) error {
	r := auditRow{At: utc(e.At), ActorID: e.ActorID, Actor: e.Actor, TeamID: e.TeamID, Action: e.Action,
		Subject: e.Subject, Before: e.Before, After: e.After}
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return wrap(err, "append audit %s %s", e.Action, e.Subject)
	}
	e.ID = r.ID
	return nil
}

// ListAudit lists entries, oldest first.
func (s *Store) ListAudit(ctx context.Context, f domain.AuditFilter) ([]domain.AuditEntry, error) {
	q := s.q(ctx).Order("at, id")
	if !f.From.IsZero() {
		q = q.Where("at >= ?", utc(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", utc(f.To))
	}
	if f.TeamID != 0 {
		q = q.Where("team_id = ?", f.TeamID)
	}
	var rs []auditRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list audit")
	}
	return mapRows(rs, func(r auditRow) domain.AuditEntry {
		return domain.AuditEntry{ID: r.ID, At: r.At, ActorID: r.ActorID, Actor: r.Actor, TeamID: r.TeamID,
			Action: r.Action, Subject: r.Subject, Before: r.Before, After: r.After}
	}), nil
}
