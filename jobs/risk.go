package jobs

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"salesbot/domain"
)

// Risks are accounts and deals going wrong before anyone says so:
//
//   - an A-tier customer without a visit for risk_quiet_days days (counted
//     from when its owner got it when never visited), deal or no deal;
//   - an open deal whose follow-up date passed with no activity since;
//   - a deal of at least risk_big_amount that has sat in its stage longer
//     than the team's median stay in that stage (completed stays over the
//     last 180 days, at least three of them).
//
// Every risk holds from a known day on. Its owner is told once, in the
// morning message of the first working day it holds (New), and the
// outbox's unique key (job, day, recipient) keeps a rerun or a second
// replica from telling again; the manager's digest lists all current ones.
type Risk struct {
	Kind     RiskKind
	OwnerID  int64
	Customer string
	Text     string      // what is wrong, for people
	Since    domain.Date // the first day it holds
	New      bool        // it first holds since the previous working day
}

// RiskKind names a kind of risk.
type RiskKind string

// The kinds of risk.
const (
	RiskQuietAccount RiskKind = "quiet_account"
	RiskMissedDate   RiskKind = "missed_date"
	RiskLongStage    RiskKind = "long_stage"
)

// riskLookback is how far back the team's stage history counts for the
// median stay.
const riskLookback = 180

// risks lists the team's current risks on env.day, by kind then customer.
func (r *Runner) risks(ctx context.Context, env *teamEnv) ([]Risk, error) {
	var out []Risk
	prev := env.cal.PrevWorkingDay(env.day)
	add := func(k RiskKind, owner int64, customer string, since domain.Date, text string) {
		if since > env.day {
			return
		}
		out = append(out, Risk{Kind: k, OwnerID: owner, Customer: customer, Text: text, Since: since, New: since > prev})
	}

	n := env.cfg.RiskQuietDays
	// Only A accounts without a visit for n days (give or take the store's
	// day of slack) are read, not the whole book.
	quiet, err := r.st.QuietCustomers(ctx, domain.QuietFilter{TeamID: env.team.ID, Tier: domain.TierA, VisitBy: env.day.AddDays(-n)})
	if err != nil {
		return nil, err
	}
	for _, o := range quiet {
		last := o.LastVisit
		if last.IsZero() {
			last = domain.DateOf(o.Customer.OwnedSince, r.loc)
		}
		if last.IsZero() {
			continue
		}
		text := fmt.Sprintf("%s（A类）%d 天没有拜访（上次 %s）", o.Customer.Name, last.DaysSince(env.day), shortDate(last))
		if o.LastVisit.IsZero() {
			text = fmt.Sprintf("%s（A类）接手 %d 天还没有拜访", o.Customer.Name, last.DaysSince(env.day))
		}
		add(RiskQuietAccount, o.Customer.OwnerID, o.Customer.Name, last.AddDays(n), text)
	}

	// Only the open deals that can be at risk are read: those of overdue
	// follow-ups and those that moved within the lookback.
	tasks, err := r.openTasks(ctx, env, "", env.day.AddDays(-1))
	if err != nil {
		return nil, err
	}
	moves, err := r.teamStageMoves(ctx, env)
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, t := range tasks {
		ids[t.Task.DealID] = true
	}
	for _, m := range moves {
		ids[m.DealID] = true
	}
	deals, err := r.st.ListDeals(ctx, domain.DealFilter{TeamID: env.team.ID, Status: domain.DealOpen, IDs: append([]int64{}, slices.Sorted(maps.Keys(ids))...)})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]domain.Deal, len(deals))
	for _, d := range deals {
		byID[d.ID] = d
	}
	missed := map[int64]bool{}
	for _, t := range tasks {
		d, ok := byID[t.Task.DealID]
		if !ok || missed[d.ID] || domain.DateOf(activityOf(d), r.loc) >= t.Task.Due {
			continue
		}
		missed[d.ID] = true
		add(RiskMissedDate, d.OwnerID, t.Customer, t.Task.Due.AddDays(1),
			fmt.Sprintf("%s：约定 %s「%s」，之后没有任何跟进", t.Customer, shortDate(t.Task.Due), clip(t.Task.Title, 20)))
	}

	for _, l := range r.longStages(env, deals, moves) {
		add(RiskLongStage, l.deal.OwnerID, l.customer, l.since, fmt.Sprintf("%s（%s）在「%s」已 %d 天，团队中位数 %d 天",
			l.customer, domain.Yuan(l.deal.Amount), l.deal.Stage.Label(), l.entered.DaysSince(env.day), l.median))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return riskOrder[out[i].Kind] < riskOrder[out[j].Kind]
		}
		return out[i].Customer < out[j].Customer
	})
	return out, nil
}

var riskOrder = map[RiskKind]int{RiskQuietAccount: 0, RiskMissedDate: 1, RiskLongStage: 2}

type longStage struct {
	deal     domain.Deal
	customer string
	entered  domain.Date // the day it entered its stage
	median   int
	since    domain.Date // the first day its stay exceeds the median
}

// longStages finds big open deals that have stayed in their stage longer
// than the team's median stay there (moves: teamStageMoves).
func (r *Runner) longStages(env *teamEnv, deals []domain.Deal, moves []domain.StageMove) []longStage {
	var big []domain.Deal
	for _, d := range deals {
		if d.Amount >= env.cfg.RiskBigAmount {
			big = append(big, d)
		}
	}
	if len(big) == 0 {
		return nil
	}
	type entry struct {
		stage domain.Stage
		at    time.Time
	}
	last := map[int64]entry{}         // deal → the stage it is in and since when
	stays := map[domain.Stage][]int{} // completed stays in days
	customers := map[int64]string{}   // deal → customer name
	for _, m := range moves {         // oldest first
		if e, ok := last[m.DealID]; ok && e.stage == m.From {
			stays[m.From] = append(stays[m.From], domain.DateOf(e.at, r.loc).DaysSince(domain.DateOf(m.At, r.loc)))
		}
		last[m.DealID] = entry{stage: m.To, at: m.At}
		customers[m.DealID] = m.Customer
	}
	var out []longStage
	for _, d := range big {
		med, ok := median(stays[d.Stage])
		e, seen := last[d.ID]
		if !ok || !seen || e.stage != d.Stage {
			continue // no team norm yet, or it entered its stage before the window
		}
		entered := domain.DateOf(e.at, r.loc)
		out = append(out, longStage{deal: d, customer: customers[d.ID], entered: entered, median: med, since: entered.AddDays(med + 1)})
	}
	return out
}

// median of at least three values, rounded down.
func median(v []int) (int, bool) {
	if len(v) < 3 {
		return 0, false
	}
	s := append([]int(nil), v...)
	sort.Ints(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}
