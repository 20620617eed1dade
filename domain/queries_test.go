package domain_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"salesbot/domain"
)

func TestReadPermissions(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		linas := f.Customer("华辰科技有限公司")    // 李娜, East
		souths := f.Customer("恒通银行股份有限公司") // 杨帆, South
		f.record(t, lina, domain.Report{SourceMsgID: "p1", CustomerID: linas.ID})

		tests := []struct {
			name  string
			actor domain.Member
			read  func(a domain.Member) error
			want  string
		}{
			{"RepOwnCustomer", lina, customer(f, linas.ID), ""},
			{"RepColleaguesCustomer", wang, customer(f, linas.ID), domain.EFORBIDDEN},
			{"ManagerOwnTeam", f.EastManager, customer(f, linas.ID), ""},
			{"ManagerOtherTeam", f.EastManager, customer(f, souths.ID), domain.EFORBIDDEN},
			{"AdminAny", f.Admin, customer(f, souths.ID), ""},
			{"UnknownCustomer", f.Admin, customer(f, 99999), domain.ENOTFOUND},

			{"RepProgressOwn", lina, progress(f, "华辰科技"), ""},
			{"RepProgressColleagues", wang, progress(f, "huachen tech"), domain.EFORBIDDEN},
			{"ManagerProgressOtherTeam", f.SouthManager, progress(f, "华辰科技"), domain.EFORBIDDEN},
			{"ProgressUnknown", f.Admin, progress(f, "不存在公司"), domain.ENOTFOUND},
			{"ProgressAmbiguous", f.Admin, progress(f, "德润"), domain.EINVALID},

			{"RepCustomersOfColleague", wang, customersOf(f, lina.ID), domain.EFORBIDDEN},
			{"ManagerCustomersOfOwnRep", f.EastManager, customersOf(f, lina.ID), ""},
			{"ManagerCustomersOfOtherTeam", f.SouthManager, customersOf(f, lina.ID), domain.EFORBIDDEN},

			{"RepTeamDay", lina, teamDay(f, f.East.ID), domain.EFORBIDDEN},
			{"ManagerOwnTeamDay", f.EastManager, teamDay(f, f.East.ID), ""},
			{"ManagerOtherTeamDay", f.SouthManager, teamDay(f, f.East.ID), domain.EFORBIDDEN},
			{"AdminTeamDay", f.Admin, teamDay(f, f.East.ID), ""},

			{"RepOwnTeamRanking", lina, ranking(f, f.East.ID), ""},
			{"RepOtherTeamRanking", lina, ranking(f, f.South.ID), domain.EFORBIDDEN},
			{"AdminRanking", f.Admin, ranking(f, f.South.ID), ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.read(tt.actor), tt.want)
			})
		}

		t.Run("RefusalSaysWhy", func(t *testing.T) {
			err := customer(f, linas.ID)(wang)
			if msg := domain.ErrorMessage(err); msg != "你没有权限查看客户「华辰科技有限公司」：它不属于你" {
				t.Errorf("message = %q", msg)
			}
		})
	})
}

func customer(f fixture, id int64) func(domain.Member) error {
	return func(a domain.Member) error { _, err := f.svc.Customer(f.ctx, a, id); return err }
}

func progress(f fixture, name string) func(domain.Member) error {
	return func(a domain.Member) error { _, err := f.svc.DealProgress(f.ctx, a, name); return err }
}

func customersOf(f fixture, memberID int64) func(domain.Member) error {
	return func(a domain.Member) error { _, err := f.svc.CustomersOf(f.ctx, a, memberID); return err }
}

func teamDay(f fixture, teamID int64) func(domain.Member) error {
	return func(a domain.Member) error { _, err := f.svc.TeamDay(f.ctx, a, teamID, "2026-03-02"); return err }
}

func ranking(f fixture, teamID int64) func(domain.Member) error {
	return func(a domain.Member) error {
		_, err := f.svc.Ranking(f.ctx, a, teamID, domain.Date("2026-03-01").MonthSpan())
		return err
	}
}

