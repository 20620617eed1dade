package domain

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PoolRules are a team's pool settings (pool.md §4). They are team
// settings (Setting rows) named below; jobs' `salesbot job settings` shows
// and changes them beside the schedules.
//
//	pool_recycle_days   "30,21,14": days without a visit or stage change before an A, B, C customer goes back; "off"
//	pool_warn_days      "3,1": working days before that its owner is warned; "off"
//	pool_daily_claims   5: claims per rep per day (0: unlimited); managers and admins are exempt
//	pool_cap            60: customers a rep may own, won ones not counted (0: unlimited)
//	pool_cooldown_days  30: days the previous owner must wait to claim it again
type PoolRules struct {
	RecycleDays  map[Tier]int // empty: recycling off
	WarnDays     []int        // working days before, largest first
	DailyClaims  int
	Cap          int
	CoolDownDays int
	// SwitchedOn: the recycle clock of untouched customers starts no
	// earlier than the day the rule was last set, so switching it on
	// sweeps nothing at once.
	SwitchedOn time.Time
}

// The pool setting names.
const (
	SettingPoolRecycleDays  = "pool_recycle_days"
	SettingPoolWarnDays     = "pool_warn_days"
	SettingPoolDailyClaims  = "pool_daily_claims"
	SettingPoolCap          = "pool_cap"
	SettingPoolCoolDownDays = "pool_cooldown_days"
)

// PoolSettingNames lists the pool settings.
var PoolSettingNames = []string{SettingPoolRecycleDays, SettingPoolWarnDays, SettingPoolDailyClaims, SettingPoolCap, SettingPoolCoolDownDays}

// Exempt from recycling: an open deal at this stage or later, or a deal won
// within wonShieldDays.
const (
	exemptStage   = StageProposal
	wonShieldDays = 180
)

// DefaultPoolRules are pool.md §4's defaults.
func DefaultPoolRules() PoolRules {
	return PoolRules{
		RecycleDays: map[Tier]int{TierA: 30, TierB: 21, TierC: 14},
		WarnDays:    []int{3, 1}, DailyClaims: 5, Cap: 60, CoolDownDays: 30,
	}
}

// IsPoolSetting reports whether name is one of the pool settings.
func IsPoolSetting(name string) bool {
	for _, n := range PoolSettingNames {
		if n == name {
			return true
		}
	}
	return false
}

// Apply sets one pool setting; a bad value is an error naming it.
func (p *PoolRules) Apply(name, value string) error {
	value = strings.TrimSpace(value)
	switch name {
	case SettingPoolRecycleDays:
		if value == "off" {
			p.RecycleDays = nil
			return nil
		}
		days, err := dayList(value, 3)
		if err != nil {
			return Errorf(EINVALID, "pool_recycle_days 应为 A,B,C 三个正整数天数（例如 30,21,14）或 off")
		}
		p.RecycleDays = map[Tier]int{TierA: days[0], TierB: days[1], TierC: days[2]}
	case SettingPoolWarnDays:
		if value == "off" {
			p.WarnDays = nil
			return nil
		}
		days, err := dayList(value, 0)
		if err != nil {
			return Errorf(EINVALID, "pool_warn_days 应为提前提醒的工作日数，用逗号分隔（例如 3,1）或 off")
		}
		p.WarnDays = days
	case SettingPoolDailyClaims, SettingPoolCap, SettingPoolCoolDownDays:
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return Errorf(EINVALID, "%s 应为 0 或正整数", name)
		}
		switch name {
		case SettingPoolDailyClaims:
			p.DailyClaims = n
		case SettingPoolCap:
			p.Cap = n
		default:
			p.CoolDownDays = n
		}
	default:
		return Errorf(EINVALID, "不认识的设置「%s」", name)
	}
	return nil
}

// ApplySetting applies a stored setting row; setting pool_recycle_days
// restarts the clock of untouched customers on the day it was saved.
func (p *PoolRules) ApplySetting(s Setting) error {
	if err := p.Apply(s.Name, s.Value); err != nil {
		return err
	}
	if s.Name == SettingPoolRecycleDays {
		p.SwitchedOn = s.UpdatedAt
	}
	return nil
}

// Values are the rules as name=value settings, in PoolSettingNames order.
func (p PoolRules) Values() []string {
	recycle := "off"
	if len(p.RecycleDays) > 0 {
		recycle = strconv.Itoa(p.RecycleDays[TierA]) + "," + strconv.Itoa(p.RecycleDays[TierB]) + "," + strconv.Itoa(p.RecycleDays[TierC])
	}
	warn := "off"
	if len(p.WarnDays) > 0 {
		parts := make([]string, len(p.WarnDays))
		for i, d := range p.WarnDays {
			parts[i] = strconv.Itoa(d)
		}
		warn = strings.Join(parts, ",")
	}
	return []string{
		SettingPoolRecycleDays + "=" + recycle, SettingPoolWarnDays + "=" + warn,
		SettingPoolDailyClaims + "=" + strconv.Itoa(p.DailyClaims), SettingPoolCap + "=" + strconv.Itoa(p.Cap),
		SettingPoolCoolDownDays + "=" + strconv.Itoa(p.CoolDownDays),
	}
}

