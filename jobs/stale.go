package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"salesbot/bot"
	"salesbot/domain"
)

// planStale: at 10:00 on working days, each owner hears of their open deals
// that have had no activity for stale_days (7 / 14 / 30 days for A / B / C
// customers) and the manager gets one roll-up. A deal is told about on the
// working day it crosses the line, and again each time it stays quiet for
// another such stretch, not every day.
func planStale(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) {
	// Stale: last active on or before day - N, i.e. before day - N + 1.
	cutoff := map[domain.Tier]time.Time{}
	for tier, days := range env.cfg.StaleDays {
		cutoff[tier] = env.day.AddDays(-days + 1).Time(r.loc)
	}
	deals, err := r.st.StaleDeals(ctx, env.team.ID, cutoff)
	if err != nil {
		return nil, err
	}
	prev := env.cal.PrevWorkingDay(env.day)
	type alert struct {
		deal domain.StaleDeal
		days int
	}
	var fresh []alert
	staleBy := map[int64][]domain.StaleDeal{}
	for _, d := range deals {
		th := env.cfg.StaleDays[d.Tier]
		if th <= 0 {
			continue
		}
		last := domain.DateOf(activityOf(d.Deal), r.loc)
		days := last.DaysSince(env.day)
		before := last.DaysSince(prev)
		staleBy[d.Deal.OwnerID] = append(staleBy[d.Deal.OwnerID], d)
		if days >= th && days/th > floorDiv(before, th) {
			fresh = append(fresh, alert{deal: d, days: days})
		}
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	var out []Message
	byOwner := map[int64][]alert{}
	for _, a := range fresh {
		byOwner[a.deal.Deal.OwnerID] = append(byOwner[a.deal.Deal.OwnerID], a)
	}
	for _, m := range env.members {
		list := byOwner[m.ID]
		if len(list) == 0 || env.isMuted(m, JobStale) {
			continue
		}
		to, ok := r.memberDest(m)
		if !ok {
			continue
		}
		var b strings.Builder
		b.WriteString("**⏰ 商机停滞提醒**\n以下商机已经很久没有动态了，记得跟进：")
		for _, a := range list {
			fmt.Fprintf(&b, "\n· %s：%d 天没有动态", dealLine(a.deal), a.days)
		}
		out = append(out, Message{Recipient: memberRecipient(m), Name: m.Name, Reply: bot.Reply{To: to, Text: b.String(), Markdown: true}})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "**⏰ 商机停滞汇总（%s）**\n今天新出现停滞的商机 %d 个：", longDate(env.day), len(fresh))
	for _, a := range fresh {
		fmt.Fprintf(&b, "\n· %s → %s，%d 天", ownerName(env, a.deal.Deal.OwnerID), dealLine(a.deal), a.days)
	}
	total, amount := 0, int64(0)
	var parts []string
	for _, m := range env.members {
		if n := len(staleBy[m.ID]); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 个", m.Name, n))
		}
	}
	for _, d := range deals {
		if th := env.cfg.StaleDays[d.Tier]; th > 0 {
			total++
			amount += d.Deal.Amount
		}
	}
	fmt.Fprintf(&b, "\n目前停滞商机共 %d 个，合计 %s", total, yuanOrZero(amount))
	if len(parts) > 0 {
		b.WriteString("：" + strings.Join(parts, "，"))
	}
	for _, m := range env.managers() {
		if env.isMuted(m, JobStale) {
			continue
		}
		if to, ok := r.memberDest(m); ok {
			out = append(out, Message{Recipient: memberRecipient(m) + ":rollup", Name: m.Name, Reply: bot.Reply{To: to, Text: b.String(), Markdown: true}})
		}
	}
	return out, nil
}

func dealLine(d domain.StaleDeal) string {
	s := fmt.Sprintf("%s（%s类，%s", d.Customer, d.Tier, d.Deal.Stage.Label())
	if d.Deal.Amount > 0 {
		s += "，" + domain.Yuan(d.Deal.Amount)
	}
	return s + "）"
}

func ownerName(env *teamEnv, id int64) string {
	if m, ok := env.member(id); ok {
		return m.Name
	}
	return "（已离开团队的成员）"
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