func TestMyCustomers(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina := f.EastReps[0]
		f.record(t, lina, domain.Report{SourceMsgID: "my1", Facts: domain.Facts{Customer: "金石重工", Stage: domain.StageProposal}})
		tests := []struct {
			name  string
			actor domain.Member
			want  int
		}{
			{"Rep", lina, 2},
			{"Manager", f.EastManager, 6},
			{"Admin", f.Admin, 12},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.svc.MyCustomers(f.ctx, tt.actor)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != tt.want {
					t.Fatalf("%d customers, want %d", len(got), tt.want)
				}
				// The one visited today comes first, with its open deal.
				first := got[0]
				if first.Customer.Name != "金石重工股份有限公司" || first.LastVisit != "2026-03-02" ||
					first.Deal == nil || first.Deal.Stage != domain.StageProposal {
					t.Errorf("first = %+v", first)
				}
			})
		}
	})
}

func TestDealProgress(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		liu := f.EastReps[2] // owns 蓝鲸
		f.record(t, liu, domain.Report{SourceMsgID: "dp1", Facts: domain.Facts{Customer: "蓝鲸", Stage: domain.StageProposal, NextDate: "2026-03-06"}})
		f.record(t, liu, domain.Report{SourceMsgID: "dp2", Facts: domain.Facts{Customer: "Bluewhale", Stage: domain.StageQuote}})
		got, err := f.svc.DealProgress(f.ctx, liu, "BLUEWHALE")
		if err != nil {
			t.Fatal(err)
		}
		var stages []domain.Stage
		for _, h := range got.History {
			stages = append(stages, h.To)
		}
		if diff := cmp.Diff([]domain.Stage{domain.StageProposal, domain.StageQuote}, stages); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if got.Deal == nil || got.Deal.Stage != domain.StageQuote || len(got.Visits) != 2 || len(got.Tasks) != 1 {
			t.Errorf("progress = %+v", got)
		}
		if got.Visits[0].SourceMsgID != "dp2" {
			t.Errorf("visits not newest first: %s", got.Visits[0].SourceMsgID)
		}
	})
}

func TestRanking(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang, liu := f.EastReps[0], f.EastReps[1], f.EastReps[2]
		reports := []struct {
			actor    domain.Member
			customer string
			day      domain.Date
			stage    domain.Stage
			amount   int64
		}{
			{lina, "华辰科技", "2026-03-02", "", 0},                      // new deal
			{lina, "华辰科技", "2026-03-03", "", 0},                      // same deal
			{lina, "新客户甲", "2026-03-04", "", 0},                      // new customer, new deal
			{wang, "德润精密", "2026-03-02", domain.StageWon, 2_000_000}, // new deal, won now
			{liu, "蓝鲸", "2026-02-27", "", 0},                         // before the period
			{f.SouthReps[0], "恒通银行", "2026-03-02", "", 0},            // other team
		}
		for i, r := range reports {
			f.record(t, r.actor, domain.Report{SourceMsgID: string(rune('a' + i)), Facts: domain.Facts{Customer: r.customer, VisitDate: r.day, Stage: r.stage, Amount: r.amount}})
		}
		got, err := f.svc.Ranking(f.ctx, f.EastManager, f.East.ID, domain.Date("2026-03-01").MonthSpan())
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Name      string
			Rank      int
			Visits    int
			NewDeals  int
			WonAmount int64
		}
		var rows []row
		for _, r := range got.Standings {
			rows = append(rows, row{r.Member.Name, r.Rank, r.Figures.Visits, r.Figures.NewDeals, r.Figures.WonAmount})
		}
		want := []row{ // the manager 张伟 is not ranked
			{"李娜", 1, 3, 2, 0},
			{"王强", 2, 1, 1, 2_000_000},
			{"刘洋", 3, 0, 0, 0},
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("Ranking (-want +got):\n%s", diff)
		}
	})
}
