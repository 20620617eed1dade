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

// groupDest is where a team's group pushes go: its group robot when it has
// one (the usual way to push into a group, and all it takes is a sender),
// else a group chat a configured app can post to; the simulator's group
// chat when the simulator is on and nothing else is.
func (r *Runner) groupDest(t domain.Team) (bot.Destination, bool) {
	_, wecom := r.senders[domain.PlatformWeCom]
	_, dingtalk := r.senders[domain.PlatformDingTalk]
	switch {
	case wecom && t.WeComRobotURL != "":
		return bot.Destination{Platform: domain.PlatformWeCom, RobotURL: t.WeComRobotURL}, true
	case dingtalk && t.DingTalkRobotURL != "":
		return bot.Destination{Platform: domain.PlatformDingTalk, RobotURL: t.DingTalkRobotURL, RobotSecret: t.DingTalkRobotSecret}, true
	}
	for _, p := range r.apps {
		switch {
		case p == domain.PlatformWeCom && t.WeComChatID != "":
			return bot.Destination{Platform: p, ChatID: t.WeComChatID}, true
		case p == domain.PlatformDingTalk && t.DingTalkChatID != "":
			return bot.Destination{Platform: p, ChatID: t.DingTalkChatID}, true
		case p == domain.PlatformSim:
			return bot.Destination{Platform: p, ChatID: t.SimChatID()}, true
		}
	}
	return bot.Destination{}, false
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
