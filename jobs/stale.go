package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salesbot/domain"
)

// planStale: at 10:00 on working days the manager gets one roll-up of the
// team's stale deals: open deals without activity for stale_days (7 / 14
// / 30 days for A / B / C customers). A deal counts as new on the working
// day it crosses the line, and again each time it stays quiet for another
// such stretch; its owner hears of it in that morning's message
// (planReminders), not every day.
func planStale(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	fresh, deals, err := r.staleDeals(ctx, env)
	if err != nil || len(fresh) == 0 {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**⏰ 商机停滞汇总（%s）**\n今天新出现停滞的商机 %d 个：", longDate(env.day), len(fresh))
	for _, a := range fresh {
		fmt.Fprintf(&b, "\n· %s → %s，%d 天", env.name(a.deal.Deal.OwnerID), dealLine(a.deal), a.days)
	}
	total, amount := 0, int64(0)
	staleBy := map[int64]int{}
	for _, d := range deals {
		total++
		amount += d.Deal.Amount
		staleBy[d.Deal.OwnerID]++
	}
	var parts []string
	for _, m := range env.members {
		if n := staleBy[m.ID]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 个", m.Name, n))
		}
	}
	fmt.Fprintf(&b, "\n目前停滞商机共 %d 个，合计 %s", total, yuanOrZero(amount))
	if len(parts) > 0 {
		b.WriteString("：" + strings.Join(parts, "，"))
	}
	return r.toManagers(env, JobStale, ":rollup", b.String()), nil
}

// staleAlert is a deal that crossed a stale line today.
type staleAlert struct {
	deal domain.StaleDeal
	days int
}

// staleDeals lists the deals that became stale today (fresh) and all the
// team's stale deals.
func (r *Runner) staleDeals(ctx context.Context, env *teamEnv) ([]staleAlert, []domain.StaleDeal, error) {
	// Stale: last active on or before day - N, i.e. before day - N + 1.
	cutoff := map[domain.Tier]time.Time{}
	for tier, days := range env.cfg.StaleDays {
		cutoff[tier] = env.day.AddDays(-days + 1).Time(r.loc)
	}
	deals, err := r.st.StaleDeals(ctx, env.team.ID, cutoff)
	if err != nil {
		return nil, nil, err
	}
	prev := env.cal.PrevWorkingDay(env.day)
	var fresh []staleAlert
	var all []domain.StaleDeal
	for _, d := range deals {
		th := env.cfg.StaleDays[d.Tier]
		if th <= 0 {
			continue
		}
		all = append(all, d)
		last := domain.DateOf(activityOf(d.Deal), r.loc)
		days := last.DaysSince(env.day)
		before := last.DaysSince(prev)
		if days >= th && days/th > floorDiv(before, th) {
			fresh = append(fresh, staleAlert{deal: d, days: days})
		}
	}
	return fresh, all, nil
}

func dealLine(d domain.StaleDeal) string {
	s := fmt.Sprintf("%s（%s类，%s", d.Customer, d.Tier, d.Deal.Stage.Label())
	if d.Deal.Amount > 0 {
		s += "，" + domain.Yuan(d.Deal.Amount)
	}
	return s + "）"
}

// floorDiv is a/b rounded down (a may be negative).
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// activityOf is when a deal last moved: its last activity, else its creation.
func activityOf(d domain.Deal) time.Time {
	if d.LastActivityAt.IsZero() {
		return d.CreatedAt
	}
	return d.LastActivityAt
}
