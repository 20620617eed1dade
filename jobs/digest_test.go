package jobs_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// The digest's figures for Wednesday 7 January 2026, against a hand-made
// fixture: a rep with no visits, a deal moved twice in one day, a won and a
// lost deal, and a deal opened that day.
func TestDigestFigures(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(4, 10, 0))
		lina, wang, liu := h.EastReps[0], h.EastReps[1], h.EastReps[2]
		const (
			huachen = "华辰科技有限公司"
			jinshi  = "金石重工股份有限公司"
			derunJ  = "德润精密机械有限公司"
			derunY  = "德润医疗器械有限公司"
		)
		// Before the day: three deals opened.
		h.report(wang, derunY, domain.Report{})                                                               // Sun 4: opens 德润医疗 at 初步接触
		h.clock.Set(at(5, 10, 0))                                                                             //
		h.report(lina, jinshi, domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 200_000}}) // Mon 5: 金石 at 报价 20万
		h.clock.Set(at(6, 10, 0))                                                                             //
		h.report(wang, derunJ, domain.Report{})                                                               // Tue 6: 德润精密 at 初步接触
		h.report(h.SouthReps[0], "恒通银行股份有限公司", domain.Report{})                                               // another team: not counted

		// The day.
		h.clock.Set(at(7, 9, 0))
		h.report(lina, huachen, domain.Report{Facts: domain.Facts{Stage: domain.StageQualification, Amount: 500_000, NextDate: "2026-01-08", NextAction: "送样品"}})
		h.clock.Set(at(7, 10, 0))
		h.report(wang, derunJ, domain.Report{Facts: domain.Facts{Stage: domain.StageProposal}})
		h.clock.Set(at(7, 11, 0))
		h.report(lina, jinshi, domain.Report{Facts: domain.Facts{Stage: domain.StageLost}})
		h.clock.Set(at(7, 14, 0))
		h.report(wang, derunY, domain.Report{Facts: domain.Facts{Stage: domain.StageWon, Amount: 800_000}})
		h.clock.Set(at(7, 15, 0))
		h.report(wang, derunJ, domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 300_000, NextDate: "2026-01-12", NextAction: "谈价格"}})
		// A follow-up for tomorrow from an earlier day, and one already done.
		for _, tk := range []domain.Task{
			{OwnerID: liu.ID, TeamID: h.East.ID, CustomerID: h.Customer("蓝鲸新材料科技有限公司").ID, Title: "回访蓝鲸", Due: "2026-01-08", Status: domain.TaskOpen},
			{OwnerID: liu.ID, TeamID: h.East.ID, CustomerID: h.Customer("蓝鲸新材料科技有限公司").ID, Title: "已完成", Due: "2026-01-08", Status: domain.TaskDone},
		} {
			if err := s.CreateTask(h.ctx, &tk); err != nil {
				t.Fatal(err)
			}
		}
		for _, tg := range []domain.Target{
			{TeamID: h.East.ID, Month: "2026-01", Metric: domain.MetricVisits, Value: 100},
			{TeamID: h.East.ID, Month: "2026-01", Metric: domain.MetricWonAmount, Value: 1_000_000},
			{TeamID: h.East.ID, MemberID: lina.ID, Month: "2026-01", Metric: domain.MetricNewDeals, Value: 6},
			{TeamID: h.East.ID, MemberID: wang.ID, Month: "2026-01", Metric: domain.MetricNewDeals, Value: 4},
		} {
			if err := s.SaveTarget(h.ctx, &tg); err != nil {
				t.Fatal(err)
			}
		}

		h.clock.Set(at(7, 20, 0))
		r := h.replica(jobs.Config{}, nil)
		f, err := r.runner.DayFigures(h.ctx, h.East.ID, "2026-01-07")
		if err != nil {
			t.Fatal(err)
		}

		names := func(ms []domain.Member) []string {
			var out []string
			for _, m := range ms {
				out = append(out, m.Name)
			}
			return out
		}
		type visits struct {
			Name string
			N    int
			Seen string
		}
		var gotVisits []visits
		for _, v := range f.Visits {
			var seen []string
			for _, x := range v.Seen {
				seen = append(seen, x.Customer+">"+string(x.Stage))
			}
			gotVisits = append(gotVisits, visits{v.Member.Name, v.Visits, strings.Join(seen, ",")})
		}
		deals := func(ds []jobs.DealDay) []string {
			var out []string
			for _, d := range ds {
				var path []string
				for _, s := range d.Path {
					path = append(path, string(s))
				}
				out = append(out, d.Customer+":"+strings.Join(path, ">")+":"+strconv.FormatInt(d.Amount, 10))
			}
			return out
		}
		type summary struct {
			Visits                []visits
			TotalVisits           int
			NoVisits              []string
			NewDeals, Moved       []string
			Won, Lost             []string
			WonAmount, LostAmount int64
			Pipeline              []domain.StageTotal
			PipelineDeals         int
			PipelineAmount        int64
			Month                 []domain.TargetLine
			NextDay               domain.Date
			Upcoming              []string
		}
		var upcoming []string
		for _, t := range f.Upcoming {
			upcoming = append(upcoming, string(t.Task.Due)+" "+t.Customer+" "+t.Task.Title)
		}
		got := summary{
			Visits: gotVisits, TotalVisits: f.TotalVisits, NoVisits: names(f.NoVisits),
			NewDeals: deals(f.NewDeals), Moved: deals(f.Moved), Won: deals(f.Won), Lost: deals(f.Lost),
			WonAmount: f.WonAmount, LostAmount: f.LostAmount,
			Pipeline: f.Pipeline, PipelineDeals: f.PipelineDeals, PipelineAmount: f.PipelineAmount,
			Month: f.Month, NextDay: f.NextDay, Upcoming: upcoming,
		}
		want := summary{
			Visits: []visits{
				{"王强", 3, derunJ + ">proposal," + derunY + ">won," + derunJ + ">quote"},
				{"李娜", 2, huachen + ">qualification," + jinshi + ">lost"},
				{"刘洋", 0, ""},
			},
			TotalVisits: 5,
			NoVisits:    []string{"刘洋"},
			NewDeals:    []string{huachen + ":qualification:500000"},
			Moved:       []string{derunJ + ":prospecting>proposal>quote:300000"},
			Won:         []string{derunY + ":prospecting>won:800000"},
			Lost:        []string{jinshi + ":quote>lost:200000"},
			WonAmount:   800_000, LostAmount: 200_000,
			Pipeline: []domain.StageTotal{
				{Stage: domain.StageQualification, Deals: 1, Amount: 500_000},
				{Stage: domain.StageQuote, Deals: 1, Amount: 300_000},
			},
			PipelineDeals: 2, PipelineAmount: 800_000,
			Month: []domain.TargetLine{
				{Metric: domain.MetricVisits, Done: 8, Target: 100},  // 4th 1, 5th 1, 6th 1, 7th 5
				{Metric: domain.MetricNewDeals, Done: 4, Target: 10}, // 德润医疗 金石 德润精密 华辰; member targets 6+4
				{Metric: domain.MetricWonAmount, Done: 800_000, Target: 1_000_000},
			},
			NextDay:  "2026-01-08",
			Upcoming: []string{"2026-01-08 " + huachen + " 送样品", "2026-01-08 蓝鲸新材料科技有限公司 回访蓝鲸"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("digest figures (-want +got):\n%s", diff)
		}

		// The manager's message says it in words.
		msgs, err := r.runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-07")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Recipient != recipient(h.EastManager) || !msgs[0].Reply.Markdown {
			t.Fatalf("digest messages = %+v", msgs)
		}
		text := msgs[0].Reply.Text
		for _, line := range []string{
			"**📋 华东大客户部 日报 · 1月7日（周三）**",
			"**拜访 5 次**", "· 刘洋 0 次", "今天没有拜访记录：刘洋",
			"· 王强 3 次：德润精密机械有限公司（→方案）、德润医疗器械有限公司（→签约）、德润精密机械有限公司（→报价）",
			"· 李娜 2 次：华辰科技有限公司（→需求分析）、金石重工股份有限公司（→输单）",
			"**新商机 1 个**\n· 华辰科技有限公司（李娜，需求分析）",
			"**阶段推进 1 个**\n· 德润精密机械有限公司：初步接触 → 方案 → 报价（王强）",
			"**赢单 1 个，共 80万**\n· 德润医疗器械有限公司 80万（王强）",
			"**输单 1 个，共 20万**\n· 金石重工股份有限公司 20万（李娜）",
			"**商机漏斗**：在跟 2 个，共 80万\n· 需求分析 1 个 · 50万\n· 报价 1 个 · 30万",
			"· 拜访 8 次 / 100 次（8%）", "· 新商机 4 个 / 10 个（40%）", "· 赢单金额 80万 / 100万（80%）",
			"**明天的跟进 2 条**\n· 李娜 → 华辰科技有限公司：送样品\n· 刘洋 → 蓝鲸新材料科技有限公司：回访蓝鲸",
		} {
			if !strings.Contains(text, line) {
				t.Errorf("digest lacks %q:\n%s", line, text)
			}
		}

		// The group's short version, when the team wants one.
		if err := s.SaveSetting(h.ctx, domain.Setting{TeamID: h.East.ID, Name: jobs.SettingGroupDigest, Value: "on"}); err != nil {
			t.Fatal(err)
		}
		msgs, _ = r.runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-07")
		if len(msgs) != 2 || msgs[1].Recipient != "g" || msgs[1].Reply.To.ChatID != h.East.SimChatID() ||
			!strings.Contains(msgs[1].Reply.Text, "拜访 5 次 · 新商机 1 个 · 阶段推进 1 个") || strings.Contains(msgs[1].Reply.Text, "刘洋") {
			t.Errorf("group digest = %+v", msgs)
		}
	})
}

