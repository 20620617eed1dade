package jobs

import (
	"fmt"
	"strconv"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// memberDest is where a member's private pushes go: the first configured
// app (WeCom, DingTalk, the simulator, unless Deps.Apps says otherwise)
// that knows the member.
func (r *Runner) memberDest(m domain.Member) (bot.Destination, bool) {
	for _, p := range r.apps {
		if id := m.PlatformUserID(p); id != "" {
			return bot.Destination{Platform: p, UserID: id}, true
		}
	}
	return bot.Destination{}, false
}

// groupTarget is one group a team's group pushes go to, with its outbox
// recipient key.
type groupTarget struct {
	recipient string
	to        bot.Destination
}

// groupDests lists where a team's group pushes go: on each platform the
// team has a group on, its group robot when it has one (the usual way to
// push into a group, and all it takes is a sender), else a group chat a
// configured app can post to; the simulator's group chat when the simulator
// is on and nothing else is. On WeCom the team's wecom_group setting may
// choose the way instead, the AI bot's long connection among them. The
// first keeps the recipient key "g", the others add their platform
// ("g:dingtalk"), so each group gets one push.
func (r *Runner) groupDests(env *teamEnv) []groupTarget {
	t := env.team
	var out []groupTarget
	add := func(to bot.Destination) {
		key := "g"
		if len(out) > 0 {
			key += ":" + string(to.Platform)
		}
		out = append(out, groupTarget{recipient: key, to: to})
	}
	_, wecom := r.senders[domain.PlatformWeCom]
	_, dingtalk := r.senders[domain.PlatformDingTalk]
	wecomApp, dingtalkApp, simApp := false, false, false
	for _, p := range r.apps {
		wecomApp = wecomApp || p == domain.PlatformWeCom
		dingtalkApp = dingtalkApp || p == domain.PlatformDingTalk
		simApp = simApp || p == domain.PlatformSim
	}
	switch via := env.cfg.WeComGroup; {
	case via == WeComGroupAIBot && wecom && t.WeComChatID != "":
		add(bot.Destination{Platform: domain.PlatformWeCom, AIBot: true, ChatID: t.WeComChatID})
	case (via == "" || via == WeComGroupRobot) && wecom && t.WeComRobotURL != "":
		add(bot.Destination{Platform: domain.PlatformWeCom, RobotURL: t.WeComRobotURL})
	case (via == "" || via == WeComGroupApp) && wecomApp && t.WeComChatID != "":
		add(bot.Destination{Platform: domain.PlatformWeCom, ChatID: t.WeComChatID})
	}
	switch {
	case dingtalk && t.DingTalkRobotURL != "":
		add(bot.Destination{Platform: domain.PlatformDingTalk, RobotURL: t.DingTalkRobotURL, RobotSecret: t.DingTalkRobotSecret})
	case dingtalkApp && t.DingTalkChatID != "":
		add(bot.Destination{Platform: domain.PlatformDingTalk, ChatID: t.DingTalkChatID})
	}
	if len(out) == 0 && simApp {
		add(bot.Destination{Platform: domain.PlatformSim, ChatID: t.SimChatID()})
	}
	return out
}

// toGroups addresses reply to every group of the team.
func (r *Runner) toGroups(env *teamEnv, reply bot.Reply) []Message {
	t := env.team
	var out []Message
	for _, g := range r.groupDests(env) {
		rep := reply
		rep.To = g.to
		out = append(out, Message{Recipient: g.recipient, Name: t.Name + " 群", Reply: rep})
	}
	return out
}

// toManagers addresses a markdown text privately to each of the team's
// managers who did not mute job; suffix tells the push from the job's
// others to the same manager (":late").
func (r *Runner) toManagers(env *teamEnv, job, suffix, text string) []Message {
	var out []Message
	for _, m := range env.managers() {
		if env.isMuted(m, job) {
			continue
		}
		if to, ok := r.memberDest(m); ok {
			out = append(out, Message{Recipient: memberRecipient(m) + suffix, Name: m.Name, Reply: bot.Reply{To: to, Text: text, Markdown: true}})
		}
	}
	return out
}

// memberRecipient is the outbox recipient of a member's private push.
func memberRecipient(m domain.Member) string { return "m" + strconv.FormatInt(m.ID, 10) }

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// shortDate is "1月5日".
func shortDate(d domain.Date) string {
	t := d.Time(time.UTC)
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// longDate is "1月5日（周一）".
func longDate(d domain.Date) string {
	return shortDate(d) + "（" + weekdays[d.Weekday()] + "）"
}

func yuanOrZero(v int64) string {
	if v == 0 {
		return "0"
	}
	return domain.Yuan(v)
}

// percent is done/target as "40%" ("—" without a target).
func percent(done, target int64) string {
	if target <= 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", done*100/target)
}

// clip shortens s to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
