package domain

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Metrics lists the target metrics in the order they are shown.
var Metrics = []Metric{MetricVisits, MetricNewDeals, MetricWonAmount}

// Label is the Chinese name of the metric.
func (m Metric) Label() string {
	switch m {
	case MetricVisits:
		return "拜访"
	case MetricNewDeals:
		return "新商机"
	case MetricWonAmount:
		return "赢单金额"
	}
	return string(m)
}

// Format shows a value of the metric: 60 次, 3 个, 100万.
func (m Metric) Format(v int64) string {
	switch m {
	case MetricWonAmount:
		if v == 0 {
			return "0"
		}
		return Yuan(v)
	case MetricVisits:
		return strconv.FormatInt(v, 10) + " 次"
	}
	return strconv.FormatInt(v, 10) + " 个"
}

// TargetInput sets a member's or a team's targets for a month.
type TargetInput struct {
	Month  string // YYYY-MM
	Member string // a member's name, or
	Team   string // a team's name (exactly one of the two)
	Values map[Metric]int64
}

// ParseMonth checks a "YYYY-MM" month.
func ParseMonth(s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "/", "-"))
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return "", Errorf(EINVALID, "月份「%s」格式不对，应为 YYYY-MM", s)
	}
	return t.Format("2006-01"), nil
}

// SetTargets saves targets: an admin for anyone, a manager for their own
// team and its members. Metrics not in in.Values keep their target. The
// result is Created (none of them was set), Updated or Unchanged.
func (s *Service) SetTargets(ctx context.Context, actor Member, in TargetInput) (string, error) {
	if err := checkActive(actor); err != nil {
		return "", err
	}
	if err := checkManage(actor); err != nil {
		return "", Errorf(EFORBIDDEN, "只有经理或管理员可以设置目标")
	}
	month, err := ParseMonth(in.Month)
	if err != nil {
		return "", err
	}
	in.Member, in.Team = strings.TrimSpace(in.Member), strings.TrimSpace(in.Team)
	if (in.Member == "") == (in.Team == "") {
		return "", Errorf(EINVALID, "目标要写给一个成员或一个团队（二选一）")
	}
	if len(in.Values) == 0 {
		return "", Errorf(EINVALID, "没有目标数值（拜访、新商机、赢单金额至少写一项）")
	}
	for m, v := range in.Values {
		if !slices.Contains(Metrics, m) {
			return "", Errorf(EINVALID, "不认识的目标项「%s」", m)
		}
		if v < 0 {
			return "", Errorf(EINVALID, "%s目标不能是负数", m.Label())
		}
	}
	result := ""
	err = s.inTx(ctx, true, func(tx Store) error {
		var memberID, teamID int64
		if in.Member != "" {
			m, err := tx.MemberByName(ctx, in.Member)
			if errors.Is(err, ErrNotFound) {
				return Errorf(ENOTFOUND, "找不到成员「%s」", in.Member)
			}
			if err != nil {
				return err
			}
			if m.TeamID == 0 {
				return Errorf(EINVALID, "「%s」不属于任何团队，不能设置目标", m.Name)
			}
			memberID, teamID = m.ID, m.TeamID
		} else {
			t, err := tx.TeamByName(ctx, in.Team)
			if errors.Is(err, ErrNotFound) {
				return Errorf(ENOTFOUND, "找不到团队「%s」", in.Team)
			}
			if err != nil {
				return err
			}
			teamID = t.ID
		}
		if actor.Role != RoleAdmin && actor.TeamID != teamID {
			return Errorf(EFORBIDDEN, "只能给自己团队的成员设置目标")
		}
		old, err := tx.ListTargets(ctx, teamID, month)
		if err != nil {
			return err
		}
		had := map[Metric]int64{}
		for _, t := range old {
			if t.MemberID == memberID {
				had[t.Metric] = t.Value
			}
		}
		result = Unchanged
		if len(had) == 0 {
			result = Created
		}
		for _, m := range Metrics {
			v, ok := in.Values[m]
			if !ok {
				continue
			}
			if prev, set := had[m]; set && prev == v {
				continue
			}
			if result == Unchanged {
				result = Updated
			}
			if err := tx.SaveTarget(ctx, &Target{MemberID: memberID, TeamID: teamID, Month: month, Metric: m, Value: v}); err != nil {
				return err
			}
		}
		return nil
	})
	return result, err
}

// TargetLine is a month-to-date figure against its target (0: none set).
type TargetLine struct {
	Metric Metric
	Done   int64
	Target int64
}

// PerDay is what is still needed on each of the days left to meet the
// target, rounded up; 0 when met, when no target is set or no day is left.
func (l TargetLine) PerDay(days int) int64 {
	left := l.Target - l.Done
	if l.Target <= 0 || left <= 0 || days <= 0 {
		return 0
	}
	return (left + int64(days) - 1) / int64(days)
}

// Text shows the line: 拜访 12 次 / 20 次（60%）, or 拜访 12 次（未设目标）.
func (l TargetLine) Text() string {
	m := l.Metric
	if l.Target <= 0 {
		return m.Label() + " " + m.Format(l.Done) + "（未设目标）"
	}
	return m.Label() + " " + m.Format(l.Done) + " / " + m.Format(l.Target) + "（" + strconv.FormatInt(l.Done*100/l.Target, 10) + "%）"
}

