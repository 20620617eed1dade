package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"salesbot/bot"
	"salesbot/domain"
)

// planMonthEnd: at 17:00 on the month's last working day, the team group
// sees the month's target progress, for the team and for each rep.
func planMonthEnd(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	if len(r.groupDests(env)) == 0 {
		return nil, nil
	}
	targets, figs, err := r.monthProgress(ctx, env)
	if err != nil {
		return nil, err
	}
	type row struct {
		m     domain.Member
		lines []domain.TargetLine
		rate  int64 // won amount completion, per mille; -1 without a target
	}
	var rows []row
	for _, m := range env.reps() {
		f := figs[m.ID]
		rw := row{m: m, lines: targets.Member(m.ID, f), rate: -1}
		if t := targets.MemberTarget(m.ID, domain.MetricWonAmount); t > 0 {
			rw.rate = f.WonAmount * 1000 / t
		}
		rows = append(rows, rw)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].rate != rows[j].rate {
			return rows[i].rate > rows[j].rate
		}
		return rows[i].m.Name < rows[j].m.Name
	})
	var b strings.Builder
	month := env.day.Time(r.loc)
	fmt.Fprintf(&b, "**🎯 %s %d月目标完成情况**（截至 %s）", env.team.Name, month.Month(), shortDate(env.day))
	b.WriteString("\n**团队**")
	for _, l := range targets.Team(figs) {
		b.WriteString("\n· " + l.Text())
	}
	for _, rw := range rows {
		parts := make([]string, len(rw.lines))
		for i, l := range rw.lines {
			if l.Target > 0 {
				parts[i] = l.Text()
			} else {
				parts[i] = l.Metric.Label() + " " + l.Metric.Format(l.Done)
			}
		}
		fmt.Fprintf(&b, "\n**%s**：%s", rw.m.Name, strings.Join(parts, "；"))
	}
	b.WriteString("\n本月最后一个工作日，加油冲刺！")
	return r.toGroups(env, bot.Reply{Text: b.String(), Markdown: true}), nil
}