// After 刘洋 leaves (salesbot handover) the day's digest still names him for
// what he did that day, and the per-member lines add up to the team's total.
func TestDigestAfterHandover(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(7, 9, 0))
		lina, wang, liu := h.EastReps[0], h.EastReps[1], h.EastReps[2]
		h.report(lina, "华辰科技有限公司", domain.Report{})
		h.report(liu, "蓝鲸新材料科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 100_000}})
		h.report(liu, "云州市第一人民医院", domain.Report{})
		h.clock.Set(at(7, 17, 0))
		if _, err := h.svc.HandOver(h.ctx, h.EastManager, liu.ID, wang.ID); err != nil {
			t.Fatal(err)
		}
		h.clock.Set(at(7, 20, 0))
		r := h.replica(jobs.Config{}, nil)
		f, err := r.runner.DayFigures(h.ctx, h.East.ID, "2026-01-07")
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		var lines []string
		for _, v := range f.Visits {
			sum += v.Visits
			lines = append(lines, v.Member.Name+" "+strconv.Itoa(v.Visits))
		}
		want := []string{"刘洋（已离职） 2", "李娜 1", "王强 0"}
		if diff := cmp.Diff(want, lines); diff != "" || sum != f.TotalVisits || f.TotalVisits != 3 {
			t.Errorf("visits %v add up to %d, total %d; want %v (-want +got):\n%s", lines, sum, f.TotalVisits, want, diff)
		}
		msgs, err := r.runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-07")
		if err != nil || len(msgs) != 1 {
			t.Fatalf("digest = %v, %v", msgs, err)
		}
		text := msgs[0].Reply.Text
		for _, line := range []string{
			"· 刘洋（已离职） 2 次：蓝鲸新材料科技有限公司（→报价）、云州市第一人民医院",
			"· 蓝鲸新材料科技有限公司（刘洋（已离职），报价）",
			"**🌊 客户归属变动 2 次**",
			"· 云州市第一人民医院：刘洋（已离职） → 王强（交接，离职交接，张伟 操作，17:00）",
		} {
			if !strings.Contains(text, line) {
				t.Errorf("digest lacks %q:\n%s", line, text)
			}
		}
		if strings.Contains(text, "—") {
			t.Errorf("digest shows someone as —:\n%s", text)
		}
	})
}
