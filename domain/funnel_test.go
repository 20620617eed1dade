package domain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
)

// funnelFixture records six East deals moving in March 2026 (and one that
// moved only in February), each step at 10:00 so that stays are whole days.
// The expected figures in TestFunnel are worked out by hand from it.
func funnelFixture(t *testing.T, f fixture) {
	t.Helper()
	lina, wang, liu := f.EastReps[0], f.EastReps[1], f.EastReps[2]
	type step struct {
		rep      domain.Member
		customer string
		day      time.Time
		stage    domain.Stage
		amount   int64
	}
	mar := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, cst) }
	feb := func(d int) time.Time { return time.Date(2026, 2, d, 10, 0, 0, 0, cst) }
	steps := []step{
		// D6 云州一院 (刘洋): opened in February, proposal on 7 March.
		{liu, "云州市第一人民医院", feb(20), domain.StageProspecting, 400_000},
		{liu, "云州市第一人民医院", feb(24), domain.StageQualification, 0},
		// A deal that moved only in February is not in March's funnel.
		{liu, "蓝鲸新材料科技有限公司", feb(10), domain.StageProspecting, 90_000},
		{liu, "蓝鲸新材料科技有限公司", feb(12), domain.StageLost, 0},
		// D1 华辰 (李娜): 初步接触 4 days, 需求分析 6, skips 方案, 报价 4, won.
		{lina, "华辰科技有限公司", mar(2), domain.StageProspecting, 100_000},
		{lina, "华辰科技有限公司", mar(6), domain.StageQualification, 0},
		{lina, "华辰科技有限公司", mar(12), domain.StageQuote, 0},
		{lina, "华辰科技有限公司", mar(16), domain.StageWon, 120_000},
		// D2 金石 (李娜): 初步接触 2 days, 方案 6, lost.
		{lina, "金石重工股份有限公司", mar(2), domain.StageProspecting, 200_000},
		{lina, "金石重工股份有限公司", mar(4), domain.StageProposal, 0},
		{lina, "金石重工股份有限公司", mar(10), domain.StageLost, 0},
		// D3 德润精密 (王强): opened at 需求分析, 5 days later 谈判.
		{wang, "德润精密机械有限公司", mar(3), domain.StageQualification, 300_000},
		{wang, "德润精密机械有限公司", mar(8), domain.StageNegotiation, 0},
		// D4 德润医疗 (王强): opened, no amount.
		{wang, "德润医疗器械有限公司", mar(5), domain.StageProspecting, 0},
		{liu, "云州市第一人民医院", mar(7), domain.StageProposal, 0},
		// D5 蓝鲸 (刘洋), a new deal after February's loss: 初步接触 8 days, 需求分析 1, lost.
		{liu, "蓝鲸新材料科技有限公司", mar(2), domain.StageProspecting, 500_000},
		{liu, "蓝鲸新材料科技有限公司", mar(10), domain.StageQualification, 0},
		{liu, "蓝鲸新材料科技有限公司", mar(11), domain.StageLost, 0},
	}
	for i, s := range steps {
		f.clock.Set(s.day)
		f.record(t, s.rep, domain.Report{
			SourceMsgID: fmt.Sprintf("funnel-%d", i), At: s.day, CustomerID: f.Customer(s.customer).ID,
			Facts: domain.Facts{Channel: domain.ChannelOnsite, Stage: s.stage, Amount: s.amount, Summary: "funnel fixture"},
		})
	}
	f.clock.Set(time.Date(2026, 3, 20, 10, 0, 0, 0, cst))
}

// stageFigures is a FunnelStage in comparable form.
type stageFigures struct {
	Stage      domain.Stage
	Reached    int
	Amount     int64
	Conversion string // "" when none
	Median     string // "" when no deal left the stage
}

func figuresOf(f domain.Funnel) []stageFigures {
	var out []stageFigures
	for _, s := range f.Stages {
		sf := stageFigures{Stage: s.Stage, Reached: s.Reached, Amount: s.Amount}
		if r, ok := s.Conversion(); ok {
			sf.Conversion = fmt.Sprintf("%.3f", r)
		}
		if d, ok := s.MedianDays(); ok {
			sf.Median = fmt.Sprintf("%.1f", d)
		}
		out = append(out, sf)
	}
	return out
}

