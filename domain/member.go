package domain

import (
	"strings"
	"time"
)

// Member is a person using the bot: a rep, a manager or an admin. A member may
// be reachable on WeCom, DingTalk or both.
type Member struct {
	ID             int64
	Name           string
	Role           Role
	TeamID         int64
	WeComUserID    string
	DingTalkUserID string
	SimUserID      string // id in the local chat simulator
	Active         bool   // false once the member has left the company
	CreatedAt      time.Time
}

// Validate checks the fields a member must have.
func (m Member) Validate() error {
	if strings.TrimSpace(m.Name) == "" {
		return Errorf(EINVALID, "成员姓名不能为空")
	}
	if _, err := ParseRole(string(m.Role)); err != nil {
		return err
	}
	if m.Role != RoleAdmin && m.TeamID == 0 {
		return Errorf(EINVALID, "成员「%s」必须属于一个团队", m.Name)
	}
	return nil
}

// PlatformUserID is the member's id on p ("" when not linked).
func (m Member) PlatformUserID(p Platform) string {
	switch p {
	case PlatformWeCom:
		return m.WeComUserID
	case PlatformDingTalk:
		return m.DingTalkUserID
	case PlatformSim:
		return m.SimUserID
	}
	return ""
}
