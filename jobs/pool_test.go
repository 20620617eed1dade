package jobs_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
	"salesbot/domain/domaintest"
	"salesbot/domain/store"
	"salesbot/jobs"
)

// A month of simulated days of the public pool, January 5 to February 6
// 2026 (元旦 on the 1st and 2nd, Sunday the 4th a make-up workday), under
// the default recycle days (A 30, B 21) with one claim a day and at most
// three customers a rep: owners are warned three and one working days
// before, customers move back on their day (weekends too) and the owner
// hears of it in the next morning message; claims hit the cool-down, the
// daily limit and the cap; a manager assigns within the team only; deals,
// visits and permissions follow the new owner.
func TestPoolMonth(t *testing.T) {
	t.Parallel()
	domaintest.ForEachStore(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s, at(1, 9, 0))
		h.holidays2026()
		lina, wang, liu := h.EastReps[0], h.EastReps[1], h.EastReps[2]
		const (
			huachen  = "华辰科技有限公司"    // A, 李娜: visited Jan 5, due Feb 4
			jinshi   = "金石重工股份有限公司"  // A, 李娜: untouched, due Jan 31 (Saturday)
			derunJ   = "德润精密机械有限公司"  // B, 王强: visited Jan 1 with a follow-up, due Jan 22
			derunY   = "德润医疗器械有限公司"  // B, 王强: a deal at 方案: exempt
			lanjing  = "蓝鲸新材料科技有限公司" // B, 刘洋: untouched, due Jan 22
			yunzhou  = "云州市第一人民医院"   // A, 刘洋: untouched, due Jan 31
			settings = "pool_daily_claims=1 pool_cap=3"
		)
		// Every East customer has been owned since January 1 (the demo
		// seeds them at the real time).
		for _, name := range []string{huachen, jinshi, derunJ, derunY, lanjing, yunzhou} {
			c := h.Customer(name)
			c.OwnedSince = at(1, 9, 0)
			if err := s.UpdateCustomer(h.ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
		for _, kv := range strings.Fields(settings) {
			name, value, _ := strings.Cut(kv, "=")
			if err := h.svc.SetTeamSetting(h.ctx, h.EastManager, h.East.ID, name, value); err != nil {
				t.Fatal(err)
			}
		}
		h.report(wang, derunJ, domain.Report{Facts: domain.Facts{NextDate: "2026-01-09", NextAction: "回访"}})
		h.clock.Set(at(5, 10, 0))
		h.report(lina, huachen, domain.Report{})
		h.report(wang, derunY, domain.Report{Facts: domain.Facts{Stage: domain.StageProposal, Amount: 300_000}})

		r := h.replica(jobs.Config{}, nil)
		cal := domain.NewCalendar([]domain.CalendarDay{{Date: "2026-01-01"}, {Date: "2026-01-02"}, {Date: "2026-01-04", Working: true}})
		warned := map[string][]string{}   // day → "owner customer left"
		recycled := map[string][]string{} // day → "owner customer" told in the morning
		moved := map[string][]string{}    // day → customers the pool job moved
		names := map[string]string{recipient(lina): "李娜", recipient(wang): "王强", recipient(liu): "刘洋", recipient(h.EastManager): "张伟"}
		for day := domain.Date("2026-01-05"); day <= "2026-02-06"; day = day.AddDays(1) {
			h.clock.Set(day.Time(cst).Add(3 * time.Hour))
			res, err := r.runner.Run(h.ctx, jobs.JobPool, h.East.ID, day)
			if err != nil {
				t.Fatal(err)
			}
			again, err := r.runner.Run(h.ctx, jobs.JobPool, h.East.ID, day)
			if err != nil || again.Changed != 0 {
				t.Fatalf("%s: second pool run changed %d (%v)", day, again.Changed, err)
			}
			for range res.Changed {
				moved[string(day)] = append(moved[string(day)], "x")
			}
			if cal.Working(day) {
				h.clock.Set(day.Time(cst).Add(8*time.Hour + 30*time.Minute))
				msgs, err := r.runner.Plan(h.ctx, jobs.JobReminders, h.East.ID, day)
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]bool{}
				for _, m := range msgs {
					if seen[m.Recipient] {
						t.Errorf("%s: two morning messages for %s", day, m.Recipient)
					}
					seen[m.Recipient] = true
					for _, line := range strings.Split(m.Reply.Text, "\n") {
						if c, left, ok := strings.Cut(strings.TrimPrefix(line, "· "), "：还剩 "); ok {
							warned[string(day)] = append(warned[string(day)], names[m.Recipient]+" "+c+" "+left[:strings.Index(left, " ")])
						}
						if c, _, ok := strings.Cut(strings.TrimPrefix(line, "· "), " 已移入公海（"); ok {
							recycled[string(day)] = append(recycled[string(day)], names[m.Recipient]+" "+c)
						}
					}
				}
			}
			switch day {
			case "2026-01-22":
				h.clock.Set(at(22, 10, 0))
				claimsOnRecycleDay(t, h, wang, lina)
			case "2026-01-23":
				h.clock.Set(at(23, 10, 0))
				capAndAssign(t, h, lina, wang, liu)
			}
		}
		for _, m := range []map[string][]string{warned, recycled} {
			for _, v := range m {
				sort.Strings(v)
			}
		}
		wantWarned := map[string][]string{
			"2026-01-19": {"刘洋 " + lanjing + " 3", "王强 " + derunJ + " 3"},
			"2026-01-21": {"刘洋 " + lanjing + " 1", "王强 " + derunJ + " 1"},
			"2026-01-28": {"刘洋 " + yunzhou + " 3", "李娜 " + jinshi + " 3"},
			"2026-01-30": {"刘洋 " + yunzhou + " 1", "李娜 " + huachen + " 3", "李娜 " + jinshi + " 1"},
			"2026-02-03": {"李娜 " + huachen + " 1"},
		}
		if diff := cmp.Diff(wantWarned, warned); diff != "" {
			t.Errorf("pool warnings (-want +got):\n%s", diff)
		}
		wantRecycled := map[string][]string{
			"2026-01-22": {"刘洋 " + lanjing, "王强 " + derunJ},
			"2026-02-02": {"刘洋 " + yunzhou, "李娜 " + jinshi}, // moved on Saturday the 31st
			"2026-02-04": {"李娜 " + huachen},
		}
		if diff := cmp.Diff(wantRecycled, recycled); diff != "" {
			t.Errorf("recycle notices (-want +got):\n%s", diff)
		}
		wantMoved := map[string][]string{"2026-01-22": {"x", "x"}, "2026-01-31": {"x", "x"}, "2026-02-04": {"x"}}
		if diff := cmp.Diff(wantMoved, moved); diff != "" {
			t.Errorf("recycled per day (-want +got):\n%s", diff)
		}

		// The deal and the visit stayed with 德润精密 through the pool; the
		// follow-up 王强 owed was cancelled; permissions are 李娜's now.
		p, err := h.svc.DealProgress(h.ctx, lina, derunJ)
		if err != nil || p.Deal == nil || p.Deal.OwnerID != lina.ID || len(p.Visits) != 1 || p.Visits[0].MemberID != wang.ID {
			t.Errorf("李娜's view of %s = %+v, %v; want the deal hers and 王强's visit", derunJ, p, err)
		}
		if _, err := h.svc.DealProgress(h.ctx, wang, derunJ); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("王强 still reads %s after it left him: %v", derunJ, err)
		}
		tasks, err := s.ListTasks(h.ctx, domain.TaskFilter{CustomerID: h.Customer(derunJ).ID})
		if err != nil || len(tasks) != 1 || tasks[0].Status != domain.TaskCancelled {
			t.Errorf("王强's follow-up with %s = %+v, %v; want cancelled", derunJ, tasks, err)
		}

		// The digest of the 22nd tells the manager of the day's moves.
		f, err := r.runner.DayFigures(h.ctx, h.East.ID, "2026-01-22")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range f.PoolMoves {
			got = append(got, m.Customer+" "+string(m.Action))
		}
		want := []string{derunJ + " recycle", lanjing + " recycle", derunJ + " claim"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("pool moves of the 22nd (-want +got):\n%s", diff)
		}
		msgs, err := r.runner.Plan(h.ctx, jobs.JobDigest, h.East.ID, "2026-01-22")
		if err != nil || len(msgs) == 0 {
			t.Fatalf("digest: %v", err)
		}
		for _, line := range []string{
			"**🌊 客户归属变动 3 次**",
			"· " + derunJ + "：王强 → 公海（回收，21 天没有拜访或阶段推进，03:00）",
			"· " + derunJ + "：公海 → 李娜（领取，10:00）",
		} {
			if !strings.Contains(msgs[0].Reply.Text, line) {
				t.Errorf("digest lacks %q:\n%s", line, msgs[0].Reply.Text)
			}
		}
	})
}

