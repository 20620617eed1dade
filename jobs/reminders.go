package jobs

import (
	"context"
	"fmt"
	"strings"

	"salesbot/bot"
	"salesbot/domain"
)

// planReminders: at 08:30 on working days, one card per member with the
// follow-ups due today and the overdue ones, with 已处理 / 推迟到明天
// buttons. A manager hears of a rep's follow-up only when it has been
// overdue for escalate_after working days (once, on that day), in one
// message for all of the team's late follow-ups.
func planReminders(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	tasks, err := r.st.OpenTasks(ctx, env.team.ID, "", env.day)
	if err != nil {
		return nil, err
	}
	byOwner := map[int64][]domain.TaskView{}
	for _, t := range tasks {
		byOwner[t.Task.OwnerID] = append(byOwner[t.Task.OwnerID], t)
	}
	var out []Message
	for _, m := range env.members {
		list := byOwner[m.ID]
		if len(list) == 0 || env.isMuted(m, JobReminders) {
			continue
		}
		to, ok := r.memberDest(m)
		if !ok {
			continue
		}
		card := bot.FollowUpCard(m.ID, env.day, list, JobReminders)
		out = append(out, Message{
			Recipient: memberRecipient(m), Name: m.Name,
			Reply: bot.Reply{To: to, Text: bot.FollowUpText(env.day, list), Markdown: true, Card: &card},
		})
	}
	return append(out, escalations(r, env, tasks)...), nil
}

// escalations tells the managers about follow-ups that reach escalate_after
// working days overdue today.
func escalations(r *Runner, env *teamEnv, tasks []domain.TaskView) []Message {
	n := env.cfg.EscalateAfter
	type late struct {
		owner domain.Member
		tasks []domain.TaskView
	}
	var lates []*late
	byOwner := map[int64]*late{}
	for _, t := range tasks {
		due := t.Task.Due
		// Only a follow-up crossing the line today; older ones were told.
		if due >= env.day || due.DaysSince(env.day) > 3*n+30 || env.cal.WorkingDaysAfter(due, env.day) != n {
			continue
		}
		owner, ok := env.member(t.Task.OwnerID)
		if !ok || owner.Role != domain.RoleRep {
			continue
		}
		l := byOwner[owner.ID]
		if l == nil {
			l = &late{owner: owner}
			byOwner[owner.ID] = l
			lates = append(lates, l)
		}
		l.tasks = append(l.tasks, t)
	}
	if len(lates) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**⚠️ 跟进逾期提醒（%s）**\n以下跟进已逾期 %d 个工作日仍未处理：", longDate(env.day), n)
	for _, l := range lates {
		fmt.Fprintf(&b, "\n**%s**（%d 条）", l.owner.Name, len(l.tasks))
		for _, t := range l.tasks {
			fmt.Fprintf(&b, "\n· %s：%s（应于 %s）", t.Customer, clip(t.Task.Title, 30), shortDate(t.Task.Due))
		}
	}
	var out []Message
	for _, m := range env.managers() {
		if env.isMuted(m, JobReminders) {
			continue
		}
		if to, ok := r.memberDest(m); ok {
			out = append(out, Message{Recipient: memberRecipient(m) + ":late", Name: m.Name, Reply: bot.Reply{To: to, Text: b.String(), Markdown: true}})
		}
	}
	return out
}