// dayList parses "a,b,c" positive integers (n of them; 0: any number),
// largest first when n is 0.
func dayList(s string, n int) ([]int, error) {
	parts := strings.Split(s, ",")
	if n > 0 && len(parts) != n {
		return nil, Errorf(EINVALID, "wrong count")
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v <= 0 {
			return nil, Errorf(EINVALID, "not a positive number")
		}
		out[i] = v
	}
	if n == 0 {
		for i := 1; i < len(out); i++ {
			for j := i; j > 0 && out[j] > out[j-1]; j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
	}
	return out, nil
}

// PoolRulesFrom reads a team's pool rules from the settings rows; a bad
// row keeps the default and is returned.
func PoolRulesFrom(rows []Setting, teamID int64) (PoolRules, []error) {
	p := DefaultPoolRules()
	var bad []error
	for _, r := range rows {
		if r.TeamID != teamID || r.MemberID != 0 || !IsPoolSetting(r.Name) {
			continue
		}
		if err := p.ApplySetting(r); err != nil {
			bad = append(bad, err)
		}
	}
	return p, bad
}

// DueDate is the day an owned customer goes back to the pool, counted from
// the later of its last visit, its last deal activity, when its owner got
// it and when the rule was switched on; ok is false when it is exempt (an
// open deal at 方案 or later, a deal won in the last 180 days) or its tier
// has no rule.
func (p PoolRules) DueDate(o OwnedCustomer, today Date, loc *time.Location) (Date, bool) {
	days := p.days(o.Customer.Tier)
	if days <= 0 || o.Customer.OwnerID == 0 {
		return "", false
	}
	if o.OpenStage != "" && o.OpenStage.Rank() >= exemptStage.Rank() {
		return "", false
	}
	if !o.LastWon.IsZero() && DateOf(o.LastWon, loc).DaysSince(today) < wonShieldDays {
		return "", false
	}
	start := dateOrZero(p.SwitchedOn, loc)
	for _, d := range []Date{o.LastVisit, dateOrZero(o.LastMove, loc), dateOrZero(o.Customer.OwnedSince, loc)} {
		if d > start {
			start = d
		}
	}
	if start.IsZero() {
		return "", false // no clock yet (a record loaded without an owner time)
	}
	return start.AddDays(days), true
}

// DueFilter selects the team's customers that may come due on or before
// until as seen on today: quiet for their tier's period, not exempt. It
// bounds the jobs' read (PoolStore.QuietCustomers) so that it follows the
// day's activity, not the size of the book; DueDate still decides. ok is
// false when recycling is off.
func (p PoolRules) DueFilter(teamID int64, today, until Date, loc *time.Location) (QuietFilter, bool) {
	if len(p.RecycleDays) == 0 {
		return QuietFilter{}, false
	}
	f := QuietFilter{TeamID: teamID, ActiveBy: map[Tier]Date{}, WonSince: today.AddDays(-wonShieldDays + 1).Time(loc)}
	for _, t := range []Tier{TierA, TierB, TierC, ""} {
		if d := p.days(t); d > 0 {
			f.ActiveBy[t] = until.AddDays(-d)
		}
	}
	for _, st := range Stages {
		if !st.Closed() && st.Rank() >= exemptStage.Rank() {
			f.ExceptOpenAt = append(f.ExceptOpenAt, st)
		}
	}
	return f, true
}

// days is the recycle period of a tier (no tier counts as C); 0 none.
func (p PoolRules) days(t Tier) int {
	if t == "" {
		t = TierC
	}
	return p.RecycleDays[t]
}

func dateOrZero(t time.Time, loc *time.Location) Date {
	if t.IsZero() {
		return ""
	}
	return DateOf(t, loc)
}

// DueList lists the owned customers that have a recycle day, soonest first.
func (p PoolRules) DueList(owned []OwnedCustomer, today Date, loc *time.Location) []PoolDue {
	var out []PoolDue
	for _, o := range owned {
		if due, ok := p.DueDate(o, today, loc); ok {
			out = append(out, PoolDue{Customer: o.Customer, Due: due})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Due != out[j].Due {
			return out[i].Due < out[j].Due
		}
		return out[i].Customer.ID < out[j].Customer.ID
	})
	return out
}

// poolRules reads the pool rules of a team.
func (s *Service) poolRules(ctx context.Context, teamID int64) (PoolRules, error) {
	rows, err := s.store.ListSettings(ctx)
	if err != nil {
		return PoolRules{}, err
	}
	p, _ := PoolRulesFrom(rows, teamID) // a bad row keeps the default; jobs report it
	return p, nil
}