// Value is the figure that a metric counts.
func (f Figures) Value(m Metric) int64 {
	switch m {
	case MetricVisits:
		return int64(f.Visits)
	case MetricNewDeals:
		return int64(f.NewDeals)
	case MetricWonAmount:
		return f.WonAmount
	}
	return 0
}

// MonthTargets are a team's targets for one month: the team's own and each
// member's. The one rule for a team's target lives here: its own target
// for a metric, else the sum of its members' targets.
type MonthTargets struct {
	team, sum map[Metric]int64
	member    map[int64]map[Metric]int64
}

// LoadTargets reads a team's targets for a month (YYYY-MM).
func LoadTargets(ctx context.Context, src TargetReader, teamID int64, month string) (MonthTargets, error) {
	targets, err := src.ListTargets(ctx, teamID, month)
	if err != nil {
		return MonthTargets{}, err
	}
	return NewMonthTargets(targets), nil
}

// NewMonthTargets sorts one team's targets for one month.
func NewMonthTargets(targets []Target) MonthTargets {
	t := MonthTargets{team: map[Metric]int64{}, sum: map[Metric]int64{}, member: map[int64]map[Metric]int64{}}
	for _, x := range targets {
		if x.MemberID == 0 {
			t.team[x.Metric] = x.Value
			continue
		}
		if t.member[x.MemberID] == nil {
			t.member[x.MemberID] = map[Metric]int64{}
		}
		t.member[x.MemberID][x.Metric] = x.Value
		t.sum[x.Metric] += x.Value
	}
	return t
}

// TeamTarget is the team's target for a metric: its own, else the sum of
// its members'; 0 when none is set.
func (t MonthTargets) TeamTarget(m Metric) int64 {
	if v, ok := t.team[m]; ok {
		return v
	}
	return t.sum[m]
}

// MemberTarget is a member's own target for a metric (0: none set).
func (t MonthTargets) MemberTarget(memberID int64, m Metric) int64 {
	return t.member[memberID][m]
}

// Team is the team's month against its targets, in Metrics order. figs are
// the month's figures of everyone who worked in the team, former members
// included, so that the team's figure is the sum of the lines shown per
// person.
func (t MonthTargets) Team(figs map[int64]Figures) []TargetLine {
	var total Figures
	for _, f := range figs {
		total.Visits += f.Visits
		total.NewDeals += f.NewDeals
		total.WonAmount += f.WonAmount
	}
	out := make([]TargetLine, 0, len(Metrics))
	for _, m := range Metrics {
		out = append(out, TargetLine{Metric: m, Done: total.Value(m), Target: t.TeamTarget(m)})
	}
	return out
}

// Member is a member's month against their own targets, in Metrics order.
func (t MonthTargets) Member(memberID int64, f Figures) []TargetLine {
	out := make([]TargetLine, 0, len(Metrics))
	for _, m := range Metrics {
		out = append(out, TargetLine{Metric: m, Done: f.Value(m), Target: t.MemberTarget(memberID, m)})
	}
	return out
}

// MemberTargets is one member's month against their targets.
type MemberTargets struct {
	Member Member
	Lines  []TargetLine // in Metrics order
}

// TargetReport is a month's targets and progress as a member may see it.
type TargetReport struct {
	Month    string // YYYY-MM
	Today    Date
	DaysLeft int // working days from today (included) to the month's end
	TeamName string
	Team     []TargetLine    // managers and admins: the team's (its own target, else the sum of its members')
	Members  []MemberTargets // a rep: their own; a manager: each rep of the team
}

// Targets reports the month of today with its targets and progress up to
// today: a rep's own, or a manager's team and each of its reps.
func (s *Service) Targets(ctx context.Context, actor Member, today Date) (TargetReport, error) {
	if err := checkActive(actor); err != nil {
		return TargetReport{}, err
	}
	if actor.TeamID == 0 {
		return TargetReport{}, Errorf(EINVALID, "你不属于任何团队，没有目标")
	}
	month := today.MonthSpan()
	r := TargetReport{Month: today.Month(), Today: today}
	team, err := s.store.TeamByID(ctx, actor.TeamID)
	if err != nil {
		return r, err
	}
	r.TeamName = team.Name
	cal, err := LoadCalendar(ctx, s.store, today, month.To)
	if err != nil {
		return r, err
	}
	r.DaysLeft = cal.WorkingDaysLeft(today, month.To)
	members, figs, err := s.TeamFigures(ctx, actor, actor.TeamID, month.SoFar(today))
	if err != nil {
		return r, err
	}
	targets, err := LoadTargets(ctx, s.store, actor.TeamID, r.Month)
	if err != nil {
		return r, err
	}
	for _, m := range members {
		mine := m.ID == actor.ID
		if actor.Role == RoleRep && !mine || actor.Role != RoleRep && m.Role != RoleRep {
			continue
		}
		r.Members = append(r.Members, MemberTargets{Member: m, Lines: targets.Member(m.ID, figs[m.ID])})
	}
	if actor.Role != RoleRep {
		r.Team = targets.Team(figs)
	}
	return r, nil
}
