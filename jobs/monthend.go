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
	team, figs, err := r.monthProgress(ctx, env)
	if err != nil {
		return nil, err
	}
	targets, err := r.st.ListTargets(ctx, env.team.ID, env.day.Month())
	if err != nil {
		return nil, err
	}
	memberT := map[int64]map[domain.Metric]int64{}
	for _, t := range targets {
		if t.MemberID != 0 {
			if memberT[t.MemberID] == nil {
				memberT[t.MemberID] = map[domain.Metric]int64{}
			}
			memberT[t.MemberID][t.Metric] = t.Value
		}
	}
	type row struct {
		m    domain.Member
		ps   []TargetProgress
		rate int64 // won amount completion, per mille; -1 without a target
	}
	var rows []row
	for _, m := range env.reps() {
		f := figs[m.ID]
		done := map[domain.Metric]int64{
			domain.MetricVisits: int64(f.Visits), domain.MetricNewDeals: int64(f.NewDeals), domain.MetricWonAmount: f.WonAmount,
		}
		rw := row{m: m, rate: -1}
		for _, metric := range []domain.Metric{domain.MetricVisits, domain.MetricNewDeals, domain.MetricWonAmount} {
			rw.ps = append(rw.ps, TargetProgress{Metric: metric, Done: done[metric], Target: memberT[m.ID][metric]})
		}
		if t := memberT[m.ID][domain.MetricWonAmount]; t > 0 {
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
	for _, p := range team {
		b.WriteString("\n· " + progressLine(p))
	}
	for _, rw := range rows {
		parts := make([]string, len(rw.ps))
		for i, p := range rw.ps {
			if p.Target > 0 {
				parts[i] = progressLine(p)
			} else {
				parts[i] = metricLabels[p.Metric] + " " + metricValue(p.Metric, p.Done)
			}
		}
		fmt.Fprintf(&b, "\n**%s**：%s", rw.m.Name, strings.Join(parts, "；"))
	}
	b.WriteString("\n本月最后一个工作日，加油冲刺！")
	return r.toGroups(env, bot.Reply{Text: b.String(), Markdown: true}), nil
}