// claimsOnRecycleDay: 王强 may not take back what he just lost; 李娜 takes
// it and then has used her one claim of the day.
func claimsOnRecycleDay(t *testing.T, h *harness, wang, lina domain.Member) {
	t.Helper()
	_, err := h.svc.Claim(h.ctx, wang, "德润精密")
	if domain.ErrorCode(err) != domain.EFORBIDDEN || !strings.Contains(domain.ErrorMessage(err), "冷却期至 2026-02-21") {
		t.Errorf("王强 claims his recycled customer: %v", err)
	}
	if _, err := h.svc.Claim(h.ctx, lina, "德润精密"); err != nil {
		t.Fatalf("李娜 claims 德润精密: %v", err)
	}
	_, err = h.svc.Claim(h.ctx, lina, "蓝鲸")
	if domain.ErrorCode(err) != domain.EFORBIDDEN || !strings.Contains(domain.ErrorMessage(err), "今日已领 1/1") {
		t.Errorf("李娜's second claim of the day: %v", err)
	}
	_, err = h.svc.Claim(h.ctx, lina, "德润精密")
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("claiming one's own customer: %v", err)
	}
}

// capAndAssign: 李娜 owns three customers (the cap), so neither she nor her
// manager can add a fourth; the manager gives it to 王强 instead; a rep and
// another team's manager cannot assign.
func capAndAssign(t *testing.T, h *harness, lina, wang, liu domain.Member) {
	t.Helper()
	_, err := h.svc.Claim(h.ctx, lina, "蓝鲸")
	if domain.ErrorCode(err) != domain.EFORBIDDEN || !strings.Contains(domain.ErrorMessage(err), "保有量 3/3") {
		t.Errorf("李娜 claims beyond the cap: %v", err)
	}
	if _, err := h.svc.Assign(h.ctx, h.EastManager, "蓝鲸", "李娜"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("manager assigns beyond the cap: %v", err)
	}
	for _, actor := range []domain.Member{liu, h.SouthManager} {
		if _, err := h.svc.Assign(h.ctx, actor, "蓝鲸", "王强"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s assigns: %v", actor.Name, err)
		}
	}
	if _, err := h.svc.Assign(h.ctx, h.EastManager, "蓝鲸", "黄磊"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("manager assigns to another team's rep: %v", err)
	}
	a, err := h.svc.Assign(h.ctx, h.EastManager, "蓝鲸", "王强")
	if err != nil || a.To.ID != wang.ID || a.Change.Action != domain.OwnerAssign || a.Change.FromID != 0 {
		t.Fatalf("manager assigns 蓝鲸 to 王强: %+v, %v", a, err)
	}
	if _, err := h.svc.Claim(h.ctx, liu, "蓝鲸"); domain.ErrorCode(err) != domain.EFORBIDDEN ||
		!strings.Contains(domain.ErrorMessage(err), "已归属 王强") {
		t.Errorf("claiming an owned customer: %v", err)
	}
}
