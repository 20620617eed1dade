package store

import (
	"context"
	"time"

	"salesbot/domain"
)

// memberRow: names may repeat (two 张伟), so name is indexed, not unique.
// Platform ids are unique when set and NULL when not.
type memberRow struct {
	ID             int64   `gorm:"primaryKey"`
	Name           key     `gorm:"size:64;not null;index"`
	Role           string  `gorm:"size:16;not null"`
	TeamID         int64   `gorm:"index"`
	WeComUserID    nullKey `gorm:"column:wecom_user_id;size:128;uniqueIndex:idx_members_wecom_user_id"`
	DingTalkUserID nullKey `gorm:"column:dingtalk_user_id;size:128;uniqueIndex:idx_members_dingtalk_user_id"`
	SimUserID      nullKey `gorm:"column:sim_user_id;size:128;uniqueIndex"`
	Active         bool    `gorm:"not null"`
	CreatedAt      time.Time
}

func (memberRow) TableName() string { return "members" }

func fromMember(m domain.Member) memberRow {
	return memberRow{
		ID: m.ID, Name: key(m.Name), Role: string(m.Role), TeamID: m.TeamID,
		WeComUserID: nullKey(m.WeComUserID), DingTalkUserID: nullKey(m.DingTalkUserID), SimUserID: nullKey(m.SimUserID),
		Active: m.Active, CreatedAt: utc(m.CreatedAt),
	}
}

func (r memberRow) toDomain() domain.Member {
	return domain.Member{
		ID: r.ID, Name: string(r.Name), Role: domain.Role(r.Role), TeamID: r.TeamID,
		WeComUserID: string(r.WeComUserID), DingTalkUserID: string(r.DingTalkUserID), SimUserID: string(r.SimUserID),
		Active: r.Active, CreatedAt: r.CreatedAt.UTC(),
	}
}

// CreateMember stores a new member and sets its ID. A platform id already
// linked to someone else is ErrConflict.
func (s *Store) CreateMember(ctx context.Context, m *domain.Member) error {
	r := fromMember(*m)
	r.ID = 0
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return wrap(err, "create member %q", m.Name)
	}
	m.ID, m.CreatedAt = r.ID, r.CreatedAt.UTC()
	return nil
}

// UpdateMember saves every field of an existing member.
func (s *Store) UpdateMember(ctx context.Context, m *domain.Member) error {
	r := fromMember(*m)
	return mustAffect(s.q(ctx).Model(&r).Select("*").Omit("id", "created_at").Updates(&r), "update member %d", m.ID)
}

// MemberByID reads one member.
func (s *Store) MemberByID(ctx context.Context, id int64) (domain.Member, error) {
	var r memberRow
	if err := s.q(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.Member{}, wrap(err, "member %d", id)
	}
	return r.toDomain(), nil
}

// MemberByName reads the member with exactly this name. When the name
// repeats, an active member wins over a departed one, then the oldest.
func (s *Store) MemberByName(ctx context.Context, name string) (domain.Member, error) {
	var r memberRow
	if err := s.q(ctx).Order("active DESC, id").Take(&r, "name = ?", name).Error; err != nil {
		return domain.Member{}, wrap(err, "member %q", name)
	}
	return r.toDomain(), nil
}

// MemberByPlatformID finds the member linked to userID on p.
func (s *Store) MemberByPlatformID(ctx context.Context, p domain.Platform, userID string) (domain.Member, error) {
	col := ""
	switch p {
	case domain.PlatformWeCom:
		col = "wecom_user_id"
	case domain.PlatformDingTalk:
		col = "dingtalk_user_id"
	case domain.PlatformSim:
		col = "sim_user_id"
	}
	if col == "" || userID == "" {
		return domain.Member{}, wrap(domain.ErrNotFound, "member %s:%q", p, userID)
	}
	var r memberRow
	if err := s.q(ctx).Take(&r, col+" = ?", userID).Error; err != nil {
		return domain.Member{}, wrap(err, "member %s:%q", p, userID)
	}
	return r.toDomain(), nil
}

// ListMembers lists members by id.
func (s *Store) ListMembers(ctx context.Context, f domain.MemberFilter) ([]domain.Member, error) {
	q := s.q(ctx).Order("id")
	if f.TeamID != 0 {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if f.ActiveOnly {
		q = q.Where("active = ?", true)
	}
	var rs []memberRow
	if err := q.Find(&rs).Error; err != nil {
		return nil, wrap(err, "list members")
	}
	return mapRows(rs, memberRow.toDomain), nil
}
