package store

import (
	"context"

	"gorm.io/gorm/clause"

	"salesbot/domain"
)

// targetRow: member_id is 0 for a team target, so the unique key also
// covers team targets.
type targetRow struct {
	ID       int64  `gorm:"primaryKey"`
	MemberID int64  `gorm:"not null;uniqueIndex:idx_targets_key,priority:1"`
	TeamID   int64  `gorm:"not null;uniqueIndex:idx_targets_key,priority:2"`
	Month    string `gorm:"size:7;not null;uniqueIndex:idx_targets_key,priority:3"`
	Metric   string `gorm:"size:32;not null;uniqueIndex:idx_targets_key,priority:4"`
	Value    int64  `gorm:"not null"`
}

func (targetRow) TableName() string { return "targets" }

func fromTarget(t domain.Target) targetRow {
	return targetRow{ID: t.ID, MemberID: t.MemberID, TeamID: t.TeamID, Month: t.Month, Metric: string(t.Metric), Value: t.Value}
}

func (r targetRow) toDomain() domain.Target {
	return domain.Target{ID: r.ID, MemberID: r.MemberID, TeamID: r.TeamID, Month: r.Month, Metric: domain.Metric(r.Metric), Value: r.Value}
}

// SaveTarget creates or replaces the target for (member or team, month,
// metric) and sets its ID.
func (s *Store) SaveTarget(ctx context.Context, t *domain.Target) error {
	r := fromTarget(*t)
	r.ID = 0
	err := s.tx(ctx, func(tx *Store) error {
		upsert := clause.OnConflict{
			Columns:   []clause.Column{{Name: "member_id"}, {Name: "team_id"}, {Name: "month"}, {Name: "metric"}},
			DoUpdates: clause.AssignmentColumns([]string{"value"}),
		}
		if err := tx.q(ctx).Clauses(upsert).Create(&r).Error; err != nil {
			return err
		}
		// The id an upsert reports differs by database: read it back.
		var saved targetRow
		err := tx.q(ctx).Take(&saved, "member_id = ? AND team_id = ? AND month = ? AND metric = ?",
			r.MemberID, r.TeamID, r.Month, r.Metric).Error
		t.ID = saved.ID
		return err
	})
	return wrap(err, "save target %s %s of member %d team %d", t.Month, t.Metric, t.MemberID, t.TeamID)
}

// ListTargets lists a team's targets for a month: the team's own and its
// members'.
func (s *Store) ListTargets(ctx context.Context, teamID int64, month string) ([]domain.Target, error) {
	var rs []targetRow
	err := s.q(ctx).Where("team_id = ? AND month = ?", teamID, month).Order("member_id, metric").Find(&rs).Error
	if err != nil {
		return nil, wrap(err, "list targets of team %d for %s", teamID, month)
	}
	return mapRows(rs, targetRow.toDomain), nil
}
