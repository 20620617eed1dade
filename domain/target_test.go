package domain_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
)

func TestSetTargets(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		set := func(actor domain.Member, in domain.TargetInput) (string, error) {
			return f.svc.SetTargets(f.ctx, actor, in)
		}
		v := func(visits, deals, won int64) map[domain.Metric]int64 {
			return map[domain.Metric]int64{domain.MetricVisits: visits, domain.MetricNewDeals: deals, domain.MetricWonAmount: won}
		}
		tests := []struct {
			name   string
			actor  domain.Member
			in     domain.TargetInput
			result string
			code   string
		}{
			{"ManagerOwnRep", f.EastManager, domain.TargetInput{Month: "2026-03", Member: "李娜", Values: v(60, 5, 1_000_000)}, domain.Created, ""},
			{"SameAgain", f.EastManager, domain.TargetInput{Month: "2026-03", Member: "李娜", Values: v(60, 5, 1_000_000)}, domain.Unchanged, ""},
			{"OneMetricChanged", f.EastManager, domain.TargetInput{Month: "2026-03", Member: "李娜", Values: map[domain.Metric]int64{domain.MetricVisits: 70}}, domain.Updated, ""},
			{"ManagerOwnTeam", f.EastManager, domain.TargetInput{Month: "2026-03", Team: "华东大客户部", Values: v(200, 12, 3_000_000)}, domain.Created, ""},
			{"ManagerOtherTeamsRep", f.EastManager, domain.TargetInput{Month: "2026-03", Member: "杨帆", Values: v(1, 1, 1)}, "", domain.EFORBIDDEN},
			{"RepMayNot", lina, domain.TargetInput{Month: "2026-03", Member: "李娜", Values: v(1, 1, 1)}, "", domain.EFORBIDDEN},
			{"AdminAnyone", f.Admin, domain.TargetInput{Month: "2026-03", Member: "杨帆", Values: v(40, 3, 500_000)}, domain.Created, ""},
			{"UnknownMember", f.Admin, domain.TargetInput{Month: "2026-03", Member: "不存在", Values: v(1, 1, 1)}, "", domain.ENOTFOUND},
			{"BadMonth", f.Admin, domain.TargetInput{Month: "2026-13", Member: "李娜", Values: v(1, 1, 1)}, "", domain.EINVALID},
			{"BothMemberAndTeam", f.Admin, domain.TargetInput{Month: "2026-03", Member: "李娜", Team: "华东大客户部", Values: v(1, 1, 1)}, "", domain.EINVALID},
			{"Negative", f.Admin, domain.TargetInput{Month: "2026-03", Member: "李娜", Values: map[domain.Metric]int64{domain.MetricVisits: -1}}, "", domain.EINVALID},
			{"NoValues", f.Admin, domain.TargetInput{Month: "2026-03", Member: "李娜"}, "", domain.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := set(tt.actor, tt.in)
				wantCode(t, err, tt.code)
				if got != tt.result {
					t.Errorf("result = %q, want %q", got, tt.result)
				}
			})
		}
		ts, err := f.store.ListTargets(f.ctx, f.East.ID, "2026-03")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, x := range ts {
			got[string(x.Metric)+map[bool]string{true: "@team", false: "@lina"}[x.MemberID == 0]] = x.Value
		}
		want := map[string]int64{"visits@lina": 70, "new_deals@lina": 5, "won_amount@lina": 1_000_000,
			"visits@team": 200, "new_deals@team": 12, "won_amount@team": 3_000_000}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("stored targets (-want +got):\n%s", d)
		}
	})
}

