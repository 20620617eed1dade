package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"salesbot/domain"
)

var _ domain.SettingStore = (*Store)(nil)

// settingRow: one named value per (team, member, name); team settings have
// member_id 0 and member settings team_id 0.
type settingRow struct {
	ID        int64  `gorm:"primaryKey"`
	TeamID    int64  `gorm:"not null;uniqueIndex:idx_settings_key,priority:1"`
	MemberID  int64  `gorm:"not null;uniqueIndex:idx_settings_key,priority:2"`
	Name      key    `gorm:"size:64;not null;uniqueIndex:idx_settings_key,priority:3"`
	Value     string `gorm:"size:1000;not null"`
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "settings" }

// calendarRow overrides the Monday-to-Friday rule for one day.
type calendarRow struct {
	Day     string `gorm:"primaryKey;size:10"`
	Working bool   `gorm:"not null"`
	Note    string `gorm:"size:64"`
}

func (calendarRow) TableName() string { return "calendar_days" }

// SaveSetting creates or replaces a setting; an empty value removes it.
func (s *Store) SaveSetting(ctx context.Context, st domain.Setting) error {
	if st.Value == "" {
		err := s.q(ctx).Where("team_id = ? AND member_id = ? AND name = ?", st.TeamID, st.MemberID, st.Name).Delete(&settingRow{}).Error
		return wrap(err, "delete setting %s of team %d member %d", st.Name, st.TeamID, st.MemberID)
	}
	r := settingRow{TeamID: st.TeamID, MemberID: st.MemberID, Name: key(st.Name), Value: st.Value, UpdatedAt: utc(st.UpdatedAt)}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = s.db.NowFunc()
	}
	upsert := clause.OnConflict{
		Columns:   []clause.Column{{Name: "team_id"}, {Name: "member_id"}, {Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}
	err := s.q(ctx).Clauses(upsert).Create(&r).Error
	return wrap(err, "save setting %s of team %d member %d", st.Name, st.TeamID, st.MemberID)
}

// ListSettings lists every setting.
func (s *Store) ListSettings(ctx context.Context) ([]domain.Setting, error) {
	var rs []settingRow
	if err := s.q(ctx).Order("team_id, member_id, name").Find(&rs).Error; err != nil {
		return nil, wrap(err, "list settings")
	}
	return mapRows(rs, func(r settingRow) domain.Setting {
		return domain.Setting{TeamID: r.TeamID, MemberID: r.MemberID, Name: string(r.Name), Value: r.Value, UpdatedAt: r.UpdatedAt.UTC()}
	}), nil
}

// SaveCalendarDay creates or replaces the override for a day.
func (s *Store) SaveCalendarDay(ctx context.Context, d domain.CalendarDay) error {
	r := calendarRow{Day: string(d.Date), Working: d.Working, Note: d.Note}
	upsert := clause.OnConflict{
		Columns:   []clause.Column{{Name: "day"}},
		DoUpdates: clause.AssignmentColumns([]string{"working", "note"}),
	}
	return wrap(s.q(ctx).Clauses(upsert).Create(&r).Error, "save calendar day %s", d.Date)
}

// DeleteCalendarDay removes the override for a day, if any.
func (s *Store) DeleteCalendarDay(ctx context.Context, d domain.Date) error {
	return wrap(s.q(ctx).Delete(&calendarRow{}, "day = ?", string(d)).Error, "delete calendar day %s", d)
}

// ListCalendarDays lists the overrides from..to inclusive.
func (s *Store) ListCalendarDays(ctx context.Context, from, to domain.Date) ([]domain.CalendarDay, error) {
	var rs []calendarRow
	if err := s.q(ctx).Where("day >= ? AND day <= ?", string(from), string(to)).Order("day").Find(&rs).Error; err != nil {
		return nil, wrap(err, "list calendar days")
	}
	return mapRows(rs, func(r calendarRow) domain.CalendarDay {
		return domain.CalendarDay{Date: domain.Date(r.Day), Working: r.Working, Note: r.Note}
	}), nil
}
