package jobs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// Risk alerts over January 2026, with two replicas running each morning's
// job twice: every risk reaches its owner exactly once, in the morning
// message of the first working day it holds, and the manager's digest
// lists the ones still current.
//
//   - 德润精密 (王强): follow-up promised for Thu 8, nothing since → Fri 9.
//   - 金石 (李娜, 80万): at 报价 since Tue 6; the team's completed stays at
//     报价 are 2, 3 and 4 days (median 3), so from Sat 10 → Mon 12.
//   - 云州一院 (刘洋, A): owned since the 1st, never visited: 14 days → Thu 15.
//   - 金石 (A): last visit Tue 6 → Tue 20.
//   - 华辰 (A): last visit Fri 9 → Fri 23.
func TestRiskAlertsOnce(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(1, 9, 0))
		h.holidays2026()
		lina, wang, liu := h.EastReps[0], h.EastReps[1], h.EastReps[2]
		for _, c := range h.Customers {
			if c.TeamID == h.East.ID {
				c.OwnedSince = at(1, 9, 0)
				if err := s.UpdateCustomer(h.ctx, &c); err != nil {
					t.Fatal(err)
				}
			}
		}
		h.clock.Set(at(5, 10, 0))
		h.report(wang, "德润精密机械有限公司", domain.Report{Facts: domain.Facts{NextDate: "2026-01-08", NextAction: "送报价"}})
		h.report(wang, "德润医疗器械有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 100_000}})
		h.report(liu, "蓝鲸新材料科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 100_000}})
		h.report(lina, "华辰科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 100_000}})
		h.clock.Set(at(6, 10, 0))
		h.report(lina, "金石重工股份有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 800_000}})
		for day, c := range map[int]string{7: "德润医疗器械有限公司", 8: "蓝鲸新材料科技有限公司", 9: "华辰科技有限公司"} {
			h.clock.Set(at(day, 11, 0))
			owner := map[string]domain.Member{"德润医疗器械有限公司": wang, "蓝鲸新材料科技有限公司": liu, "华辰科技有限公司": lina}[c]
			h.report(owner, c, domain.Report{Facts: domain.Facts{Stage: domain.StageNegotiation}})
		}

		replicas := []replica{h.replica(jobs.Config{}, nil), h.replica(jobs.Config{}, nil)}
		cal := domain.NewCalendar([]domain.CalendarDay{{Date: "2026-01-01"}, {Date: "2026-01-02"}, {Date: "2026-01-04", Working: true}})
		for day := domain.Date("2026-01-05"); day <= "2026-01-30"; day = day.AddDays(1) {
			if !cal.Working(day) {
				continue
			}
			h.clock.Set(day.Time(cst).Add(8*time.Hour + 30*time.Minute))
			for range 2 {
				everyReplica(t, replicas, func(r replica) error {
					_, err := r.runner.Run(context.Background(), jobs.JobReminders, h.East.ID, day)
					return err
				})
			}
		}
		told := map[string][]string{} // risk line → "day recipient" of every queued push with it
		for _, p := range h.pushes(domain.PushFilter{Job: jobs.JobReminders, TeamID: h.East.ID}) {
			var reply struct{ Text string }
			if err := json.Unmarshal(p.Payload, &reply); err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(reply.Text, "\n") {
				if strings.HasPrefix(line, "· ") && (strings.Contains(line, "没有拜访") || strings.Contains(line, "之后没有任何跟进") || strings.Contains(line, "团队中位数")) {
					told[line] = append(told[line], p.Period+" "+p.Recipient)
				}
			}
		}
		want := map[string][]string{
			"· 德润精密机械有限公司：约定 1月8日「送报价」，之后没有任何跟进":    {"2026-01-09 " + recipient(wang)},
			"· 金石重工股份有限公司（80万）在「报价」已 6 天，团队中位数 3 天": {"2026-01-12 " + recipient(lina)},
			"· 云州市第一人民医院（A类）接手 14 天还没有拜访":           {"2026-01-15 " + recipient(liu)},
			"· 金石重工股份有限公司（A类）14 天没有拜访（上次 1月6日）":     {"2026-01-20 " + recipient(lina)},
			"· 华辰科技有限公司（A类）14 天没有拜访（上次 1月9日）":       {"2026-01-23 " + recipient(lina)},
		}
		if diff := cmp.Diff(want, told); diff != "" {
			t.Errorf("risk alerts queued (-want +got):\n%s", diff)
		}

		h.clock.Set(at(23, 20, 0))
		msgs, err := replicas[0].runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-23")
		if err != nil || len(msgs) == 0 {
			t.Fatalf("digest: %v", err)
		}
		for _, line := range []string{
			"**⚠️ 风险 5 项**\nA类客户久未拜访：\n· 云州市第一人民医院（A类）接手 22 天还没有拜访\n· 🆕 华辰科技有限公司（A类）14 天没有拜访（上次 1月9日）\n· 金石重工股份有限公司（A类）17 天没有拜访（上次 1月6日）",
			"约定日期已过无跟进：\n· 德润精密机械有限公司：约定 1月8日「送报价」，之后没有任何跟进",
			"大单停留超过团队中位数：\n· 金石重工股份有限公司（80万）在「报价」已 17 天，团队中位数 3 天",
			"**🌊 7 天内将移入公海 1 个**\n· 德润精密机械有限公司（王强，1月26日）",
		} {
			if !strings.Contains(msgs[0].Reply.Text, line) {
				t.Errorf("digest lacks %q:\n%s", line, msgs[0].Reply.Text)
			}
		}
	})
}
