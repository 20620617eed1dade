package jobs_test

import (
	"strings"
	"testing"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// On the week's last working day the digest carries the week's funnel:
// the figures of the 漏斗 command, worked out here by hand.
func TestDigestWeeklyFunnel(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(5, 10, 0))
		lina, wang := h.EastReps[0], h.EastReps[1]
		// Mon 5: 华辰 opened at 初步接触 (李娜), 德润精密 at 报价 30万 (王强).
		h.report(lina, "华辰科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageProspecting, Amount: 500_000}})
		h.report(wang, "德润精密机械有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageQuote, Amount: 300_000}})
		// Wed 7: 华辰 to 方案 after 2 days; Fri 9: 德润精密 lost after 4 days at 报价.
		h.clock.Set(at(7, 10, 0))
		h.report(lina, "华辰科技有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageProposal}})
		h.clock.Set(at(9, 10, 0))
		h.report(wang, "德润精密机械有限公司", domain.Report{Facts: domain.Facts{Stage: domain.StageLost}})

		h.clock.Set(at(9, 20, 0))
		r := h.replica(jobs.Config{}, nil)
		msgs, err := r.runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-09")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			t.Fatal("no digest")
		}
		text := msgs[0].Reply.Text
		for _, want := range []string{
			"**📊 本周漏斗与转化**（1月5日–1月9日）",
			"推进过的商机 2 个 · 赢单 0 个 0 · 输单 1 个 · 赢率 0%",
			"· 初步接触 2 个 · 80万 → 需求分析 100% · 停留中位 2 天", // 华辰 2 days; 德润精密 opened at 报价
			"· 方案 2 个 · 80万 → 报价 50%",
			"· 报价 1 个 · 30万 → 谈判 0% · 停留中位 4 天",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("Friday's digest lacks %q:\n%s", want, text)
			}
		}

		// Thursday is not the week's last working day: no weekly section.
		msgs, err = r.runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-08")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 || strings.Contains(msgs[0].Reply.Text, "本周漏斗") {
			t.Errorf("Thursday's digest = %+v", msgs)
		}
	})
}
