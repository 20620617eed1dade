package store

import (
	"context"
	"time"

	"salesbot/domain"
)

type dealRow struct {
	ID             int64 `gorm:"primaryKey"`
	CustomerID     int64 `gorm:"not null;index:idx_deals_customer_status,priority:1"`
	OwnerID        int64 `gorm:"index:idx_deals_owner_activity,priority:1"`
	TeamID         int64 `gorm:"index:idx_deals_team_status,priority:1"`
	Title          string
	Stage          string `gorm:"size:16;not null"`
	Amount         int64  `gorm:"not null"`
	ExpectedClose  string `gorm:"size:10"`
	LostTo         string `gorm:"size:191"`
	LostReason     string
	Status         string     `gorm:"size:8;not null;index:idx_deals_customer_status,priority:2;index:idx_deals_team_status,priority:2"`
	LastActivityAt *time.Time `gorm:"index:idx_deals_owner_activity,priority:2"`
	CreatedAt      time.Time
}

func (dealRow) TableName() string { return "deals" }

type stageChangeRow struct {
	ID        int64     `gorm:"primaryKey"`
	DealID    int64     `gorm:"not null;index"`
	VisitID   int64     `gorm:"index"`
	MemberID  int64     `gorm:"not null"`
	TeamID    int64     `gorm:"not null;default:0;index:idx_stage_changes_team_at,priority:1"` // the deal's team when it moved
	FromStage string    `gorm:"size:16"`
	ToStage   string    `gorm:"size:16;not null"`
	Amount    int64     `gorm:"not null"`
	ChangedAt time.Time `gorm:"index:idx_stage_changes_team_at,priority:2"`
}

func (stageChangeRow) TableName() string { return "stage_changes" }

func fromDeal(d domain.Deal) dealRow {
	return dealRow{
		ID: d.ID, CustomerID: d.CustomerID, OwnerID: d.OwnerID, TeamID: d.TeamID, Title: d.Title,
		Stage: string(d.Stage), Amount: d.Amount, ExpectedClose: string(d.ExpectedClose), LostTo: d.LostTo, LostReason: d.LostReason, Status: string(d.Status),
		LastActivityAt: nullTime(d.LastActivityAt), CreatedAt: utc(d.CreatedAt),
	}
}

func (r dealRow) toDomain() domain.Deal {
	return domain.Deal{
		ID: r.ID, CustomerID: r.CustomerID, OwnerID: r.OwnerID, TeamID: r.TeamID, Title: r.Title,
		Stage: domain.Stage(r.Stage), Amount: r.Amount, ExpectedClose: domain.Month(r.ExpectedClose), LostTo: r.LostTo, LostReason: r.LostReason,
		Status: domain.DealStatus(r.Status), LastActivityAt: timeOf(r.LastActivityAt), CreatedAt: r.CreatedAt.UTC(),
	}
}

func fromStageChange(c domain.StageChange) stageChangeRow {
	return stageChangeRow{
		ID: c.ID, DealID: c.DealID, TeamID: c.TeamID, VisitID: c.VisitID, MemberID: c.MemberID,
		FromStage: string(c.From), ToStage: string(c.To), Amount: c.Amount, ChangedAt: utc(c.At),
	}
}

func (r stageChangeRow) toDomain() domain.StageChange {
	return domain.StageChange{
		ID: r.ID, DealID: r.DealID, TeamID: r.TeamID, VisitID: r.VisitID, MemberID: r.MemberID,
		From: domain.Stage(r.FromStage), To: domain.Stage(r.ToStage), Amount: r.Amount, At: r.ChangedAt.UTC(),
	}
}

// CreateDeal stores a new deal and sets its ID.
func (s *Store) CreateDeal(ctx context.Context, d *domain.Deal) error {
	r := fromDeal(*d)
	r.ID = 0
	err := s.tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(&r).Error; err != nil {
			return err
		}
		at := r.CreatedAt
		if r.LastActivityAt != nil {
			at = *r.LastActivityAt
		}
		return tx.raiseActivity(ctx, r.CustomerID, "", at)
	})
	if err != nil {
		return wrap(err, "create deal for customer %d", d.CustomerID)
	}
	d.ID, d.CreatedAt = r.ID, r.CreatedAt.UTC()
	return nil
}