func TestTargets(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		for _, in := range []domain.TargetInput{
			{Month: "2026-03", Member: "李娜", Values: map[domain.Metric]int64{domain.MetricVisits: 20, domain.MetricWonAmount: 1_000_000}},
			{Month: "2026-03", Member: "王强", Values: map[domain.Metric]int64{domain.MetricVisits: 10}},
		} {
			if _, err := f.svc.SetTargets(f.ctx, f.EastManager, in); err != nil {
				t.Fatal(err)
			}
		}
		// 李娜: two visits and a 120万 win; 王强 one visit.
		f.clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, cst))
		f.record(t, lina, domain.Report{SourceMsgID: "t1", CustomerID: f.Customer("华辰科技有限公司").ID, Facts: domain.Facts{Stage: domain.StageQuote, Amount: 1_000_000}})
		f.clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, cst))
		f.record(t, lina, domain.Report{SourceMsgID: "t2", CustomerID: f.Customer("华辰科技有限公司").ID, Facts: domain.Facts{Stage: domain.StageWon, Amount: 1_200_000}})
		f.record(t, wang, domain.Report{SourceMsgID: "t3", CustomerID: f.Customer("德润精密机械有限公司").ID})
		// Wednesday 25 March: working days left, today included: 25, 26, 27,
		// 30, 31 March.
		f.clock.Set(time.Date(2026, 3, 25, 9, 0, 0, 0, cst))

		t.Run("Rep", func(t *testing.T) {
			r, err := f.svc.Targets(f.ctx, lina, f.svc.Today())
			if err != nil {
				t.Fatal(err)
			}
			if r.DaysLeft != 5 || len(r.Team) != 0 || len(r.Members) != 1 || r.Members[0].Member.ID != lina.ID {
				t.Fatalf("report = %+v; want 5 days left, no team, 李娜 only", r)
			}
			want := []domain.TargetLine{
				{Metric: domain.MetricVisits, Done: 2, Target: 20},
				{Metric: domain.MetricNewDeals, Done: 1, Target: 0},
				{Metric: domain.MetricWonAmount, Done: 1_200_000, Target: 1_000_000},
			}
			if d := cmp.Diff(want, r.Members[0].Lines); d != "" {
				t.Errorf("李娜 (-want +got):\n%s", d)
			}
			if got := want[0].PerDay(r.DaysLeft); got != 4 { // 18 visits over 5 days, rounded up
				t.Errorf("visits per day = %d, want 4", got)
			}
			if got := want[2].PerDay(r.DaysLeft); got != 0 {
				t.Errorf("won per day after meeting the target = %d, want 0", got)
			}
		})

		t.Run("Manager", func(t *testing.T) {
			r, err := f.svc.Targets(f.ctx, f.EastManager, f.svc.Today())
			if err != nil {
				t.Fatal(err)
			}
			// No team target: the sum of the reps'.
			wantTeam := []domain.TargetLine{
				{Metric: domain.MetricVisits, Done: 3, Target: 30},
				{Metric: domain.MetricNewDeals, Done: 2, Target: 0}, // 王强's first visit opened a deal too
				{Metric: domain.MetricWonAmount, Done: 1_200_000, Target: 1_000_000},
			}
			if d := cmp.Diff(wantTeam, r.Team); d != "" {
				t.Errorf("team (-want +got):\n%s", d)
			}
			if len(r.Members) != 3 {
				t.Errorf("members = %d, want the three reps", len(r.Members))
			}
		})

		t.Run("HolidaysCount", func(t *testing.T) {
			// Thursday 1 October 2026: the National Day holiday runs to the
			// 7th, and Saturday 10 October is a make-up workday. Working days
			// 1–31 Oct: 8, 9, 10 (Sat), 12–16, 19–23, 26–30 = 18.
			f.clock.Set(time.Date(2026, 10, 1, 9, 0, 0, 0, cst))
			r, err := f.svc.Targets(f.ctx, lina, f.svc.Today())
			if err != nil {
				t.Fatal(err)
			}
			if r.DaysLeft != 18 {
				t.Errorf("working days left from 1 Oct 2026 = %d, want 18", r.DaysLeft)
			}
		})
	})
}

func TestCalendar(t *testing.T) {
	days := domain.StatutoryDays()
	if len(days) == 0 || days[0].Date != "2026-01-01" {
		t.Fatalf("statutory days start %v", days[:1])
	}
	years := map[string]int{}
	for i, d := range days {
		if wd := d.Date.Weekday(); d.Working && wd != time.Saturday && wd != time.Sunday {
			t.Errorf("%s is a make-up workday on a weekday", d.Date)
		}
		if i > 0 && d.Date <= days[i-1].Date {
			t.Errorf("%s listed after %s: the file must be in date order, each day once", d.Date, days[i-1].Date)
		}
		years[string(d.Date[:4])]++
	}
	for _, y := range []string{"2026", "2027"} {
		if years[y] < 25 {
			t.Errorf("%s has %d statutory days listed, want the whole year's notice", y, years[y])
		}
	}
	c := domain.NewCalendar([]domain.CalendarDay{{Date: "2026-10-08", Working: false, Note: "公司假"}, {Date: "2026-10-07", Working: true}})
	tests := []struct {
		day     domain.Date
		working bool
	}{
		{"2026-01-01", false}, // 元旦, Thursday
		{"2026-01-04", true},  // 元旦调休, Sunday
		{"2026-02-16", false}, // 春节
		{"2026-02-28", true},  // 春节调休, Saturday
		{"2026-05-05", false}, // 劳动节, Tuesday
		{"2026-09-20", true},  // 国庆调休, Sunday
		{"2026-10-07", true},  // statutory holiday, overridden by the deployment
		{"2026-10-08", false}, // a deployment's own day off
		{"2026-10-09", true},
		{"2026-10-11", false}, // an ordinary Sunday
		{"2027-01-01", false}, // 元旦 2027, Friday
		{"2027-01-31", true},  // 春节调休 2027, Sunday
		{"2027-02-05", false}, // 除夕 2027, Friday
		{"2027-02-14", true},  // 春节调休 2027, Sunday
		{"2027-06-09", false}, // 端午 2027, Wednesday
		{"2027-10-09", true},  // 国庆调休 2027, Saturday
	}
	for _, tt := range tests {
		if got := c.Working(tt.day); got != tt.working {
			t.Errorf("Working(%s) = %v, want %v", tt.day, got, tt.working)
		}
	}
	// After the Spring Festival holiday (15–23 Feb), with both make-up Saturdays.
	if got := c.WorkingDaysAfter("2026-02-13", "2026-02-28"); got != 6 {
		t.Errorf("working days 14–28 Feb 2026 = %d, want 6 (14, 24, 25, 26, 27, 28)", got)
	}
}
