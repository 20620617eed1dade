package domain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
)

// targetsOnly is all LoadTargets needs from storage: one method, not the
// whole Store.
type targetsOnly struct {
	targets []domain.Target
	err     error
	asked   []string
}

func (f *targetsOnly) ListTargets(_ context.Context, teamID int64, month string) ([]domain.Target, error) {
	f.asked = append(f.asked, month)
	return f.targets, f.err
}

// daysOnly is all LoadCalendar needs: the deployment's overrides.
type daysOnly struct {
	days []domain.CalendarDay
	err  error
}

func (f daysOnly) ListCalendarDays(context.Context, domain.Date, domain.Date) ([]domain.CalendarDay, error) {
	return f.days, f.err
}

func TestMonthTargets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const lina, wang, gone = 1, 2, 3
	src := &targetsOnly{targets: []domain.Target{
		{MemberID: lina, TeamID: 9, Month: "2026-12", Metric: domain.MetricVisits, Value: 40},
		{MemberID: lina, TeamID: 9, Month: "2026-12", Metric: domain.MetricWonAmount, Value: 1_000_000},
		{MemberID: wang, TeamID: 9, Month: "2026-12", Metric: domain.MetricVisits, Value: 20},
		{MemberID: wang, TeamID: 9, Month: "2026-12", Metric: domain.MetricWonAmount, Value: 500_000},
		{TeamID: 9, Month: "2026-12", Metric: domain.MetricWonAmount, Value: 2_000_000}, // the team's own wins the sum
	}}
	targets, err := domain.LoadTargets(ctx, src, 9, "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"2026-12"}, src.asked); d != "" {
		t.Errorf("months read (-want +got):\n%s", d)
	}
	figs := map[int64]domain.Figures{
		lina: {Visits: 12, NewDeals: 2, WonAmount: 600_000},
		wang: {Visits: 5},
		gone: {Visits: 3, NewDeals: 1}, // left the team this month: still the team's work
	}
	team := []domain.TargetLine{
		{Metric: domain.MetricVisits, Done: 20, Target: 60}, // the members' sum: no team target
		{Metric: domain.MetricNewDeals, Done: 3, Target: 0},
		{Metric: domain.MetricWonAmount, Done: 600_000, Target: 2_000_000},
	}
	if d := cmp.Diff(team, targets.Team(figs)); d != "" {
		t.Errorf("team lines (-want +got):\n%s", d)
	}
	mine := []domain.TargetLine{
		{Metric: domain.MetricVisits, Done: 12, Target: 40},
		{Metric: domain.MetricNewDeals, Done: 2, Target: 0},
		{Metric: domain.MetricWonAmount, Done: 600_000, Target: 1_000_000},
	}
	if d := cmp.Diff(mine, targets.Member(lina, figs[lina])); d != "" {
		t.Errorf("李娜's lines (-want +got):\n%s", d)
	}
	texts := map[string]domain.TargetLine{
		"拜访 12 次 / 40 次（30%）":  mine[0],
		"新商机 2 个（未设目标）":        mine[1],
		"赢单金额 60万 / 100万（60%）": mine[2],
		"赢单金额 0 / 200万（0%）":    {Metric: domain.MetricWonAmount, Target: 2_000_000},
	}
	for want, l := range texts {
		if got := l.Text(); got != want {
			t.Errorf("Text = %q, want %q", got, want)
		}
	}
	// 28 visits to go over 8 working days: 4 a day (3.5 rounded up).
	if got := mine[0].PerDay(8); got != 4 {
		t.Errorf("PerDay(8) = %d, want 4", got)
	}

	// A failing read is the caller's error, not an empty set of targets.
	boom := errors.New("connection reset")
	if _, err := domain.LoadTargets(ctx, &targetsOnly{err: boom}, 9, "2026-12"); !errors.Is(err, boom) {
		t.Errorf("LoadTargets with a failing store = %v, want %v", err, boom)
	}
}

func TestWorkingDaysLeft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name      string
		overrides []domain.CalendarDay
		today     domain.Date
		want      int
	}{
		// Spring Festival 2026: 15–23 Feb off, Saturday 14 and 28 Feb worked.
		{"SpringFestival", nil, "2026-02-13", 7}, // 13, 14, 24, 25, 26, 27, 28
		{"HolidayToday", nil, "2026-02-16", 5},   // 24 … 28
		{"LastDay", nil, "2026-02-28", 1},
		{"CompanyDayOff", []domain.CalendarDay{{Date: "2026-02-27", Working: false}}, "2026-02-13", 6},
		{"December", nil, "2026-12-02", 22}, // 2–4, 7–11, 14–18, 21–25, 28–31
		{"Weekend", nil, "2026-12-26", 4},   // 28–31
	}
	for _, tt := range tests {
		cal, err := domain.LoadCalendar(ctx, daysOnly{days: tt.overrides}, tt.today, tt.today.MonthSpan().To)
		if err != nil {
			t.Fatal(err)
		}
		if got := cal.WorkingDaysLeft(tt.today, tt.today.MonthSpan().To); got != tt.want {
			t.Errorf("%s: WorkingDaysLeft(%s) = %d, want %d", tt.name, tt.today, got, tt.want)
		}
	}
	boom := errors.New("connection reset")
	if _, err := domain.LoadCalendar(ctx, daysOnly{err: boom}, "2026-12-01", "2026-12-31"); !errors.Is(err, boom) {
		t.Errorf("LoadCalendar with a failing store = %v, want %v", err, boom)
	}
}