// UpdateDeal saves every field of an existing deal and the activity of the
// customers it left and joined.
func (s *Store) UpdateDeal(ctx context.Context, d *domain.Deal) error {
	r := fromDeal(*d)
	return s.tx(ctx, func(tx *Store) error {
		var was []dealRow
		if err := tx.q(ctx).Select("customer_id", "last_activity_at").Where("id = ?", d.ID).Find(&was).Error; err != nil {
			return wrap(err, "update deal %d", d.ID)
		}
		if err := mustAffect(tx.q(ctx).Model(&r).Select("*").Omit("id", "created_at").Updates(&r), "update deal %d", d.ID); err != nil {
			return err
		}
		if len(was) == 1 && was[0].CustomerID == r.CustomerID && timeOf(was[0].LastActivityAt).Equal(timeOf(r.LastActivityAt)) {
			return nil // a new owner, amount or title: its customer's activity stands
		}
		if len(was) == 1 && was[0].CustomerID == r.CustomerID && r.LastActivityAt != nil && !r.LastActivityAt.Before(timeOf(was[0].LastActivityAt)) {
			return tx.raiseActivity(ctx, r.CustomerID, "", *r.LastActivityAt) // moved forward (a report): only up
		}
		var old int64
		if len(was) == 1 {
			old = was[0].CustomerID
		}
		return tx.refreshActivity(ctx, old, r.CustomerID)
	})
}

// DealByID reads one deal.
func (s *Store) DealByID(ctx context.Context, id int64) (domain.Deal, error) {
	var r dealRow
	if err := s.q(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.Deal{}, wrap(err, "deal %d", id)
	}
	return r.toDomain(), nil
}

// DeleteDeal removes a deal and its stage history.
func (s *Store) DeleteDeal(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Where("deal_id = ?", id).Delete(&stageChangeRow{}).Error; err != nil {
			return wrap(err, "delete deal %d history", id)
		}
		customer, err := tx.customerOf(ctx, "deals", id)
		if err != nil {
			return err
		}
		if err := mustAffect(tx.q(ctx).Delete(&dealRow{}, "id = ?", id), "delete deal %d", id); err != nil {
			return err
		}
		return tx.refreshActivity(ctx, customer)
	})
}

// OpenDealOf returns the newest open deal with the customer.
func (s *Store) OpenDealOf(ctx context.Context, customerID int64) (domain.Deal, error) {
	var r dealRow
	err := s.q(ctx).Where("customer_id = ? AND status = ?", customerID, domain.DealOpen).Order("id DESC").Take(&r).Error
	if err != nil {
		return domain.Deal{}, wrap(err, "open deal of customer %d", customerID)
	}
	return r.toDomain(), nil
}

// ListDeals lists deals, newest first.
func (s *Store) ListDeals(ctx context.Context, f domain.DealFilter) ([]domain.Deal, error) {
	q := s.q(ctx).Order("id DESC")
	if f.OwnerID != 0 {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	if f.TeamID != 0 {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if f.CustomerID != 0 {
		q = q.Where("customer_id = ?", f.CustomerID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		q = q.Where("id IN ?", f.IDs)
	}
	var rs []dealRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list deals")
	}
	return mapRows(rs, dealRow.toDomain), nil
}

// AppendStageChange records a move of a deal and sets its ID.
func (s *Store) AppendStageChange(ctx context.Context, c *domain.StageChange) error {
	r := fromStageChange(*c)
	r.ID = 0
	if r.ChangedAt.IsZero() {
		r.ChangedAt = s.db.NowFunc()
	}
	if r.TeamID == 0 {
		if err := s.q(ctx).Model(&dealRow{}).Select("team_id").Where("id = ?", c.DealID).Scan(&r.TeamID).Error; err != nil {
			return wrap(err, "append stage change of deal %d", c.DealID)
		}
	}
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return wrap(err, "append stage change of deal %d", c.DealID)
	}
	c.ID, c.TeamID, c.At = r.ID, r.TeamID, r.ChangedAt.UTC()
	return nil
}

// DeleteStageChange removes one recorded move.
func (s *Store) DeleteStageChange(ctx context.Context, id int64) error {
	return mustAffect(s.q(ctx).Delete(&stageChangeRow{}, "id = ?", id), "delete stage change %d", id)
}

// StageHistory lists a deal's moves in the order they happened.
func (s *Store) StageHistory(ctx context.Context, dealID int64) ([]domain.StageChange, error) {
	var rs []stageChangeRow
	if err := s.q(ctx).Where("deal_id = ?", dealID).Order("id").Find(&rs).Error; err != nil {
		return nil, wrap(err, "stage history of deal %d", dealID)
	}
	return mapRows(rs, stageChangeRow.toDomain), nil
}
