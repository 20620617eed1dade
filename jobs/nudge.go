package jobs

import (
	"context"

	"salesbot/bot"
)

// planNudge: at 18:00 on working days, reps who have reported no visit
// today get a private nudge (with a button to turn it off).
func planNudge(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	act, err := r.st.TeamActivity(ctx, env.team.ID, env.day, env.day)
	if err != nil {
		return nil, err
	}
	visited := map[int64]bool{}
	for _, a := range act {
		visited[a.MemberID] = a.Visits > 0
	}
	var out []Message
	for _, m := range env.reps() {
		if visited[m.ID] || env.isMuted(m, JobNudge) {
			continue
		}
		to, ok := r.memberDest(m)
		if !ok {
			continue
		}
		card := bot.Card{
			ID:      "nudge:" + string(env.day),
			Title:   "今天还没有记录拜访",
			Note:    "今天见了客户、打了电话吗？直接发一句话就能记录，例如：今天拜访华辰科技张总，聊了ERP升级，下周三再约演示",
			Buttons: []bot.Button{{Key: bot.KeyJobMute + ":" + JobNudge, Text: "不再提醒"}},
		}
		out = append(out, Message{Recipient: memberRecipient(m), Name: m.Name, Reply: bot.Reply{To: to, Text: bot.CardText(card), Card: &card}})
	}
	return out, nil
}
