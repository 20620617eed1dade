package jobs

import (
	"context"

	"salesbot/bot"
	"salesbot/domain"
)

// weeklyFunnel is the digest's weekly section: on the week's last working
// day, the team's funnel over the week so far, with the same figures and
// words as the 漏斗 chat command (domain.LoadFunnel, bot.FunnelText).
func (r *Runner) weeklyFunnel(ctx context.Context, env *teamEnv) (string, error) {
	week := env.day.WeekSpan()
	if !env.cal.Working(env.day) || env.cal.NextWorkingDay(env.day) <= week.To {
		return "", nil
	}
	tf, err := domain.LoadFunnel(ctx, r.st, env.team.ID, domain.Span{From: week.From, To: env.day}, r.loc)
	if err != nil {
		return "", err
	}
	if tf.Team.Deals == 0 {
		return "\n\n**📊 本周漏斗**：本周没有商机推进。", nil
	}
	return "\n\n" + bot.FunnelText("本周漏斗与转化", tf.Team), nil
}
