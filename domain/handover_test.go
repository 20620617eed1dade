package domain_test

import (
	"testing"

	"salesbot/domain"
)

func TestHandOver(t *testing.T) {
	t.Parallel()
	forEach(t, func(t *testing.T, f fixture) {
		lina, wang := f.EastReps[0], f.EastReps[1]
		// 李娜 has two customers: an open deal on one with an open and a done
		// follow-up, a won deal on the other.
		open := f.record(t, lina, domain.Report{SourceMsgID: "h1", Facts: domain.Facts{Customer: "华辰科技", NextDate: "2026-03-09"}})
		won := f.record(t, lina, domain.Report{SourceMsgID: "h2", Facts: domain.Facts{Customer: "金石重工", Stage: domain.StageWon, Amount: 1_000_000}})
		doneTask := f.record(t, lina, domain.Report{SourceMsgID: "h3", Facts: domain.Facts{Customer: "华辰科技", NextDate: "2026-03-03"}}).Task
		doneTask.Status = domain.TaskDone
		if err := f.store.UpdateTask(f.ctx, doneTask); err != nil {
			t.Fatal(err)
		}

		t.Run("Refused", func(t *testing.T) {
			gone := f.EastReps[2]
			gone.Active = false
			if err := f.store.UpdateMember(f.ctx, &gone); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name     string
				actor    domain.Member
				from, to int64
				want     string
			}{
				{"ByRep", wang, lina.ID, wang.ID, domain.EFORBIDDEN},
				{"ByOtherTeamManager", f.SouthManager, lina.ID, wang.ID, domain.EFORBIDDEN},
				{"ToOtherTeamByManager", f.EastManager, lina.ID, f.SouthReps[0].ID, domain.EFORBIDDEN},
				{"ToSelf", f.EastManager, lina.ID, lina.ID, domain.EINVALID},
				{"ToDeparted", f.EastManager, lina.ID, gone.ID, domain.EINVALID},
				{"UnknownMember", f.EastManager, 99999, wang.ID, domain.ENOTFOUND},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := f.svc.HandOver(f.ctx, tt.actor, tt.from, tt.to)
					wantCode(t, err, tt.want)
				})
			}
			if m, _ := f.store.MemberByID(f.ctx, lina.ID); !m.Active {
				t.Fatal("a refused handover deactivated the member")
			}
		})

		t.Run("ByManager", func(t *testing.T) {
			got, err := f.svc.HandOver(f.ctx, f.EastManager, lina.ID, wang.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Customers != 2 || got.Deals != 1 || got.Tasks != 1 || got.From.Active || got.To.ID != wang.ID {
				t.Errorf("HandOver = %+v, want 2 customers, 1 open deal, 1 open task", got)
			}
			for _, c := range []string{"华辰科技有限公司", "金石重工股份有限公司"} {
				cu, _ := f.store.CustomerByID(f.ctx, f.Customer(c).ID)
				if cu.OwnerID != wang.ID {
					t.Errorf("%s owned by %d, want %d", c, cu.OwnerID, wang.ID)
				}
			}
			if d, _ := f.store.DealByID(f.ctx, open.Deal.ID); d.OwnerID != wang.ID {
				t.Errorf("open deal owner %d, want %d", d.OwnerID, wang.ID)
			}
			if d, _ := f.store.DealByID(f.ctx, won.Deal.ID); d.OwnerID != lina.ID {
				t.Errorf("won deal owner %d, want it to stay with %d", d.OwnerID, lina.ID)
			}
			if task, _ := f.store.TaskByID(f.ctx, open.Task.ID); task.OwnerID != wang.ID {
				t.Errorf("open task owner %d, want %d", task.OwnerID, wang.ID)
			}
			if task, _ := f.store.TaskByID(f.ctx, doneTask.ID); task.OwnerID != lina.ID {
				t.Errorf("done task owner %d, want it to stay", task.OwnerID)
			}
			if vs, _ := f.store.ListVisits(f.ctx, domain.VisitFilter{MemberID: lina.ID}); len(vs) != 3 {
				t.Errorf("%d visits by 李娜, want history kept (3)", len(vs))
			}
			_, err = f.svc.Identify(f.ctx, domain.PlatformSim, lina.SimUserID)
			wantCode(t, err, domain.EFORBIDDEN)
		})

		t.Run("ByAdminAcrossTeams", func(t *testing.T) {
			got, err := f.svc.HandOver(f.ctx, f.Admin, wang.ID, f.SouthReps[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			cu, _ := f.store.CustomerByID(f.ctx, f.Customer("华辰科技有限公司").ID)
			if got.Customers != 4 || cu.OwnerID != f.SouthReps[0].ID || cu.TeamID != f.South.ID {
				t.Errorf("HandOver = %+v, customer %+v", got, cu)
			}
		})
	})
}

// A member handed over is refused at once, even right after being seen.
func TestIdentifyAfterHandOver(t *testing.T) {
	forEach(t, func(t *testing.T, f fixture) {
		rep, other := f.EastReps[0], f.EastReps[1]
		if _, err := f.svc.Identify(f.ctx, domain.PlatformSim, rep.SimUserID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.HandOver(f.ctx, f.EastManager, rep.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Identify(f.ctx, domain.PlatformSim, rep.SimUserID); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("identify after handover: %v; want forbidden", err)
		}
	})
}
