package jobs

import (
	"context"
	"fmt"
	"strings"

	"salesbot/bot"
	"salesbot/domain"
)

// planReminders: at 08:30 on working days, each member's one morning
// message: the follow-ups due today and the overdue ones (a card with
// 已处理 / 推迟到明天 buttons), the risks that appeared since the previous
// working day (deals gone stale, quiet A accounts, missed dates, long
// stages), the customers due to go back to the public pool and those that
// went back. A manager hears of a rep's follow-up only when it has been
// overdue for escalate_after working days (once, on that day), in one
// message for all of the team's late follow-ups.
func planReminders(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	tasks, err := r.openTasks(ctx, env, "", env.day)
	if err != nil {
		return nil, err
	}
	byOwner := map[int64][]domain.TaskView{}
	for _, t := range tasks {
		byOwner[t.Task.OwnerID] = append(byOwner[t.Task.OwnerID], t)
	}
	extra, err := r.morningExtras(ctx, env)
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, m := range env.members {
		list := byOwner[m.ID]
		if env.isMuted(m, JobReminders) {
			list = nil
		}
		sections := extra.of(env, m)
		if len(list) == 0 && len(sections) == 0 {
			continue
		}
		to, ok := r.memberDest(m)
		if !ok {
			continue
		}
		reply := bot.Reply{To: to, Markdown: true}
		var b strings.Builder
		if len(list) > 0 {
			card := bot.FollowUpCard(m.ID, env.day, list, JobReminders)
			b.WriteString(bot.FollowUpText(env.day, list))
			for _, sec := range sections {
				for _, line := range sec.lines {
					card.Fields = append(card.Fields, bot.Field{Label: sec.label, Value: line})
				}
			}
			reply.Card = &card
		} else {
			fmt.Fprintf(&b, "**☀️ 早安，%s**", m.Name)
		}
		for _, sec := range sections {
			fmt.Fprintf(&b, "\n\n**%s**", sec.title)
			for _, line := range sec.lines {
				b.WriteString("\n· " + line)
			}
		}
		reply.Text = b.String()
		out = append(out, Message{Recipient: memberRecipient(m), Name: m.Name, Reply: reply})
	}
	return append(out, escalations(r, env, tasks)...), nil
}

// morning is what the morning message adds to the follow-ups, per owner.
type morning struct {
	stale    map[int64][]string
	risks    map[int64][]string
	warnings map[int64][]string
	recycled map[int64][]string
}

type morningSection struct {
	title, label string
	lines        []string
}

func (r *Runner) morningExtras(ctx context.Context, env *teamEnv) (morning, error) {
	x := morning{stale: map[int64][]string{}, risks: map[int64][]string{}, warnings: map[int64][]string{}, recycled: map[int64][]string{}}
	fresh, _, err := r.staleDeals(ctx, env)
	if err != nil {
		return x, err
	}
	for _, a := range fresh {
		x.stale[a.deal.Deal.OwnerID] = append(x.stale[a.deal.Deal.OwnerID], fmt.Sprintf("%s：%d 天没有动态", dealLine(a.deal), a.days))
	}
	risks, err := r.risks(ctx, env)
	if err != nil {
		return x, err
	}
	for _, k := range risks {
		if k.New {
			x.risks[k.OwnerID] = append(x.risks[k.OwnerID], k.Text)
		}
	}
	warnings, err := r.poolWarnings(ctx, env)
	if err != nil {
		return x, err
	}
	for _, w := range warnings {
		x.warnings[w.owner] = append(x.warnings[w.owner], w.text)
	}
	recycled, err := r.poolRecycled(ctx, env)
	if err != nil {
		return x, err
	}
	for _, w := range recycled {
		x.recycled[w.owner] = append(x.recycled[w.owner], w.text)
	}
	return x, nil
}

// of lists m's sections, leaving out what m muted.
func (x morning) of(env *teamEnv, m domain.Member) []morningSection {
	var out []morningSection
	add := func(title, label string, lines []string) {
		if len(lines) > 0 {
			out = append(out, morningSection{title: title, label: label, lines: lines})
		}
	}
	if !env.isMuted(m, JobStale) {
		add("⏰ 商机停滞提醒", "停滞", x.stale[m.ID])
	}
	add("⚠️ 风险提醒", "风险", x.risks[m.ID])
	add("🌊 即将移入公海", "公海预警", x.warnings[m.ID])
	add("🌊 已移入公海", "已移入公海", x.recycled[m.ID])
	return out
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
	return r.toManagers(env, JobReminders, ":late", b.String())
}
