package domain

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Team is a sales team and where its group pushes go.
type Team struct {
	ID                  int64
	Name                string
	WeComChatID         string // 应用群聊 chat id (app group chat)
	WeComRobotURL       string // 群机器人 webhook
	WeComDepartmentID   int64  // address-book department mapped to this team (0: none)
	DingTalkChatID      string // openConversationId of the team's DingTalk group
	DingTalkRobotURL    string // custom robot webhook
	DingTalkRobotSecret string // custom robot 加签 secret
	CreatedAt           time.Time
}

// Validate checks the fields a team must have.
func (t Team) Validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return Errorf(EINVALID, "团队名称不能为空")
	}
	return nil
}

// SimChatID is the team's group chat in the local chat simulator.
func (t Team) SimChatID() string { return fmt.Sprintf("team-%d", t.ID) }

// TeamOf is the actor's own team.
func (s *Service) TeamOf(ctx context.Context, actor Member) (Team, error) {
	if actor.TeamID == 0 {
		return Team{}, Errorf(EINVALID, "你不属于任何团队")
	}
	return s.store.TeamByID(ctx, actor.TeamID)
}
