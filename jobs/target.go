package jobs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"salesbot/bot"
	"salesbot/domain"
)

// A push is queued with a reference to where it goes — a member or a team
// and the kind of destination — not with the address itself. The address
// (user id, chat id, robot webhook and its signing secret) is read from the
// member or team when the push is sent, so the outbox holds no secret and a
// rotated robot secret reaches pushes already queued.

// destKind is the kind of destination a push names.
type destKind string

// The destination kinds. A new kind needs a line in kindOf and a case in
// address.
const (
	kindWeComUser     destKind = "wecom_user"       // a member through the WeCom app
	kindDingTalkUser  destKind = "dingtalk_user"    // a member through the DingTalk app
	kindSimUser       destKind = "sim_user"         // a member in the simulator
	kindWeComAIBotDM  destKind = "wecom_aibot_user" // a member privately through the AI bot's long connection
	kindWeComRobot    destKind = "wecom_robot"      // a team's WeCom group robot
	kindWeComChat     destKind = "wecom_chat"       // a team's WeCom app group chat
	kindWeComAIBot    destKind = "wecom_aibot"      // a team's WeCom group through the AI bot's long connection
	kindDingTalkRobot destKind = "dingtalk_robot"   // a team's DingTalk custom robot (signed)
	kindDingTalkChat  destKind = "dingtalk_chat"    // a team's DingTalk group
	kindSimChat       destKind = "sim_chat"         // a team's simulator group
)

// target is a push's destination by reference.
type target struct {
	Kind   destKind `json:"kind"`
	Member int64    `json:"member,omitempty"` // for the member kinds
	Team   int64    `json:"team,omitempty"`   // for the team kinds
	// Chat and User name a conversation by its platform id instead (a
	// queued reply goes back to the chat it came from, or to a sender who
	// is no member): ids, never a webhook or a secret.
	Chat string `json:"chat,omitempty"`
	User string `json:"user,omitempty"`
}

// kindOf names the kind of a destination the jobs planned.
func kindOf(d bot.Destination) (destKind, bool) {
	shape := "user"
	switch {
	case d.AIBot && d.Platform == domain.PlatformWeCom && d.ChatID != "":
		return kindWeComAIBot, true
	case d.AIBot && d.Platform == domain.PlatformWeCom && d.UserID != "":
		return kindWeComAIBotDM, true
	case d.RobotURL != "":
		shape = "robot"
	case d.ChatID != "":
		shape = "chat"
	case d.UserID == "":
		return "", false
	}
	k := destKind(string(d.Platform) + "_" + shape)
	switch k {
	case kindWeComUser, kindDingTalkUser, kindSimUser, kindWeComAIBotDM, kindWeComRobot, kindWeComChat, kindWeComAIBot, kindDingTalkRobot, kindDingTalkChat, kindSimChat:
		return k, true
	}
	return "", false
}

// member reports whether the kind names a member (else a team).
func (k destKind) member() bool { return strings.HasSuffix(string(k), "_user") }

// address is the destination of kind k for member m or team t, as they are
// now; ok is false when they have none (the id or webhook was removed).
func (k destKind) address(m domain.Member, t domain.Team) (d bot.Destination, ok bool) {
	switch k {
	case kindWeComUser:
		d = bot.Destination{Platform: domain.PlatformWeCom, UserID: m.WeComUserID}
	case kindDingTalkUser:
		d = bot.Destination{Platform: domain.PlatformDingTalk, UserID: m.DingTalkUserID}
	case kindSimUser:
		d = bot.Destination{Platform: domain.PlatformSim, UserID: m.SimUserID}
	case kindWeComAIBotDM:
		d = bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, UserID: m.WeComUserID}
	case kindWeComRobot:
		d = bot.Destination{Platform: domain.PlatformWeCom, RobotURL: t.WeComRobotURL}
	case kindWeComChat:
		d = bot.Destination{Platform: domain.PlatformWeCom, ChatID: t.WeComChatID}
	case kindWeComAIBot:
		d = bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, ChatID: t.WeComChatID}
	case kindDingTalkRobot:
		d = bot.Destination{Platform: domain.PlatformDingTalk, RobotURL: t.DingTalkRobotURL, RobotSecret: t.DingTalkRobotSecret}
	case kindDingTalkChat:
		d = bot.Destination{Platform: domain.PlatformDingTalk, ChatID: t.DingTalkChatID}
	case kindSimChat:
		if t.ID != 0 {
			d = bot.Destination{Platform: domain.PlatformSim, ChatID: t.SimChatID()}
		}
	}
	return d, d.UserID != "" || d.ChatID != "" || d.RobotURL != ""
}

// targetOf turns a planned destination into a reference: the member that
// the recipient key ("m12", "m12:late") names, or the push's team.
func targetOf(recipient string, teamID int64, d bot.Destination) (target, error) {
	k, ok := kindOf(d)
	if !ok {
		return target{}, fmt.Errorf("a %s destination with no user, chat or robot", d.Platform)
	}
	if !k.member() {
		return target{Kind: k, Team: teamID}, nil
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(recipient, "m"), ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || !strings.HasPrefix(recipient, "m") {
		return target{}, fmt.Errorf("recipient %q names no member", recipient)
	}
	return target{Kind: k, Member: n}, nil
}

// Directory is where targets are resolved (*store.Store).
type Directory interface {
	TeamByID(ctx context.Context, id int64) (domain.Team, error)
	MemberByID(ctx context.Context, id int64) (domain.Member, error)
}

// errGone: a target's member or team no longer has the destination.
var errGone = errors.New("destination gone")

// resolve reads the target's current address.
func resolve(ctx context.Context, dir Directory, t target) (bot.Destination, error) {
	if t.Chat != "" || t.User != "" {
		return t.direct()
	}
	var (
		m    domain.Member
		team domain.Team
		err  error
	)
	if t.Kind.member() {
		m, err = dir.MemberByID(ctx, t.Member)
		if err == nil && !m.Active {
			return bot.Destination{}, fmt.Errorf("%w: member %d has left", errGone, t.Member)
		}
	} else {
		team, err = dir.TeamByID(ctx, t.Team)
	}
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return bot.Destination{}, fmt.Errorf("%w: %v", errGone, err)
	}
	if err != nil {
		return bot.Destination{}, err
	}
	d, ok := t.Kind.address(m, team)
	if !ok {
		return bot.Destination{}, fmt.Errorf("%w: no %s for member %d / team %d now", errGone, t.Kind, t.Member, t.Team)
	}
	return d, nil
}

// direct is the address of a target that names its conversation by
// platform ids: the kind's way, to that chat or user.
func (t target) direct() (bot.Destination, error) {
	m := domain.Member{WeComUserID: t.User, DingTalkUserID: t.User, SimUserID: t.User}
	team := domain.Team{WeComChatID: t.Chat, DingTalkChatID: t.Chat}
	switch t.Kind {
	case kindWeComRobot, kindDingTalkRobot, kindSimChat: // named by their team only
		return bot.Destination{}, fmt.Errorf("%w: a %s names no chat id", errGone, t.Kind)
	}
	d, ok := t.Kind.address(m, team)
	if !ok {
		return bot.Destination{}, fmt.Errorf("%w: no %s for chat %q / user %q", errGone, t.Kind, t.Chat, t.User)
	}
	return d, nil
}
