package store

import (
	"context"
	"encoding/json"
	"time"

	"salesbot/domain"
)

// visitRow: (platform, source_msg_id) is unique, which is what makes a
// redelivered message land once. An undone visit keeps its message id.
type visitRow struct {
	ID              int64  `gorm:"primaryKey"`
	MemberID        int64  `gorm:"not null;index:idx_visits_member_date,priority:1"`
	TeamID          int64  `gorm:"index:idx_visits_team_date,priority:1"`
	CustomerID      int64  `gorm:"not null;index;index:idx_visits_customer_last,priority:1"`
	DealID          int64  `gorm:"index"`
	Channel         string `gorm:"size:16"`
	VisitDate       string `gorm:"size:10;not null;index:idx_visits_member_date,priority:2;index:idx_visits_team_date,priority:2;index:idx_visits_customer_last,priority:3"`
	Contacts        string // JSON array of names
	Stage           string `gorm:"size:16"`
	Amount          int64  `gorm:"not null"`
	Summary         string
	NextAction      string
	NextDate        string `gorm:"size:10"`
	Platform        key    `gorm:"size:16;not null;uniqueIndex:idx_visits_source,priority:1"`
	SourceMsgID     key    `gorm:"size:191;not null;uniqueIndex:idx_visits_source,priority:2"`
	RawText         string
	ReportedAt      *time.Time
	CreatedCustomer bool       `gorm:"not null"`
	CreatedDeal     bool       `gorm:"not null"`
	UndoneAt        *time.Time `gorm:"index:idx_visits_customer_last,priority:2"` // (customer, undone, date): a customer's last visit from the index
	CreatedAt       time.Time
	Rev             int `gorm:"not null;default:0"`
}

func (visitRow) TableName() string { return "visits" }

func fromVisit(v domain.Visit) visitRow {
	contacts, _ := json.Marshal(v.Contacts) // []string cannot fail
	if len(v.Contacts) == 0 {
		contacts = []byte("[]")
	}
	return visitRow{
		ID: v.ID, MemberID: v.MemberID, TeamID: v.TeamID, CustomerID: v.CustomerID, DealID: v.DealID,
		Channel: string(v.Channel), VisitDate: string(v.VisitDate), Contacts: string(contacts),
		Stage: string(v.Stage), Amount: v.Amount, Summary: v.Summary, NextAction: v.NextAction, NextDate: string(v.NextDate),
		Platform: key(v.Platform), SourceMsgID: key(v.SourceMsgID), RawText: v.RawText, ReportedAt: nullTime(v.ReportedAt),
		CreatedCustomer: v.CreatedCustomer, CreatedDeal: v.CreatedDeal, UndoneAt: utcPtr(v.UndoneAt), CreatedAt: utc(v.CreatedAt), Rev: v.Rev,
	}
}

func (r visitRow) toDomain() domain.Visit {
	var contacts []string
	_ = json.Unmarshal([]byte(r.Contacts), &contacts) // written by fromVisit; bad text reads as none
	if len(contacts) == 0 {
		contacts = nil
	}
	return domain.Visit{
		ID: r.ID, MemberID: r.MemberID, TeamID: r.TeamID, CustomerID: r.CustomerID, DealID: r.DealID,
		Channel: domain.Channel(r.Channel), VisitDate: domain.Date(r.VisitDate), Contacts: contacts,
		Stage: domain.Stage(r.Stage), Amount: r.Amount, Summary: r.Summary, NextAction: r.NextAction, NextDate: domain.Date(r.NextDate),
		Platform: domain.Platform(r.Platform), SourceMsgID: string(r.SourceMsgID), RawText: r.RawText, ReportedAt: timeOf(r.ReportedAt),
		CreatedCustomer: r.CreatedCustomer, CreatedDeal: r.CreatedDeal, UndoneAt: ptrOf(r.UndoneAt), CreatedAt: r.CreatedAt.UTC(), Rev: r.Rev,
	}
}

// CreateVisit stores a new visit and sets its ID. A message id already
// stored for the platform is ErrConflict.
func (s *Store) CreateVisit(ctx context.Context, v *domain.Visit) error {
	r := fromVisit(*v)
	r.ID = 0
	err := s.tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(&r).Error; err != nil {
			return err
		}
		if v.UndoneAt != nil {
			return tx.refreshActivity(ctx, r.CustomerID)
		}
		return tx.raiseActivity(ctx, r.CustomerID, v.VisitDate, time.Time{})
	})
	if err != nil {
		return wrap(err, "create visit %s:%s", v.Platform, v.SourceMsgID)
	}
	v.ID, v.CreatedAt = r.ID, r.CreatedAt.UTC()
	return nil
}

// UpdateVisit saves every field of an existing visit (an undo, a corrected
// date or customer, a merge) and the activity of the customers it left and
// joined.
func (s *Store) UpdateVisit(ctx context.Context, v *domain.Visit) error {
	r := fromVisit(*v)
	return s.tx(ctx, func(tx *Store) error {
		was, err := tx.customerOf(ctx, "visits", v.ID)
		if err != nil {
			return err
		}
		if err := mustAffect(tx.q(ctx).Model(&r).Select("*").Omit("id", "created_at").Updates(&r), "update visit %d", v.ID); err != nil {
			return err
		}
		return tx.refreshActivity(ctx, was, r.CustomerID)
	})
}

// VisitByID reads one visit, undone or not.
func (s *Store) VisitByID(ctx context.Context, id int64) (domain.Visit, error) {
	var r visitRow
	if err := s.q(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.Visit{}, wrap(err, "visit %d", id)
	}
	return r.toDomain(), nil
}

// VisitBySource reads the visit a message became, undone or not.
func (s *Store) VisitBySource(ctx context.Context, p domain.Platform, msgID string) (domain.Visit, error) {
	var r visitRow
	if err := s.q(ctx).Take(&r, "platform = ? AND source_msg_id = ?", p, msgID).Error; err != nil {
		return domain.Visit{}, wrap(err, "visit %s:%s", p, msgID)
	}
	return r.toDomain(), nil
}

// LastVisitOf returns the member's newest visit that is not undone.
func (s *Store) LastVisitOf(ctx context.Context, memberID int64) (domain.Visit, error) {
	var r visitRow
	err := s.q(ctx).Where("member_id = ? AND undone_at IS NULL", memberID).Order("id DESC").Take(&r).Error
	if err != nil {
		return domain.Visit{}, wrap(err, "last visit of member %d", memberID)
	}
	return r.toDomain(), nil
}

// ListVisits lists visits that are not undone, newest first.
func (s *Store) ListVisits(ctx context.Context, f domain.VisitFilter) ([]domain.Visit, error) {
	q := s.q(ctx).Where("undone_at IS NULL").Order("visit_date DESC, id DESC")
	if f.MemberID != 0 {
		q = q.Where("member_id = ?", f.MemberID)
	}
	if f.TeamID != 0 {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if f.CustomerID != 0 {
		q = q.Where("customer_id = ?", f.CustomerID)
	}
	if f.DealID != 0 {
		q = q.Where("deal_id = ?", f.DealID)
	}
	if !f.From.IsZero() {
		q = q.Where("visit_date >= ?", string(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("visit_date <= ?", string(f.To))
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rs []visitRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list visits")
	}
	return mapRows(rs, visitRow.toDomain), nil
}
