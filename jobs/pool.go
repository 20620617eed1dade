package jobs

import (
	"context"
	"fmt"
	"time"

	"salesbot/domain"
)

// The pool job: at 03:00 every day it moves the team's customers whose
// owner has gone quiet back to the public pool (domain.Service.Recycle:
// idempotent, one transaction per customer). It sends nothing itself: its
// owners hear of it, and of the customers due soon, in their morning
// message (planReminders), and the managers in the digest, so that a rep
// gets one push in the morning.

// recyclePool is the pool job's act.
func recyclePool(ctx context.Context, r *Runner, env *teamEnv) (int, error) {
	if r.pool == nil {
		return 0, nil
	}
	moved, err := r.pool.Recycle(ctx, env.team.ID, env.day)
	for _, m := range moved {
		r.log.Info("recycled to the pool", "team_id", env.team.ID, "customer_id", m.CustomerID, "from_member_id", m.FromID, "reason", m.Reason)
	}
	return len(moved), err
}

// planPool: the pool job plans no pushes.
func planPool(ctx context.Context, r *Runner, env *teamEnv) ([]Message, error) { return nil, nil }

// PoolDue lists what the pool job would move on day (salesbot job pool
// --dry-run).
func (r *Runner) PoolDue(ctx context.Context, teamID int64, day domain.Date) ([]domain.PoolDue, error) {
	env, err := r.loadEnv(ctx, teamID, day)
	if err != nil {
		return nil, err
	}
	due, err := r.poolDue(ctx, env)
	var out []domain.PoolDue
	for _, d := range due {
		if d.Due <= day {
			out = append(out, d)
		}
	}
	return out, err
}

// poolNotice is one line of a rep's morning message about the pool.
type poolNotice struct {
	owner int64
	text  string
}

// poolWarnings are the owners' warnings due today: a customer is told about
// on the working days when pool_warn_days working days are left before it
// goes back (by default 3 and 1), counting today.
func (r *Runner) poolWarnings(ctx context.Context, env *teamEnv) ([]poolNotice, error) {
	rules := env.cfg.Pool
	if len(rules.WarnDays) == 0 {
		return nil, nil
	}
	due, err := r.poolDue(ctx, env)
	if err != nil {
		return nil, err
	}
	var out []poolNotice
	for _, d := range due {
		if d.Due <= env.day {
			continue
		}
		left := env.cal.WorkingDaysAfter(env.day.AddDays(-1), d.Due.AddDays(-1)) // working days in [today, due)
		for _, w := range rules.WarnDays {
			if left == w {
				out = append(out, poolNotice{owner: d.Customer.OwnerID, text: fmt.Sprintf(
					"%s：还剩 %d 个工作日，%s移入公海；拜访或推进一次即可保留", d.Customer.Name, left, shortDate(d.Due))})
			}
		}
	}
	return out, nil
}

// poolRecycled are the customers taken from their owners since the
// previous working day's morning message: recycled on a day after the
// previous working day, up to today.
func (r *Runner) poolRecycled(ctx context.Context, env *teamEnv) ([]poolNotice, error) {
	moves, err := r.poolMoves(ctx, env, env.cal.PrevWorkingDay(env.day).AddDays(1), env.day)
	if err != nil {
		return nil, err
	}
	var out []poolNotice
	for _, m := range moves {
		if m.Action == domain.OwnerRecycle {
			out = append(out, poolNotice{owner: m.FromID, text: fmt.Sprintf("%s 已移入公海（%s）", m.Customer, m.Reason)})
		}
	}
	return out, nil
}

// poolMoves are the team's owner changes on the days from..to inclusive.
func (r *Runner) poolMoves(ctx context.Context, env *teamEnv, from, to domain.Date) ([]domain.OwnerChange, error) {
	if r.pool == nil {
		return nil, nil
	}
	start, _ := r.dayBounds(from)
	_, end := r.dayBounds(to)
	return r.pool.OwnerChanges(ctx, env.team.ID, start, end)
}

// moveLine describes an owner change for a manager.
func moveLine(env *teamEnv, m domain.OwnerChange, loc *time.Location) string {
	s := fmt.Sprintf("%s：%s → %s（%s", m.Customer, env.name(m.FromID), env.name(m.ToID), m.Action.Label())
	if m.Reason != "" {
		s += "，" + m.Reason
	}
	if m.ActorID != 0 && m.ActorID != m.ToID && m.Action != domain.OwnerRecycle {
		s += "，" + env.name(m.ActorID) + " 操作"
	}
	return s + "，" + m.At.In(loc).Format("15:04") + "）"
}
