package store

import (
	"context"
	"time"

	"salesbot/domain"
)

type teamRow struct {
	ID                  int64  `gorm:"primaryKey"`
	Name                key    `gorm:"size:191;not null;uniqueIndex"`
	WeComChatID         key    `gorm:"column:wecom_chat_id;size:191;index:idx_teams_wecom_chat_id"`
	WeComRobotURL       string `gorm:"column:wecom_robot_url;size:1024"`
	WeComDepartmentID   int64  `gorm:"column:wecom_department_id"`
	DingTalkChatID      key    `gorm:"column:dingtalk_chat_id;size:191;index:idx_teams_dingtalk_chat_id"`
	DingTalkRobotURL    string `gorm:"column:dingtalk_robot_url;size:1024"`
	DingTalkRobotSecret string `gorm:"column:dingtalk_robot_secret;size:255"`
	CreatedAt           time.Time
}

func (teamRow) TableName() string { return "teams" }

func fromTeam(t domain.Team) teamRow {
	return teamRow{
		ID: t.ID, Name: key(t.Name),
		WeComChatID: key(t.WeComChatID), WeComRobotURL: t.WeComRobotURL, WeComDepartmentID: t.WeComDepartmentID,
		DingTalkChatID: key(t.DingTalkChatID), DingTalkRobotURL: t.DingTalkRobotURL, DingTalkRobotSecret: t.DingTalkRobotSecret,
		CreatedAt: utc(t.CreatedAt),
	}
}

func (r teamRow) toDomain() domain.Team {
	return domain.Team{
		ID: r.ID, Name: string(r.Name),
		WeComChatID: string(r.WeComChatID), WeComRobotURL: r.WeComRobotURL, WeComDepartmentID: r.WeComDepartmentID,
		DingTalkChatID: string(r.DingTalkChatID), DingTalkRobotURL: r.DingTalkRobotURL, DingTalkRobotSecret: r.DingTalkRobotSecret,
		CreatedAt: r.CreatedAt.UTC(),
	}
}

// CreateTeam stores a new team and sets its ID.
func (s *Store) CreateTeam(ctx context.Context, t *domain.Team) error {
	r := fromTeam(*t)
	r.ID = 0
	if err := s.q(ctx).Create(&r).Error; err != nil {
		return wrap(err, "create team %q", t.Name)
	}
	t.ID, t.CreatedAt = r.ID, r.CreatedAt.UTC()
	return nil
}

// UpdateTeam saves every field of an existing team.
func (s *Store) UpdateTeam(ctx context.Context, t *domain.Team) error {
	r := fromTeam(*t)
	return mustAffect(s.q(ctx).Model(&r).Select("*").Omit("id", "created_at").Updates(&r), "update team %d", t.ID)
}

// TeamByID reads one team.
func (s *Store) TeamByID(ctx context.Context, id int64) (domain.Team, error) {
	var r teamRow
	if err := s.q(ctx).Take(&r, "id = ?", id).Error; err != nil {
		return domain.Team{}, wrap(err, "team %d", id)
	}
	return r.toDomain(), nil
}

// TeamByName reads the team with exactly this name.
func (s *Store) TeamByName(ctx context.Context, name string) (domain.Team, error) {
	var r teamRow
	if err := s.q(ctx).Take(&r, "name = ?", name).Error; err != nil {
		return domain.Team{}, wrap(err, "team %q", name)
	}
	return r.toDomain(), nil
}

// TeamByChat finds the team whose group chat on p has this id.
func (s *Store) TeamByChat(ctx context.Context, p domain.Platform, chatID string) (domain.Team, error) {
	col := ""
	switch p {
	case domain.PlatformWeCom:
		col = "wecom_chat_id"
	case domain.PlatformDingTalk:
		col = "dingtalk_chat_id"
	}
	if col == "" || chatID == "" {
		return domain.Team{}, wrap(domain.ErrNotFound, "team of %s chat %q", p, chatID)
	}
	var r teamRow
	if err := s.q(ctx).Order("id").Take(&r, col+" = ?", chatID).Error; err != nil {
		return domain.Team{}, wrap(err, "team of %s chat %q", p, chatID)
	}
	return r.toDomain(), nil
}

// ListTeams lists every team by id.
func (s *Store) ListTeams(ctx context.Context) ([]domain.Team, error) {
	var rs []teamRow
	if err := s.q(ctx).Order("id").Find(&rs).Error; err != nil {
		return nil, wrap(err, "list teams")
	}
	return mapRows(rs, teamRow.toDomain), nil
}