func TestFunnel(t *testing.T) {
	t.Parallel()
	march := domain.Date("2026-03-20").MonthSpan()
	forEach(t, func(t *testing.T, f fixture) {
		funnelFixture(t, f)

		t.Run("Team", func(t *testing.T) {
			r, err := f.svc.FunnelOf(f.ctx, f.EastManager, march)
			if err != nil {
				t.Fatal(err)
			}
			// Reached: D1 won, D2 方案, D3 谈判, D4 初步接触, D5 需求分析, D6 方案.
			// Stays: 初步接触 D1 4, D2 2, D5 8, D6 4 (February) → median 4;
			// 需求分析 D1 6, D3 5, D5 1, D6 11 (24 Feb–7 Mar) → 5.5; 方案 D2 6;
			// 报价 D1 4; 谈判 none left.
			want := []stageFigures{
				{domain.StageProspecting, 6, 1_520_000, "0.833", "4.0"},
				{domain.StageQualification, 5, 1_520_000, "0.800", "5.5"},
				{domain.StageProposal, 4, 1_020_000, "0.500", "6.0"},
				{domain.StageQuote, 2, 420_000, "1.000", "4.0"},
				{domain.StageNegotiation, 2, 420_000, "0.500", ""},
				{domain.StageWon, 1, 120_000, "", ""},
			}
			if d := cmp.Diff(want, figuresOf(r.Funnel)); d != "" {
				t.Errorf("team funnel (-want +got):\n%s", d)
			}
			if r.Funnel.Deals != 6 || r.Funnel.Won != 1 || r.Funnel.Lost != 2 || r.Funnel.WonAmount != 120_000 || r.Funnel.LostAmount != 700_000 {
				t.Errorf("deals %d won %d lost %d amounts %d/%d, want 6 1 2 120000/700000",
					r.Funnel.Deals, r.Funnel.Won, r.Funnel.Lost, r.Funnel.WonAmount, r.Funnel.LostAmount)
			}
			if rate, ok := r.Funnel.WinRate(); !ok || fmt.Sprintf("%.3f", rate) != "0.333" {
				t.Errorf("win rate = %v %v, want 1/3", rate, ok)
			}
			var names []string
			for _, m := range r.Members {
				names = append(names, fmt.Sprintf("%s %d", m.Member.Name, m.Funnel.Deals))
			}
			// Most won first, then most deals.
			if d := cmp.Diff([]string{"李娜 2", "刘洋 2", "王强 2"}, names); d != "" {
				t.Errorf("members (-want +got):\n%s", d)
			}
		})

		t.Run("RepSeesOwnOnly", func(t *testing.T) {
			r, err := f.svc.FunnelOf(f.ctx, f.EastReps[0], march)
			if err != nil {
				t.Fatal(err)
			}
			if r.Scope != "李娜" || r.Funnel.Deals != 2 || len(r.Members) != 0 {
				t.Fatalf("rep report = %s, %d deals, %d members; want 李娜, 2, none", r.Scope, r.Funnel.Deals, len(r.Members))
			}
			want := []stageFigures{
				{domain.StageProspecting, 2, 320_000, "1.000", "3.0"},
				{domain.StageQualification, 2, 320_000, "1.000", "6.0"}, // D1 passed 方案 on its way to 报价
				{domain.StageProposal, 2, 320_000, "0.500", "6.0"},
				{domain.StageQuote, 1, 120_000, "1.000", "4.0"},
				{domain.StageNegotiation, 1, 120_000, "1.000", ""},
				{domain.StageWon, 1, 120_000, "", ""},
			}
			if d := cmp.Diff(want, figuresOf(r.Funnel)); d != "" {
				t.Errorf("李娜's funnel (-want +got):\n%s", d)
			}
			if rate, ok := r.Funnel.WinRate(); !ok || rate != 0.5 {
				t.Errorf("win rate = %v, want 0.5", rate)
			}
		})

		t.Run("OtherTeamSeesNothingOfIt", func(t *testing.T) {
			r, err := f.svc.FunnelOf(f.ctx, f.SouthManager, march)
			if err != nil {
				t.Fatal(err)
			}
			if r.Funnel.Deals != 0 {
				t.Errorf("South sees %d deals", r.Funnel.Deals)
			}
		})

		t.Run("FebruaryOnly", func(t *testing.T) {
			r, err := f.svc.FunnelOf(f.ctx, f.EastManager, domain.Date("2026-02-01").MonthSpan())
			if err != nil {
				t.Fatal(err)
			}
			// 云州 (open, 需求分析 by 28 Feb) and February's 蓝鲸 deal (lost at 初步接触).
			if r.Funnel.Deals != 2 || r.Funnel.Lost != 1 || r.Funnel.Stages[1].Reached != 1 {
				t.Errorf("February: %d deals, %d lost, %d reached 需求分析; want 2, 1, 1", r.Funnel.Deals, r.Funnel.Lost, r.Funnel.Stages[1].Reached)
			}
		})
	})
}
